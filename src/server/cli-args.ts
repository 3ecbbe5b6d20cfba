import { readFileSync, statSync } from 'node:fs'
import { DEFAULT_HOST, DEFAULT_PORT, type ClawServerOptions } from './server'

export const USAGE = `openclaw-chat-server — a /claw chat server over an OpenClaw gateway

Usage:
  openclaw-chat-server --gateway ws://127.0.0.1:18789 --token-file ~/.openclaw/token [--port 3100]

Options:
  --gateway URL         the gateway WebSocket URL            (env OPENCLAW_GATEWAY_URL or OPENCLAW_GATEWAY, default ws://127.0.0.1:18789)
  --token-file FILE     a file holding the gateway token     (env OPENCLAW_GATEWAY_TOKEN_FILE)
                        or set OPENCLAW_GATEWAY_TOKEN; the token is never accepted on the command line
  --port N              listen port                          (env OPENCLAW_CHAT_PORT, default ${DEFAULT_PORT}; 0 = any free port)
  --host H              listen address                       (env OPENCLAW_CHAT_HOST, default ${DEFAULT_HOST})
  --allow-origin O      also accept browser requests from O (repeatable; \`*\` matches, e.g. chrome-extension://*)
                                                             (env OPENCLAW_CHAT_ALLOWED_ORIGINS, comma-separated)
  --allow-host H        also accept requests addressed to host name H (repeatable)
  --quiet               log errors only
  -h, --help            this text
`

export interface CliConfig {
  options: ClawServerOptions
  quiet: boolean
  help: boolean
  /** Warnings to print (e.g. a token file readable by others). */
  warnings: string[]
}

export class CliError extends Error {}

/** Reads a token file (trimmed); warns when other users can read it. Throws `CliError`. */
export function readTokenFile(file: string, warnings: string[] = []): string {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new CliError(`Cannot read the token file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`)
  }
  const token = text.trim()
  if (token === '') throw new CliError(`The token file ${file} is empty`)
  try {
    if ((statSync(file).mode & 0o077) !== 0) warnings.push(`the token file ${file} is readable by other users (chmod 600 it)`)
  } catch {
    // stat is advisory
  }
  return token
}

function list(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((s) => s.trim()).filter((s) => s !== '')
}

/** Reads the command line and the environment. Throws `CliError` with a message for the user. */
export function parseCliArgs(argv: readonly string[], env: Record<string, string | undefined>): CliConfig {
  const warnings: string[] = []
  let gateway = env.OPENCLAW_GATEWAY_URL ?? env.OPENCLAW_GATEWAY ?? 'ws://127.0.0.1:18789'
  let tokenFile = env.OPENCLAW_GATEWAY_TOKEN_FILE
  let port = env.OPENCLAW_CHAT_PORT
  let host = env.OPENCLAW_CHAT_HOST ?? DEFAULT_HOST
  const origins = list(env.OPENCLAW_CHAT_ALLOWED_ORIGINS)
  const hosts: string[] = []
  let quiet = false
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    const value = (): string => {
      const v = inline ?? argv[++i]
      if (v === undefined || v === '') throw new CliError(`${flag} needs a value`)
      return v
    }
    switch (flag) {
      case '--gateway':
        gateway = value()
        break
      case '--token-file':
        tokenFile = value()
        break
      case '--token':
        throw new CliError('The token is not accepted on the command line (other users can read it there): use --token-file FILE or OPENCLAW_GATEWAY_TOKEN')
      case '--port':
        port = value()
        break
      case '--host':
        host = value()
        break
      case '--allow-origin':
        origins.push(value())
        break
      case '--allow-host':
        hosts.push(value())
        break
      case '--quiet':
        quiet = true
        break
      case '-h':
      case '--help':
        help = true
        break
      default:
        throw new CliError(`Unknown option ${flag} (see --help)`)
    }
  }
  const token = tokenFile !== undefined && tokenFile !== '' ? readTokenFile(tokenFile, warnings) : env.OPENCLAW_GATEWAY_TOKEN?.trim() || undefined
  if (token === undefined && !help) warnings.push('no gateway token given (--token-file or OPENCLAW_GATEWAY_TOKEN): connecting without one')
  const portNumber = port === undefined ? DEFAULT_PORT : Number(port)
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) throw new CliError(`Invalid port ${JSON.stringify(port)}`)
  const options: ClawServerOptions = { gatewayUrl: gateway, port: portNumber, host }
  if (token !== undefined) options.token = token
  if (origins.length > 0) options.allowedOrigins = origins
  if (hosts.length > 0) options.allowedHosts = hosts
  return { options, quiet, help, warnings }
}

import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CliError, parseCliArgs } from '../../src/server/cli-args'
import { runCli } from '../../src/server/cli-main'
import { startFakeGateway } from '../gateway/fake-gateway'
import { captureLogger, raw } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'claw-cli-'))
const tokenFile = join(dir, 'token')
writeFileSync(tokenFile, 'test-token\n')
chmodSync(tokenFile, 0o600)

describe('openclaw-chat-server arguments', () => {
  it('reads --gateway, --token-file, --port, --host, --allow-origin', () => {
    const config = parseCliArgs(['--gateway', 'ws://127.0.0.1:18789', '--token-file', tokenFile, '--port=3200', '--host', '127.0.0.1', '--allow-origin', 'chrome-extension://*'], {})
    expect(config.options).toEqual({ gatewayUrl: 'ws://127.0.0.1:18789', token: 'test-token', port: 3200, host: '127.0.0.1', allowedOrigins: ['chrome-extension://*'] })
    expect(config.warnings).toEqual([])
  })

  it('takes the token from OPENCLAW_GATEWAY_TOKEN and the rest from the environment', () => {
    const config = parseCliArgs([], { OPENCLAW_GATEWAY_TOKEN: ' env-token ', OPENCLAW_GATEWAY_URL: 'ws://10.0.0.2:1', OPENCLAW_CHAT_PORT: '0', OPENCLAW_CHAT_ALLOWED_ORIGINS: 'a://b, c://d' })
    expect(config.options).toEqual({ gatewayUrl: 'ws://10.0.0.2:1', token: 'env-token', port: 0, host: '127.0.0.1', allowedOrigins: ['a://b', 'c://d'] })
  })

  it('refuses the token on the command line, bad ports, unknown flags, unreadable token files', () => {
    expect(() => parseCliArgs(['--token', 'secret'], {})).toThrow(CliError)
    expect(() => parseCliArgs(['--token', 'secret'], {})).toThrow(/not accepted on the command line/)
    expect(() => parseCliArgs(['--port', '70000'], {})).toThrow(/Invalid port/)
    expect(() => parseCliArgs(['--frobnicate'], {})).toThrow(/Unknown option/)
    expect(() => parseCliArgs(['--token-file', join(dir, 'missing')], {})).toThrow(/Cannot read the token file/)
  })

  it('warns about a token file other users can read, and about a missing token', () => {
    const open = join(dir, 'open-token')
    writeFileSync(open, 'abc12345')
    chmodSync(open, 0o644)
    expect(parseCliArgs(['--token-file', open], {}).warnings).toEqual([`the token file ${open} is readable by other users (chmod 600 it)`])
    expect(parseCliArgs([], {}).warnings[0]).toMatch(/no gateway token/)
  })
})

describe('runCli', () => {
  const outputs: string[] = []
  const io = { stdout: (t: string) => outputs.push(t), stderr: (t: string) => outputs.push(t) }
  afterAll(() => {
    process.exitCode = 0
  })

  it('--help prints the usage; errors set the exit code', async () => {
    expect(await runCli(['--help'], {}, io)).toBeUndefined()
    expect(outputs.join('')).toMatch(/--token-file FILE/)
    expect(await runCli(['--token', 'x'], {}, io)).toBeUndefined()
    expect(process.exitCode).toBe(2)
    expect(await runCli(['--gateway', 'ws://user:pw@127.0.0.1:1', '--port', '0'], { OPENCLAW_GATEWAY_TOKEN: 'abcd1234' }, io)).toBeUndefined()
    expect(outputs.join('')).toMatch(/Do not put credentials in the gateway URL/)
    process.exitCode = 0
  })

  it('starts a server against a gateway; the token never appears in its logs', async () => {
    const gateway = await startFakeGateway()
    const { logger, lines } = captureLogger()
    const server = await runCli(['--gateway', gateway.url, '--token-file', tokenFile, '--port', '0'], {}, { ...io, logger })
    try {
      expect(server).toBeDefined()
      await server?.handler.connection.ready()
      const status = JSON.parse((await raw(`${server?.url}/claw/status`)).body) as { status: string }
      expect(status.status).toBe('running')
      expect(lines.map((l) => l.line).join('\n')).toMatch(/serving \/claw on http:\/\/127\.0\.0\.1:\d+ \(gateway ws:\/\/127\.0\.0\.1:\d+\)/)
      expect(lines.some((l) => l.line.includes('test-token'))).toBe(false)
    } finally {
      await server?.close()
      await gateway.close()
    }
  })
})

describe('clawHandlerFromEnv (for vite.config.ts)', () => {
  it('is undefined without OPENCLAW_GATEWAY; with it, a /claw handler over that gateway, token from the file', async () => {
    const { clawHandlerFromEnv } = await import('../../src/server/dev')
    expect(clawHandlerFromEnv({})).toBeUndefined()
    const gateway = await startFakeGateway()
    const handler = clawHandlerFromEnv({ OPENCLAW_GATEWAY: gateway.url, OPENCLAW_GATEWAY_TOKEN_FILE: tokenFile }, { logger: false })
    try {
      await handler?.connection.ready()
      expect(gateway.connectParams[0]?.auth).toEqual({ token: 'test-token' })
      const next: unknown[] = []
      handler?.handle({ url: '/index.html', headers: {} } as never, {} as never, () => next.push('next'))
      expect(next).toEqual(['next'])
    } finally {
      await handler?.close()
      await gateway.close()
    }
    expect(() => clawHandlerFromEnv({ OPENCLAW_GATEWAY: 'ws://127.0.0.1:1', OPENCLAW_GATEWAY_TOKEN_FILE: join(dir, 'nope') })).toThrow(/Cannot read the token file/)
  })
})

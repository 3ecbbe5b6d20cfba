import { CliError, USAGE, parseCliArgs } from './cli-args'
import { consoleLogger, type ClawLogger } from './logger'
import { createClawServer, type ClawServer } from './server'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  logger?: ClawLogger
}

/** Runs the CLI: returns the started server (or undefined after --help / an error, with `process.exitCode` set). */
export async function runCli(argv: readonly string[], env: Record<string, string | undefined>, io: CliIo): Promise<ClawServer | undefined> {
  let config
  try {
    config = parseCliArgs(argv, env)
  } catch (error) {
    if (!(error instanceof CliError)) throw error
    io.stderr(`openclaw-chat-server: ${error.message}\n`)
    process.exitCode = 2
    return undefined
  }
  if (config.help) {
    io.stdout(USAGE)
    return undefined
  }
  const base = io.logger ?? consoleLogger
  const logger: ClawLogger = config.quiet ? { info: () => undefined, warn: () => undefined, error: base.error } : base
  for (const warning of config.warnings) logger.warn(warning)
  try {
    const server = await createClawServer({ ...config.options, logger })
    logger.info(`serving /claw on ${server.url} (gateway ${server.handler.connection.url})`)
    return server
  } catch (error) {
    io.stderr(`openclaw-chat-server: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
    return undefined
  }
}

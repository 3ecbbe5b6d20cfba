#!/usr/bin/env node
/** `openclaw-chat-server`: see `--help`. SIGINT/SIGTERM close streams and the gateway link cleanly. */
import { runCli } from './cli-main'

const server = await runCli(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
})
if (server !== undefined) {
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) process.exit(1)
    stopping = true
    process.stderr.write(`[openclaw-chat-server] ${signal}: closing\n`)
    void server.close().then(() => process.exit(0))
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

import { CliError, readTokenFile } from './cli-args'
import { createClawHandler, type ClawHandler, type ClawHandlerOptions } from './handler'
import { consoleLogger } from './logger'

/**
 * For a dev server (vite.config.ts): a `/claw` handler over the gateway named by `OPENCLAW_GATEWAY`
 * (`ws://127.0.0.1:18789`), with the token from `OPENCLAW_GATEWAY_TOKEN_FILE` or `OPENCLAW_GATEWAY_TOKEN`; or
 * undefined when `OPENCLAW_GATEWAY` is not set. Mount `handler.handle` as middleware; call `handler.close()` when
 * the dev server closes.
 */
export function clawHandlerFromEnv(env: Record<string, string | undefined> = process.env, options: Partial<ClawHandlerOptions> = {}): ClawHandler | undefined {
  const gatewayUrl = env.OPENCLAW_GATEWAY ?? env.OPENCLAW_GATEWAY_URL
  if (gatewayUrl === undefined || gatewayUrl.trim() === '') return undefined
  const warnings: string[] = []
  let token: string | undefined
  try {
    const file = env.OPENCLAW_GATEWAY_TOKEN_FILE
    token = file !== undefined && file !== '' ? readTokenFile(file, warnings) : env.OPENCLAW_GATEWAY_TOKEN?.trim() || undefined
  } catch (error) {
    if (error instanceof CliError) throw new Error(error.message)
    throw error
  }
  const logger = options.logger === undefined ? consoleLogger : options.logger
  if (logger !== false) for (const warning of warnings) logger.warn(warning)
  return createClawHandler({ ...options, gatewayUrl: gatewayUrl.trim(), ...(token === undefined ? {} : { token }) })
}

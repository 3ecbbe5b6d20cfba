import type { IncomingMessage, ServerResponse } from 'node:http'
import { WebSocket } from 'ws'
import { GatewayChat, type GatewayChatOptions } from '../gateway/chat'
import { GatewayConnection, type GatewayConnectionOptions } from '../gateway/connection'
import { gatewayErrorStatus, isGatewayError } from '../gateway/errors'
import type { WebSocketConstructor } from '../gateway/websocket'
import { handleChat, handleStop } from './chat-routes'
import type { ServerContext } from './context'
import { HttpError, sendError } from './http'
import { handleAgents, handleHistory, handleSession, handleSessions, handleStatus } from './info-routes'
import { consoleLogger, redactingLogger, silentLogger, type ClawLogger } from './logger'
import { checkOrigin, hostsOfOrigins } from './origin-guard'
import { agentIdProblem } from './validate'

export const DEFAULT_MAX_BODY_BYTES = 12 * 1024 * 1024
export const DEFAULT_KEEP_ALIVE_MS = 15_000

export interface ClawHandlerOptions {
  /** The gateway's WebSocket URL, e.g. `ws://127.0.0.1:18789` (no credentials, no token in it). */
  gatewayUrl: string
  /** The gateway token (read it from a file or the environment; it is never logged). */
  token?: string
  /** Cross-origin browser origins allowed besides loopback and same-origin, e.g. `chrome-extension://abc…` (`*` matches). */
  allowedOrigins?: string[]
  /** Host names the server may be reached by besides IP addresses and localhost (DNS-rebinding guard). */
  allowedHosts?: string[]
  /** Request body limit (default 12 MiB: ten 5 MiB images do not fit, a few do). */
  maxBodyBytes?: number
  /** SSE keep-alive comment interval (default 15 s). */
  keepAliveMs?: number
  /** Default: the `ws` package. */
  WebSocket?: WebSocketConstructor
  /** Default: one line per event on stderr; `false` for none. */
  logger?: ClawLogger | false
  /** Gateway timeouts (ms): link-drop grace, abort confirmation, usage read, send, … */
  gateway?: Omit<GatewayChatOptions, 'connection'> & Omit<GatewayConnectionOptions, 'url' | 'token' | 'WebSocket'> & { historyTimeoutMs?: number }
}

export type NextFunction = (error?: unknown) => void

export interface ClawHandler {
  /** Connect-style middleware: answers `/claw/*`, passes anything else to `next` (or 404 without one). */
  handle(req: IncomingMessage, res: ServerResponse, next?: NextFunction): void
  readonly connection: GatewayConnection
  readonly chat: GatewayChat
  /** Chat streams currently open. */
  readonly openStreams: number
  /** Ends open streams with an `error` frame and `[DONE]`, then closes the gateway connection. */
  close(): Promise<void>
}

/** Refuses gateway URLs that carry credentials: the token goes in `token`, never in a URL. */
export function checkGatewayUrl(url: string): void {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`Invalid gateway URL (expected ws://host:port)`)
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new Error(`The gateway URL must start with ws:// or wss://`)
  if (parsed.username !== '' || parsed.password !== '' || parsed.searchParams.has('token')) {
    throw new Error('Do not put credentials in the gateway URL: pass the token with --token-file or OPENCLAW_GATEWAY_TOKEN')
  }
}

const AGENT_ROUTE = /^\/claw\/agents\/([^/]+)(\/chat|\/chat\/stop|\/session|\/sessions|\/history)?\/?$/

/** The `/claw` routes of PROTOCOL.md over one persistent gateway connection, as Node request handling. */
export function createClawHandler(options: ClawHandlerOptions): ClawHandler {
  checkGatewayUrl(options.gatewayUrl)
  const logger = redactingLogger(options.logger === false ? silentLogger : options.logger ?? consoleLogger, [options.token])
  const g = options.gateway ?? {}
  const connection = new GatewayConnection({
    ...g,
    url: options.gatewayUrl,
    ...(options.token === undefined ? {} : { token: options.token }),
    WebSocket: options.WebSocket ?? (WebSocket as unknown as WebSocketConstructor),
  })
  const chat = new GatewayChat({ ...g, connection })
  const allowedOrigins = options.allowedOrigins ?? []
  const ctx: ServerContext = {
    connection,
    chat,
    logger,
    policy: { allowedOrigins, allowedHosts: [...(options.allowedHosts ?? []).map((h) => h.toLowerCase()), ...hostsOfOrigins(allowedOrigins)] },
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    keepAliveMs: options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
    historyTimeoutMs: g.historyTimeoutMs ?? 15_000,
    connectWaitMs: g.connectWaitMs ?? 3_000,
    streams: new Set(),
    agents: undefined,
    closing: false,
  }
  let lastStatus = connection.status
  connection.onStatus((status) => {
    if (status === 'connected') logger.info(`connected to the gateway at ${connection.url}`)
    else if (status === 'reconnecting' && lastStatus === 'connected') logger.warn(`lost the gateway (${connection.lastError ?? 'unknown reason'}); reconnecting`)
    lastStatus = status
  })
  connection.connect()

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, cors: Record<string, string>): Promise<void> {
    const method = req.method ?? 'GET'
    const path = url.pathname
    if (path === '/claw/status' && method === 'GET') return handleStatus(ctx, res)
    if (path === '/claw/agents' || path === '/claw/agents/') {
      if (method === 'GET') return handleAgents(ctx, res)
      if (method === 'POST') throw new HttpError(501, 'Creating agents is not supported by this server: configure them in the gateway')
    }
    const match = AGENT_ROUTE.exec(path)
    if (match === null) throw new HttpError(404, 'Not found')
    let agentId: string
    try {
      agentId = decodeURIComponent(match[1] as string)
    } catch {
      throw new HttpError(400, 'Invalid agent id')
    }
    const problem = agentIdProblem(agentId)
    if (problem !== undefined) throw new HttpError(400, problem)
    const rest = match[2] ?? ''
    if (rest === '/chat' && method === 'POST') return handleChat(ctx, req, res, agentId, cors)
    if (rest === '/chat/stop' && method === 'POST') return handleStop(ctx, req, res, agentId, cors)
    if (rest === '/session' && method === 'GET') return handleSession(ctx, res, agentId)
    if (rest === '/sessions' && method === 'GET') return handleSessions(ctx, res, agentId, url.searchParams)
    if (rest === '/history' && method === 'GET') return handleHistory(ctx, res, agentId, url.searchParams)
    if (rest === '' && method === 'DELETE') throw new HttpError(501, 'Deleting agents is not supported by this server: configure them in the gateway')
    throw new HttpError(rest === '' || method === 'GET' || method === 'POST' ? 405 : 404, rest === '' ? 'Not found' : `${method} is not allowed here`)
  }

  function handle(req: IncomingMessage, res: ServerResponse, next?: NextFunction): void {
    const rawUrl = req.url ?? '/'
    if (!rawUrl.startsWith('/claw/') && rawUrl !== '/claw') {
      if (next !== undefined) return next()
      return sendError(res, 404, 'Not found')
    }
    const url = new URL(rawUrl, 'http://claw.local')
    const guard = checkOrigin(req.headers, ctx.policy)
    if (!guard.ok) {
      logger.warn(`refused ${req.method ?? 'GET'} ${url.pathname}: ${guard.reason}`)
      req.resume()
      return sendError(res, 403, 'Forbidden')
    }
    if (req.method === 'OPTIONS') {
      if (Object.keys(guard.cors).length === 0) return void res.writeHead(204).end()
      const requested = req.headers['access-control-request-headers']
      res.writeHead(204, {
        ...guard.cors,
        'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers': typeof requested === 'string' && /^[\w\-, ]{0,500}$/.test(requested) ? requested : 'content-type, accept',
        'access-control-max-age': '600',
      })
      return void res.end()
    }
    route(req, res, url, guard.cors).catch((error: unknown) => {
      if (error instanceof HttpError) {
        if (error.status >= 500) logger.warn(`${req.method ?? 'GET'} ${url.pathname}: ${error.message}`)
        // A body that was too big is not read to its end: close the connection rather than reuse it.
        return sendError(res, error.status, error.message, error.status === 413 ? { ...guard.cors, connection: 'close' } : guard.cors)
      }
      if (isGatewayError(error)) {
        logger.warn(`${req.method ?? 'GET'} ${url.pathname}: gateway: ${error.message}`)
        return sendError(res, gatewayErrorStatus(error), error.message, guard.cors)
      }
      logger.error(`${req.method ?? 'GET'} ${url.pathname}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
      return sendError(res, 500, 'Internal server error', guard.cors)
    })
  }

  return {
    handle,
    connection,
    chat,
    get openStreams() {
      return ctx.streams.size
    },
    async close() {
      ctx.closing = true
      chat.close('The server is shutting down')
      await Promise.race([Promise.all([...ctx.streams].map((s) => s.done)), new Promise((r) => setTimeout(r, 2000))])
      await connection.close()
    },
  }
}

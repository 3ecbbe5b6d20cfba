import {
  ChatError,
  type ChatTransport,
  type ChatTurnRequest,
  type ChatTurnResponse,
  type FrameResult,
  type HistoryPage,
  type HistoryRequest,
  type StopResponse,
  type StopTurnRequest,
} from '../protocol'
import { gatewayTurn } from './attachments'
import { GatewayChat, type GatewayChatOptions, type GatewayRunHandle } from './chat'
import { GatewayConnection, type GatewayConnectionOptions } from './connection'
import { GatewayError, gatewayErrorStatus } from './errors'
import type { ChatHistoryResult } from './frames'
import { clampHistoryLimit, cursorOffset, readHistoryPage } from './history-page'
import { gatewaySessionKey } from './session-keys'
import type { WebSocketConstructor } from './websocket'

export interface GatewayTransportOptions extends Omit<GatewayChatOptions, 'connection'> {
  /** `ws://127.0.0.1:18789` */
  url: string
  /** The gateway token; sent only inside the `connect` frame. */
  token?: string
  /** Default: the global WebSocket (browsers, Node ≥ 22). On Node 20 pass `ws`'s `WebSocket` class. */
  WebSocket?: WebSocketConstructor
  /** Further connection settings (timeouts, backoff). */
  connection?: Omit<GatewayConnectionOptions, 'url' | 'token' | 'WebSocket'>
  /** `chat.history` timeout. Default 15 000 ms. */
  historyTimeoutMs?: number
}

export interface GatewayTransport extends ChatTransport {
  readonly connection: GatewayConnection
  history(request: HistoryRequest): Promise<HistoryPage>
  /** Closes the connection; open streams end with an error. */
  close(): Promise<void>
}

/** A gateway failure as the `ChatError` the controller expects. */
export function chatErrorFromGateway(error: unknown, doing: string): ChatError {
  if (error instanceof ChatError) return error
  if (error instanceof GatewayError) {
    if (error.reason === 'rejected') {
      return new ChatError({ kind: 'http', status: gatewayErrorStatus(error), message: error.message, ...(error.code === undefined ? {} : { code: error.code }), cause: error })
    }
    return new ChatError({ kind: 'network', message: error.message, cause: error })
  }
  const message = error instanceof Error ? error.message : String(error)
  return new ChatError({ kind: 'network', message: `${doing}: ${message}`, cause: error })
}

/**
 * A `ChatTransport` straight over an OpenClaw gateway's WebSocket (no `/claw` server in between):
 * `useOpenClawChat({ agentId, transport: gatewayTransport({ url, token }) })`. One connection per transport,
 * opened on first use and kept up (reconnecting) until `close()`.
 *
 * In a browser the gateway must accept the page's origin, and the token is then visible to the page: use it for
 * trusted local tools; put the `/claw` server (`openclaw-chat-server`) in between for anything else.
 */
export function gatewayTransport(options: GatewayTransportOptions): GatewayTransport {
  const connection = new GatewayConnection({
    ...options.connection,
    url: options.url,
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.WebSocket === undefined ? {} : { WebSocket: options.WebSocket }),
  })
  const chat = new GatewayChat({ ...options, connection })

  async function startChat(request: ChatTurnRequest): Promise<ChatTurnResponse> {
    connection.connect()
    const turn = gatewayTurn(request.message, request.attachments)
    let handle: GatewayRunHandle
    try {
      handle = await chat.start({
        sessionKey: gatewaySessionKey(request.agentId, request.sessionKey),
        message: turn.message,
        attachments: turn.attachments,
        onActivity: request.onActivity,
      })
    } catch (error) {
      throw chatErrorFromGateway(error, 'Could not send the message')
    }
    request.onActivity()
    const run = handle
    const onAbort = (): void => run.detach()
    if (request.signal.aborted) run.detach()
    else request.signal.addEventListener('abort', onAbort, { once: true })

    async function* frames(): AsyncGenerator<FrameResult[], void, undefined> {
      try {
        for await (const events of run.events) {
          if (run.outcome === 'disconnected' && events.some((e) => e.type === 'error')) {
            const rest = events.filter((e) => e.type !== 'error')
            if (rest.length > 0) yield rest.map((event) => ({ ok: true, event }))
            const failure = events.find((e) => e.type === 'error')
            throw new ChatError({ kind: 'network', message: failure?.type === 'error' ? failure.message : 'Lost the connection to the OpenClaw gateway' })
          }
          yield events.map((event) => ({ ok: true, event }))
        }
        if (!request.signal.aborted) yield [{ ok: true, end: true }]
      } finally {
        request.signal.removeEventListener('abort', onAbort)
        run.detach()
      }
    }
    return { frames: frames() }
  }

  return {
    connection,
    chat: startChat,

    async stop(request: StopTurnRequest): Promise<StopResponse> {
      try {
        return await chat.abort({ sessionKey: gatewaySessionKey(request.agentId, request.sessionKey), ...(request.runId === undefined ? {} : { runId: request.runId }) })
      } catch (error) {
        throw chatErrorFromGateway(error, 'Could not stop the run')
      }
    },

    async history(request: HistoryRequest): Promise<HistoryPage> {
      const limit = clampHistoryLimit(request.limit)
      const offset = cursorOffset(request.cursor)
      const sessionKey = gatewaySessionKey(request.agentId, request.sessionKey)
      const timing = { timeoutMs: options.historyTimeoutMs ?? 15_000, connectTimeoutMs: options.connectWaitMs ?? 5_000, ...(request.signal === undefined ? {} : { signal: request.signal }) }
      try {
        return await readHistoryPage(
          (params) => connection.request<ChatHistoryResult>('chat.history', { sessionKey, ...params }, timing),
          { agentId: request.agentId, sessionKey: request.sessionKey, limit },
          offset,
        )
      } catch (error) {
        throw chatErrorFromGateway(error, 'Could not load the history')
      }
    },

    async close(): Promise<void> {
      chat.close('The gateway transport was closed')
      await connection.close()
    },
  }
}

import {
  ChatError,
  readSseFrames,
  type AgentSessionResponse,
  type AgentsResponse,
  type ChatRequestBody,
  type ChatTransport,
  type ChatTurnRequest,
  type ChatTurnResponse,
  type ClawStatus,
  type HistoryPage,
  type HistoryRequest,
  type SessionsResponse,
  type StopRequestBody,
  type StopResponse,
  type StopTurnRequest,
} from '../protocol'
import { isRecord } from '../protocol/is-record'
import { errorFromResponse, readErrorBody } from './http-errors'

export type HeadersOption = HeadersInit | (() => HeadersInit | Promise<HeadersInit>)

export interface OpenClawClientOptions {
  /** Origin (and path prefix) of the server; default '' (same origin). Routes live under `${baseUrl}/claw`. */
  baseUrl?: string
  /** Injectable fetch; default `globalThis.fetch`, looked up at call time. */
  fetch?: typeof fetch
  /** Extra headers, or a (possibly async) function returning them, called per request. Never logged. */
  headers?: HeadersOption
}

export interface OpenClawClient extends ChatTransport {
  readonly baseUrl: string
  chat(request: ChatTurnRequest): Promise<ChatTurnResponse>
  stop(request: StopTurnRequest, signal?: AbortSignal): Promise<StopResponse>
  agents(signal?: AbortSignal): Promise<AgentsResponse>
  agentSession(agentId: string, signal?: AbortSignal): Promise<AgentSessionResponse>
  sessions(agentId: string, options?: { limit?: number; signal?: AbortSignal }): Promise<SessionsResponse>
  history(request: HistoryRequest): Promise<HistoryPage>
  status(signal?: AbortSignal): Promise<ClawStatus>
}

const SSE_TYPE = 'text/event-stream'
const JSON_TYPE = 'application/json'

/** Awaits `step`; its failure becomes a network error naming `url` without its query (aborts pass through). */
async function reach<T>(url: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    if ((error as Error | null | undefined)?.name === 'AbortError') throw error
    const detail = error instanceof Error ? error.message : String(error)
    throw new ChatError({ kind: 'network', message: `Could not reach the server (${url.split('?')[0]}): ${detail}`, cause: error })
  }
}

/** A client for the `/claw` routes of PROTOCOL.md. Every failure is a `ChatError`. */
export function createOpenClawClient(options: OpenClawClientOptions = {}): OpenClawClient {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '')
  const route = (path: string): string => `${baseUrl}/claw/${path}`
  const agentRoute = (agentId: string, path: string): string => route(`agents/${encodeURIComponent(agentId)}/${path}`)

  /** Sends a request with the user's headers (`accept`, and `content-type` for a JSON `body`, unless they set them). */
  async function send(url: string, accept: string, signal?: AbortSignal, body?: object): Promise<Response> {
    const given = await (typeof options.headers === 'function' ? options.headers() : options.headers)
    let headers: Headers
    try {
      headers = new Headers(given)
    } catch {
      // The platform's message quotes the offending value (a token): neither it nor the error is passed on.
      throw new ChatError({ kind: 'network', message: 'A request header has an invalid name or value; the request was not sent' })
    }
    if (!headers.has('accept')) headers.set('accept', accept)
    if (body && !headers.has('content-type')) headers.set('content-type', JSON_TYPE)
    // No key set to undefined: an app's fetch wrapper that spreads `init` over its defaults (a timeout signal) keeps them.
    const init: RequestInit = body ? { method: 'POST', headers, body: JSON.stringify(body) } : { headers }
    if (signal) init.signal = signal
    return reach(url, () => (options.fetch ?? fetch)(url, init))
  }

  /** A JSON route: GET, or POST when there is a `body`. */
  async function json<T>(url: string, signal?: AbortSignal, body?: object): Promise<T> {
    const response = await send(url, JSON_TYPE, signal, body)
    if (!response.ok) throw await errorFromResponse(response)
    const text = await reach(url, () => response.text())
    try {
      return JSON.parse(text) as T
    } catch {
      throw new ChatError({ kind: 'protocol', status: response.status, message: `Expected JSON from ${url.split('?')[0]}` })
    }
  }

  return {
    baseUrl,

    async chat({ agentId, message, sessionKey, attachments, history, signal, onActivity }) {
      // Empty lists are left out (JSON.stringify drops undefined).
      const body: ChatRequestBody = {
        message,
        sessionKey,
        attachments: attachments.length > 0 ? attachments : undefined,
        history: history.length > 0 ? history : undefined,
      }
      const response = await send(agentRoute(agentId, 'chat'), SSE_TYPE, signal, body)
      onActivity()
      const { status, headers } = response
      if (status === 413) {
        // What was too large: the request (message and attachments), for the server's or a proxy's body limit.
        const { message = 'HTTP 413', code } = await readErrorBody(response)
        throw new ChatError({ kind: 'http', status, message: `The message and its attachments are too large for the server (${message})`, code })
      }
      if (!response.ok) throw await errorFromResponse(response)
      const type = headers.get('content-type')
      if (type && !type.toLowerCase().includes(SSE_TYPE)) {
        const { message } = await readErrorBody(response)
        throw new ChatError({ kind: 'protocol', status, message: `Expected an event stream but the server sent ${type.split(';')[0]}${message ? `: ${message}` : ''}` })
      }
      if (!response.body) throw new ChatError({ kind: 'protocol', status, message: 'The server sent no stream body' })
      const frames = readSseFrames(response.body, { onActivity, signal })
      const key = headers.get('x-session-key')
      return key === null ? { frames } : { sessionKey: key, frames }
    },

    async stop({ agentId, sessionKey, runId }, signal) {
      const body: StopRequestBody = { sessionKey, runId } // an undefined runId is left out
      const result = await json(agentRoute(agentId, 'chat/stop'), signal, body)
      const { ok, aborted, runIds } = isRecord(result) ? result : {}
      return {
        ok: ok !== false,
        aborted: aborted === true,
        runIds: Array.isArray(runIds) ? runIds.filter((id): id is string => typeof id === 'string') : [],
      }
    },

    agents: (signal) => json(route('agents'), signal),
    agentSession: (agentId, signal) => json(agentRoute(agentId, 'session'), signal),
    sessions: (agentId, { limit, signal } = {}) =>
      json(agentRoute(agentId, limit === undefined ? 'sessions' : `sessions?limit=${encodeURIComponent(limit)}`), signal),

    history({ agentId, sessionKey, cursor, limit, signal }) {
      const query = new URLSearchParams({ sessionKey })
      if (cursor !== undefined) query.set('cursor', cursor)
      if (limit !== undefined) query.set('limit', String(limit))
      return json(agentRoute(agentId, `history?${query}`), signal)
    },

    status: (signal) => json(route('status'), signal),
  }
}

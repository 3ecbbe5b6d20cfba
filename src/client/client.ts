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
import { errorFromResponse, networkError } from './http-errors'

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

/** A client for the `/claw` routes of PROTOCOL.md. Every failure is a `ChatError`. */
export function createOpenClawClient(options: OpenClawClientOptions = {}): OpenClawClient {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '')
  const doFetch: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init)
  const agentPath = (agentId: string, rest = ''): string => `${baseUrl}/claw/agents/${encodeURIComponent(agentId)}${rest}`

  async function headersFor(extra: Record<string, string>): Promise<Headers> {
    const given = typeof options.headers === 'function' ? await options.headers() : options.headers
    let headers: Headers
    try {
      headers = new Headers(given)
    } catch {
      // The platform's message quotes the offending value (a token): neither it nor the error is passed on.
      throw new ChatError({ kind: 'network', message: 'A request header has an invalid name or value; the request was not sent' })
    }
    for (const [name, value] of Object.entries(extra)) if (!headers.has(name)) headers.set(name, value)
    return headers
  }

  async function request(url: string, init: RequestInit, extraHeaders: Record<string, string>): Promise<Response> {
    const headers = await headersFor(extraHeaders)
    try {
      return await doFetch(url, { ...init, headers })
    } catch (error) {
      throw networkError(error, url)
    }
  }

  async function json<T>(url: string, init: RequestInit = {}, body?: unknown): Promise<T> {
    const withBody = body === undefined ? init : { ...init, method: init.method ?? 'POST', body: JSON.stringify(body) }
    const response = await request(url, withBody, body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' })
    if (!response.ok) throw await errorFromResponse(response)
    let text: string
    try {
      text = await response.text()
    } catch (error) {
      throw networkError(error, url)
    }
    try {
      return JSON.parse(text) as T
    } catch {
      throw new ChatError({ kind: 'protocol', status: response.status, message: `Expected JSON from ${url.replace(/\?.*$/, '')}` })
    }
  }

  return {
    baseUrl,

    async chat(req) {
      const body: ChatRequestBody = { message: req.message, sessionKey: req.sessionKey }
      if (req.attachments.length > 0) body.attachments = req.attachments
      if (req.history.length > 0) body.history = req.history
      const url = agentPath(req.agentId, '/chat')
      const response = await request(
        url,
        { method: 'POST', body: JSON.stringify(body), signal: req.signal },
        { accept: SSE_TYPE, 'content-type': 'application/json' },
      )
      req.onActivity()
      if (!response.ok) throw await errorFromResponse(response)
      const contentType = response.headers.get('content-type')
      if (contentType !== null && contentType !== '' && !contentType.toLowerCase().includes(SSE_TYPE)) {
        const error = await errorFromResponse(response, 'protocol')
        throw new ChatError({
          kind: 'protocol',
          status: response.status,
          message: `Expected an event stream but the server sent ${contentType.split(';')[0]}${error.message.startsWith('The server answered') ? '' : `: ${error.message}`}`,
        })
      }
      if (response.body === null) throw new ChatError({ kind: 'protocol', status: response.status, message: 'The server sent no stream body' })
      const sessionKey = response.headers.get('x-session-key')
      const frames = readSseFrames(response.body, { onActivity: req.onActivity, signal: req.signal })
      return sessionKey === null ? { frames } : { sessionKey, frames }
    },

    async stop(req, signal) {
      const body: StopRequestBody = { sessionKey: req.sessionKey }
      if (req.runId !== undefined) body.runId = req.runId
      const result = await json<unknown>(agentPath(req.agentId, '/chat/stop'), signal === undefined ? {} : { signal }, body)
      const record = isRecord(result) ? result : {}
      return {
        ok: record.ok !== false,
        aborted: record.aborted === true,
        runIds: Array.isArray(record.runIds) ? record.runIds.filter((r): r is string => typeof r === 'string') : [],
      }
    },

    agents: (signal) => json<AgentsResponse>(`${baseUrl}/claw/agents`, signal === undefined ? {} : { signal }),

    agentSession: (agentId, signal) => json<AgentSessionResponse>(agentPath(agentId, '/session'), signal === undefined ? {} : { signal }),

    sessions(agentId, opts = {}) {
      const query = opts.limit === undefined ? '' : `?limit=${encodeURIComponent(String(opts.limit))}`
      return json<SessionsResponse>(agentPath(agentId, `/sessions${query}`), opts.signal === undefined ? {} : { signal: opts.signal })
    },

    history(req) {
      const params = new URLSearchParams({ sessionKey: req.sessionKey })
      if (req.cursor !== undefined) params.set('cursor', req.cursor)
      if (req.limit !== undefined) params.set('limit', String(req.limit))
      return json<HistoryPage>(agentPath(req.agentId, `/history?${params.toString()}`), req.signal === undefined ? {} : { signal: req.signal })
    },

    status: (signal) => json<ClawStatus>(`${baseUrl}/claw/status`, signal === undefined ? {} : { signal }),
  }
}

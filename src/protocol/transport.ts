import type { FrameResult } from './decode'
import type { Attachment, HistoryPage, HistoryTurn, StopResponse } from './routes'

export interface ChatTurnRequest {
  agentId: string
  message: string
  sessionKey: string
  attachments: Attachment[]
  history: HistoryTurn[]
  signal: AbortSignal
  /** To be called on the response headers and on every chunk of bytes. */
  onActivity: () => void
}

export interface ChatTurnResponse {
  /** The session key the server reports (may be wrapped; the controller normalizes it). */
  sessionKey?: string
  /** Decoded frames, one batch per network chunk. */
  frames: AsyncIterable<FrameResult[]>
}

export interface StopTurnRequest {
  agentId: string
  sessionKey: string
  runId?: string
}

export interface HistoryRequest {
  agentId: string
  sessionKey: string
  cursor?: string
  limit?: number
  signal?: AbortSignal
}

/**
 * What the controller needs from a server. `createOpenClawClient` implements it over HTTP + SSE;
 * other transports (a gateway's WebSocket) can feed the same store.
 * `chat` rejects with a `ChatError` when no stream could be opened.
 */
export interface ChatTransport {
  chat(request: ChatTurnRequest): Promise<ChatTurnResponse>
  stop(request: StopTurnRequest): Promise<StopResponse>
  history?(request: HistoryRequest): Promise<HistoryPage>
}

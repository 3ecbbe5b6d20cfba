/**
 * OpenClaw gateway protocol 4 as a backend client sees it (see GATEWAY.md): the three frame kinds, the
 * handshake, and the payloads of the methods and events this package uses. Fields the package does not read
 * are left out; payloads are validated where they are read, never trusted.
 */

import { isRecord } from '../protocol/is-record'

export { isRecord }

export const GATEWAY_PROTOCOL = 4

export interface GatewayRequestFrame {
  type: 'req'
  id: string
  method: string
  params?: unknown
}

export interface GatewayErrorShape {
  code: string
  message: string
  details?: unknown
  retryable?: boolean
  retryAfterMs?: number
}

export interface GatewayResponseFrame {
  type: 'res'
  id: string
  ok: boolean
  payload?: unknown
  error?: GatewayErrorShape
}

export interface GatewayEventFrame {
  type: 'event'
  event: string
  payload?: unknown
  /** Counts per connection. */
  seq?: number
}

export type GatewayFrame = GatewayRequestFrame | GatewayResponseFrame | GatewayEventFrame

export interface ConnectParams {
  minProtocol: number
  maxProtocol: number
  client: { id: string; version: string; platform: string; mode: string; displayName?: string }
  role: 'operator'
  scopes: string[]
  caps: string[]
  auth?: { token: string }
}

/** The parts of `hello-ok` this package reads. */
export interface HelloOk {
  type: 'hello-ok'
  protocol: number
  server?: { version?: string; connId?: string }
  features?: { methods?: string[]; events?: string[] }
  snapshot?: unknown
  policy?: { tickIntervalMs?: number; maxPayload?: number }
}

export interface ChatSendParams {
  sessionKey: string
  message: string
  idempotencyKey: string
  attachments?: GatewayAttachment[]
}

/** An attachment as `chat.send` takes it: base64 `content` without a `data:` prefix. */
export interface GatewayAttachment {
  type: 'image'
  mimeType: string
  fileName?: string
  content: string
}

export interface ChatSendResult {
  runId: string
  status: string
}

export interface ChatAbortParams {
  sessionKey: string
  runId?: string
}

export interface ChatAbortResult {
  ok: boolean
  aborted: boolean
  runIds: string[]
}

export interface ChatHistoryParams {
  sessionKey: string
  limit?: number
  offset?: number
}

/** One row of `chat.history` (`messages[]`). */
export interface GatewayHistoryMessage {
  role: string
  content?: unknown
  timestamp?: number
  stopReason?: string
  usage?: GatewayUsage
  toolCallId?: string
  toolName?: string
  isError?: boolean
  openclawAbort?: { aborted?: boolean }
  __openclaw?: { runId?: string; id?: string; seq?: number }
}

export interface GatewayUsage {
  input?: number
  output?: number
  totalTokens?: number
  cost?: { total?: number }
}

export interface GatewayActivityItem {
  itemId?: string
  toolCallId?: string
  name?: string
  kind?: string
  title?: string
  status?: string
}

export interface ChatHistoryResult {
  sessionKey?: string
  sessionId?: string
  messages: GatewayHistoryMessage[]
  activity?: Array<{ messageId?: string; items?: GatewayActivityItem[] }>
  hasMore?: boolean
  nextOffset?: number
  totalMessages?: number
  sessionInfo?: GatewaySessionInfo
}

export interface GatewaySessionInfo {
  key?: string
  sessionId?: string
  updatedAt?: number
  inputTokens?: number
  outputTokens?: number
  estimatedCostUsd?: number
  status?: string
  lastRunId?: string
  hasActiveRun?: boolean
  activeRunIds?: string[]
}

/** `chat` event payload (one run's user-visible stream). */
export interface GatewayChatPayload {
  runId: string
  sessionKey?: string
  seq?: number
  state: 'status' | 'delta' | 'final' | 'aborted' | 'error' | string
  deltaText?: string
  /** `deltaText` is the whole text so far, not an increment (the text was rewritten or deltas coalesced). */
  replace?: boolean
  message?: unknown
  stopReason?: string
  errorMessage?: string
  errorKind?: string
}

/** `agent` event payload (the run's detailed streams: lifecycle, thinking, item, tool, …). */
export interface GatewayAgentPayload {
  runId: string
  sessionKey?: string
  stream: string
  data: Record<string, unknown>
  seq?: number
  ts?: number
}


/** Parses one WebSocket text message into a frame; anything that is not a frame gives undefined. */
export function parseGatewayFrame(text: string): GatewayFrame | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isRecord(value)) return undefined
  if (value.type === 'event' && typeof value.event === 'string') return value as unknown as GatewayEventFrame
  if (value.type === 'res' && typeof value.id === 'string' && typeof value.ok === 'boolean') return value as unknown as GatewayResponseFrame
  if (value.type === 'req' && typeof value.id === 'string' && typeof value.method === 'string') return value as unknown as GatewayRequestFrame
  return undefined
}

/** The `runId` of a `chat` or `agent` event, if it has one. */
export function eventRunId(frame: GatewayEventFrame): string | undefined {
  if (frame.event !== 'chat' && frame.event !== 'agent') return undefined
  const payload = frame.payload
  return isRecord(payload) && typeof payload.runId === 'string' ? payload.runId : undefined
}

/** Text of a gateway message (`{content: [{type:"text", text}]}`, a string content, or `{text}`). */
export function messageText(message: unknown): string | undefined {
  if (typeof message === 'string') return message
  if (!isRecord(message)) return undefined
  const content = message.content
  if (typeof content === 'string') return content
  if (Array.isArray(content)) {
    let text = ''
    let any = false
    for (const part of content) {
      if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') {
        text += part.text
        any = true
      }
    }
    return any ? text : ''
  }
  return typeof message.text === 'string' ? message.text : undefined
}

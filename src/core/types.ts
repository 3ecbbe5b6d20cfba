import type { Attachment, ChatError, ChatErrorKind, ServerErrorKind } from '../protocol'

export type ChatStatus = 'ready' | 'submitted' | 'streaming' | 'stopping' | 'error'

/** How an assistant message ended. */
export type FinishReason = 'done' | 'aborted' | 'error' | 'interrupted'

/** Session totals. */
export interface Usage {
  tokensIn: number
  tokensOut: number
  costUsd: number
}

/** One message's usage: any field may be unknown. */
export type MessageUsage = Partial<Usage>

export interface TextPart {
  type: 'text'
  text: string
}

export interface ReasoningPart {
  type: 'reasoning'
  text: string
  state: 'streaming' | 'done'
  /** Epoch ms when the block started (live streams only). */
  startedAt?: number
  durationMs?: number
}

export type ToolState = 'running' | 'done' | 'error' | 'interrupted'

export interface ToolPart {
  type: 'tool'
  toolCallId: string
  name: string
  label?: string
  subject?: string
  arguments?: unknown
  state: ToolState
  startedAt?: number
  durationMs?: number
  output?: unknown
}

export interface AttachmentPart {
  type: 'attachment'
  attachment: Attachment
}

export type MessagePart = TextPart | ReasoningPart | ToolPart | AttachmentPart

/** Why a message failed, kept on the message so a transcript can show it after the banner is gone. */
export interface MessageError {
  kind: ChatErrorKind
  message: string
  errorKind?: ServerErrorKind
}

export interface ChatMessage {
  id: string
  role: 'user' | 'assistant'
  parts: MessagePart[]
  finish?: FinishReason
  usage?: MessageUsage
  error?: MessageError
  createdAt: number
}

/** A message sent while a run was busy, waiting for its turn. */
export interface PendingMessage {
  id: string
  text: string
  attachments: Attachment[]
  createdAt: number
}

export interface ChatState {
  sessionKey?: string
  /** The current (or last) run's id, from `lifecycle start`. */
  runId?: string
  status: ChatStatus
  /**
   * Settled messages, oldest first: history, finished turns, and the user message of the running turn.
   * Untouched messages keep their object identity across updates.
   */
  messages: ChatMessage[]
  /** The assistant message being streamed, if a run is open. Kept apart so a delta costs the same however long the thread is. */
  live?: ChatMessage
  queue: PendingMessage[]
  usage: Usage
  error?: ChatError
}

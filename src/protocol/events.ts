/**
 * The stream events of the `/claw` chat contract, in their canonical (normalized) form.
 * Legacy names and field aliases are folded into these by `decodeEvent`.
 */

export type LifecyclePhase = 'start' | 'end' | 'error' | 'aborted'

/** `errorKind` values a server sends; anything else is read as `unknown`. */
export type ServerErrorKind = 'refusal' | 'timeout' | 'rate_limit' | 'context_length' | 'unknown'

export interface LifecycleEvent {
  type: 'lifecycle'
  phase: LifecyclePhase
  runId?: string
}

export interface TextDeltaEvent {
  type: 'text-delta'
  text: string
}

export interface ReasoningDeltaEvent {
  type: 'reasoning-delta'
  text: string
}

export interface ToolStartEvent {
  type: 'tool-start'
  toolCallId: string
  toolName: string
  label?: string
  subject?: string
  arguments?: unknown
}

export interface ToolEndEvent {
  type: 'tool-end'
  toolCallId: string
  /** Omitted by the legacy `tool-output` frame when it does not say. */
  isError: boolean
  output?: unknown
  durationMs?: number
  /** Present on names a server sent without a matching `tool-start`. */
  toolName?: string
}

export interface UsageEvent {
  type: 'usage'
  tokensIn?: number
  tokensOut?: number
  costUsd?: number
}

export interface DoneEvent {
  type: 'done'
  /** The full final answer; `undefined` when the server did not send one. */
  text?: string
}

export interface ErrorEvent {
  type: 'error'
  message: string
  errorKind: ServerErrorKind
  /** Legacy servers send a `code` instead of `errorKind`. */
  code?: string
}

/** One decoded stream event. */
export type ChatEvent =
  | LifecycleEvent
  | TextDeltaEvent
  | ReasoningDeltaEvent
  | ToolStartEvent
  | ToolEndEvent
  | UsageEvent
  | DoneEvent
  | ErrorEvent

export type ChatEventType = ChatEvent['type']

/** Whether an event ends a run (exactly one of these arrives per run). */
export function isTerminalEvent(event: ChatEvent): boolean {
  return event.type === 'done' || event.type === 'error' || (event.type === 'lifecycle' && event.phase === 'aborted')
}

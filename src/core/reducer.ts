import { ChatError, type ChatEvent } from '../protocol'
import type { ChatAction } from './actions'
import type {
  ChatMessage,
  ChatState,
  FinishReason,
  MessagePart,
  MessageUsage,
  ReasoningPart,
  ToolPart,
  Usage,
} from './types'

export const EMPTY_USAGE: Usage = Object.freeze({ tokensIn: 0, tokensOut: 0, costUsd: 0 })

export function createInitialState(sessionKey?: string): ChatState {
  const state: ChatState = { status: 'ready', messages: [], queue: [], usage: EMPTY_USAGE }
  if (sessionKey !== undefined) state.sessionKey = sessionKey
  return state
}

/** Concatenated text of a message's text parts. */
export function messageText(message: Pick<ChatMessage, 'parts'>): string {
  let text = ''
  for (const part of message.parts) if (part.type === 'text') text += part.text
  return text
}

const elapsed = (startedAt: number | undefined, now: number): number | undefined =>
  startedAt === undefined ? undefined : Math.max(0, now - startedAt)

function closeReasoning(part: ReasoningPart, now: number): ReasoningPart {
  const durationMs = part.durationMs ?? elapsed(part.startedAt, now)
  return durationMs === undefined ? { ...part, state: 'done' } : { ...part, state: 'done', durationMs }
}

/** Parts with the last reasoning block closed (it ends when anything else starts). */
function withReasoningClosed(parts: MessagePart[], now: number): MessagePart[] {
  const last = parts[parts.length - 1]
  if (last?.type !== 'reasoning' || last.state !== 'streaming') return parts
  const next = parts.slice()
  next[next.length - 1] = closeReasoning(last, now)
  return next
}

function appendText(parts: MessagePart[], text: string, now: number): MessagePart[] {
  const last = parts[parts.length - 1]
  if (last?.type === 'text') {
    const next = parts.slice()
    next[next.length - 1] = { type: 'text', text: last.text + text }
    return next
  }
  const next = withReasoningClosed(parts, now)
  return [...next, { type: 'text', text }]
}

function appendReasoning(parts: MessagePart[], text: string, now: number): MessagePart[] {
  const last = parts[parts.length - 1]
  if (last?.type === 'reasoning' && last.state === 'streaming') {
    const next = parts.slice()
    next[next.length - 1] = { ...last, text: last.text + text }
    return next
  }
  return [...parts, { type: 'reasoning', text, state: 'streaming', startedAt: now }]
}

function findTool(parts: MessagePart[], toolCallId: string): number {
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i]
    if (part !== undefined && part.type === 'tool' && part.toolCallId === toolCallId) return i
  }
  return -1
}

function startTool(parts: MessagePart[], event: Extract<ChatEvent, { type: 'tool-start' }>, now: number): MessagePart[] {
  const index = findTool(parts, event.toolCallId)
  if (index >= 0) {
    // A duplicated start (or a start after its end): fill in what is new, never reset the card.
    const current = parts[index] as ToolPart
    const merged: ToolPart = { ...current }
    if (current.name === 'tool' || current.name === '') merged.name = event.toolName
    if (event.label !== undefined && current.label === undefined) merged.label = event.label
    if (event.subject !== undefined && current.subject === undefined) merged.subject = event.subject
    if (event.arguments !== undefined && current.arguments === undefined) merged.arguments = event.arguments
    const next = parts.slice()
    next[index] = merged
    return next
  }
  const part: ToolPart = { type: 'tool', toolCallId: event.toolCallId, name: event.toolName, state: 'running', startedAt: now }
  if (event.label !== undefined) part.label = event.label
  if (event.subject !== undefined) part.subject = event.subject
  if (event.arguments !== undefined) part.arguments = event.arguments
  return [...withReasoningClosed(parts, now), part]
}

function endTool(parts: MessagePart[], event: Extract<ChatEvent, { type: 'tool-end' }>, now: number): MessagePart[] {
  const index = findTool(parts, event.toolCallId)
  if (index < 0) {
    // An end for a call never started: the card is created now.
    const part: ToolPart = {
      type: 'tool',
      toolCallId: event.toolCallId,
      name: event.toolName ?? 'tool',
      state: event.isError ? 'error' : 'done',
    }
    if (event.durationMs !== undefined) part.durationMs = event.durationMs
    if (event.output !== undefined) part.output = event.output
    return [...withReasoningClosed(parts, now), part]
  }
  const current = parts[index] as ToolPart
  const ended: ToolPart = { ...current }
  // A second end (legacy `tool-output` after `tool-end`) adds output and can only turn a card into an error.
  ended.state = event.isError ? 'error' : current.state === 'error' ? 'error' : 'done'
  const durationMs = event.durationMs ?? current.durationMs ?? elapsed(current.startedAt, now)
  if (durationMs !== undefined) ended.durationMs = durationMs
  if (event.output !== undefined) ended.output = event.output
  const next = parts.slice()
  next[index] = ended
  return next
}

function closeOpenParts(parts: MessagePart[], now: number): MessagePart[] {
  let next: MessagePart[] | undefined
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as MessagePart
    let closed: MessagePart | undefined
    if (part.type === 'reasoning' && part.state === 'streaming') closed = closeReasoning(part, now)
    else if (part.type === 'tool' && part.state === 'running') {
      const durationMs = part.durationMs ?? elapsed(part.startedAt, now)
      closed = durationMs === undefined ? { ...part, state: 'interrupted' } : { ...part, state: 'interrupted', durationMs }
    }
    if (closed !== undefined) {
      next ??= parts.slice()
      next[i] = closed
    }
  }
  return next ?? parts
}

/** `done.text` is the truth only when it extends what was streamed (deltas were lost). */
function reconcileDoneText(parts: MessagePart[], finalText: string | undefined, now: number): MessagePart[] {
  if (finalText === undefined || finalText === '') return parts
  const streamed = messageText({ parts })
  if (finalText.length > streamed.length && finalText.startsWith(streamed)) {
    return appendText(parts, finalText.slice(streamed.length), now)
  }
  // Some servers put only the last text segment (after the last tool call) in `done`.
  const last = parts[parts.length - 1]
  if (last?.type === 'text' && finalText.length > last.text.length && finalText.startsWith(last.text)) {
    return appendText(parts, finalText.slice(last.text.length), now)
  }
  return parts
}

const usageDelta = (before: MessageUsage | undefined, after: MessageUsage | undefined, totals: Usage): Usage => ({
  tokensIn: totals.tokensIn + (after?.tokensIn ?? 0) - (before?.tokensIn ?? 0),
  tokensOut: totals.tokensOut + (after?.tokensOut ?? 0) - (before?.tokensOut ?? 0),
  costUsd: totals.costUsd + (after?.costUsd ?? 0) - (before?.costUsd ?? 0),
})

function mergeUsage(before: MessageUsage | undefined, update: MessageUsage): MessageUsage {
  const merged: MessageUsage = { ...before }
  if (update.tokensIn !== undefined) merged.tokensIn = update.tokensIn
  if (update.tokensOut !== undefined) merged.tokensOut = update.tokensOut
  if (update.costUsd !== undefined) merged.costUsd = update.costUsd
  return merged
}

/** Ends the live message: closes open parts and moves it into `messages`. */
function settle(state: ChatState, finish: FinishReason, now: number, error?: ChatError): ChatState {
  const live = state.live
  if (live === undefined) return state
  const message: ChatMessage = { ...live, parts: closeOpenParts(live.parts, now), finish }
  if (error !== undefined) {
    message.error = error.errorKind === undefined
      ? { kind: error.kind, message: error.message }
      : { kind: error.kind, message: error.message, errorKind: error.errorKind }
  }
  // A failed turn that produced nothing leaves no empty bubble behind; its error is on the state.
  const keep = message.parts.length > 0 || finish === 'aborted' || finish === 'done'
  // Rest destructuring, not `delete`: a deleted key would turn every later state into a slow dictionary object.
  const { live: _live, ...rest } = state
  const next: ChatState = { ...rest, messages: keep ? [...state.messages, message] : state.messages }
  if (error !== undefined) {
    next.status = 'error'
    next.error = error
  } else {
    next.status = 'ready'
  }
  return next
}

/** The live message with new parts (one literal, one shape: see `withLive`). */
function withParts(live: ChatMessage, parts: MessagePart[]): ChatMessage {
  return { id: live.id, role: live.role, parts, finish: live.finish, usage: live.usage, error: live.error, createdAt: live.createdAt }
}

/**
 * The state with a new live message: the hot path of every delta. Written as one literal with every key (absent
 * ones undefined) rather than a spread, so all these states share one shape: about 3× faster per delta in V8.
 */
function withLive(state: ChatState, live: ChatMessage): ChatState {
  return {
    sessionKey: state.sessionKey,
    runId: state.runId,
    status: state.status === 'submitted' ? 'streaming' : state.status,
    messages: state.messages,
    live,
    queue: state.queue,
    usage: state.usage,
    error: state.error,
  }
}

/** Applies one stream event. Pure and total: any event, in any order, never throws. */
export function applyEvent(state: ChatState, event: ChatEvent, now: number): ChatState {
  const live = state.live
  if (live === undefined) return state
  switch (event.type) {
    case 'text-delta':
      if (event.text === '') return withLive(state, live)
      return withLive(state, withParts(live, appendText(live.parts, event.text, now)))
    case 'reasoning-delta':
      if (event.text === '') return withLive(state, live)
      return withLive(state, withParts(live, appendReasoning(live.parts, event.text, now)))
    case 'tool-start':
      return withLive(state, withParts(live, startTool(live.parts, event, now)))
    case 'tool-end':
      return withLive(state, withParts(live, endTool(live.parts, event, now)))
    case 'usage': {
      const usage = mergeUsage(live.usage, event)
      return { ...withLive(state, { ...live, usage }), usage: usageDelta(live.usage, usage, state.usage) }
    }
    case 'lifecycle':
      if (event.phase === 'aborted') return settle(state, 'aborted', now)
      if (event.phase === 'start' && event.runId !== undefined) return { ...withLive(state, live), runId: event.runId }
      return withLive(state, live)
    case 'done': {
      const parts = reconcileDoneText(live.parts, event.text, now)
      return settle(parts === live.parts ? state : { ...state, live: { ...live, parts } }, 'done', now)
    }
    case 'error': {
      const init = { kind: 'server' as const, message: event.message, errorKind: event.errorKind }
      return settle(state, 'error', now, new ChatError(event.code === undefined ? init : { ...init, code: event.code }))
    }
    default:
      return state
  }
}

type DeltaType = 'text-delta' | 'reasoning-delta'

const isDelta = (action: ChatAction | undefined, type: DeltaType): action is Extract<ChatEvent, { type: DeltaType }> =>
  action !== undefined && action.type === type

/**
 * Applies actions in order. A run of consecutive deltas of one kind is applied as one delta of their joined text:
 * the same state as one by one, at the cost of one update (a network chunk often holds dozens of deltas).
 */
export function reduceAll(state: ChatState, actions: readonly ChatAction[], now: number): ChatState {
  let next = state
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i] as ChatAction
    if ((action.type === 'text-delta' || action.type === 'reasoning-delta') && isDelta(actions[i + 1], action.type)) {
      const type = action.type
      let text = action.text
      while (isDelta(actions[i + 1], type)) text += (actions[++i] as { text: string }).text
      next = reduce(next, { type, text }, now)
    } else {
      next = reduce(next, action, now)
    }
  }
  return next
}

/** Applies a batch of stream events in order. */
export function applyEvents(state: ChatState, events: readonly ChatEvent[], now: number): ChatState {
  return reduceAll(state, events, now)
}

function totalsOf(messages: readonly ChatMessage[]): Usage {
  let totals = EMPTY_USAGE
  for (const m of messages) if (m.usage !== undefined) totals = usageDelta(undefined, m.usage, totals)
  return totals
}

/** Applies a stream event or a local action. Pure and total. */
export function reduce(state: ChatState, action: ChatAction, now: number): ChatState {
  switch (action.type) {
    case 'turn/start': {
      let messages = state.messages
      if (state.live !== undefined) messages = [...messages, { ...state.live, parts: closeOpenParts(state.live.parts, now), finish: 'interrupted' }]
      if (action.dropMessageId !== undefined) messages = messages.filter((m) => m.id !== action.dropMessageId)
      if (action.user !== undefined) messages = [...messages, action.user]
      const { error: _error, runId: _runId, ...rest } = state
      return { ...rest, messages, live: action.assistant, status: 'submitted', usage: messages === state.messages ? state.usage : totalsOf(messages) }
    }
    case 'turn/stop-requested':
      return state.live === undefined || state.status === 'stopping' ? state : { ...state, status: 'stopping' }
    case 'turn/finish':
      return settle(state, action.finish, now, action.error)
    case 'session/key':
      return state.sessionKey === action.sessionKey ? state : { ...state, sessionKey: action.sessionKey }
    case 'history/loaded': {
      const known = new Set(state.messages.map((m) => m.id))
      const fresh = action.messages.filter((m) => !known.has(m.id))
      if (fresh.length === 0) return state
      const messages = [...fresh, ...state.messages]
      return { ...state, messages, usage: usageDelta(undefined, totalsOf(fresh), state.usage) }
    }
    case 'history/synced': {
      if (state.live !== undefined || action.messages.length === 0) return state
      if (state.messages.length === 0) return { ...state, messages: action.messages.slice(), usage: usageDelta(undefined, totalsOf(action.messages), state.usage) }
      // Anchored on the store's newest message: if the page does not hold it, the store has turns of its own (or the
      // page is unrelated) and appending would duplicate them.
      const newest = state.messages[state.messages.length - 1] as ChatMessage
      const anchor = action.messages.findIndex((m) => m.id === newest.id)
      if (anchor < 0) return state
      const known = new Set(state.messages.map((m) => m.id))
      const fresh = action.messages.slice(anchor + 1).filter((m) => !known.has(m.id))
      if (fresh.length === 0) return state
      return { ...state, messages: [...state.messages, ...fresh], usage: usageDelta(undefined, totalsOf(fresh), state.usage) }
    }
    case 'usage/filled': {
      const index = state.messages.findIndex((m) => m.id === action.messageId)
      const target = state.messages[index]
      if (target === undefined) return state
      const usage = mergeUsage(target.usage, action.usage)
      const messages = state.messages.slice()
      messages[index] = { ...target, usage }
      return { ...state, messages, usage: usageDelta(target.usage, usage, state.usage) }
    }
    case 'queue/add':
      return { ...state, queue: [...state.queue, action.item] }
    case 'queue/remove': {
      const queue = state.queue.filter((q) => q.id !== action.id)
      return queue.length === state.queue.length ? state : { ...state, queue }
    }
    case 'queue/update':
      return { ...state, queue: state.queue.map((q) => (q.id === action.id ? { ...q, text: action.text } : q)) }
    case 'error/clear': {
      if (state.error === undefined && state.status !== 'error') return state
      const { error: _error, ...rest } = state
      return { ...rest, status: state.live === undefined ? 'ready' : state.status }
    }
    case 'reset':
      return createInitialState(action.sessionKey)
    default:
      return applyEvent(state, action, now)
  }
}

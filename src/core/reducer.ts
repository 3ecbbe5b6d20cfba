import { ChatError, type ChatEvent, type ReasoningDeltaEvent, type TextDeltaEvent, type ToolEndEvent, type ToolStartEvent } from '../protocol'
import type { ChatAction } from './actions'
import type { ChatMessage, ChatState, FinishReason, MessagePart, MessageUsage, ReasoningPart, ToolPart, Usage } from './types'

export const EMPTY_USAGE: Usage = Object.freeze({ tokensIn: 0, tokensOut: 0, costUsd: 0 })

/** The fields of a usage record (the session totals, a message's usage, a history item's). */
export const USAGE_KEYS = ['tokensIn', 'tokensOut', 'costUsd'] as const

/** What a repeated `tool-start` may fill in on its card (never overwriting). */
const TOOL_DETAILS = ['label', 'subject', 'arguments'] as const

export function createInitialState(sessionKey?: string): ChatState {
  return { status: 'ready', messages: [], queue: [], usage: EMPTY_USAGE, ...(sessionKey !== undefined && { sessionKey }) }
}

/** Concatenated text of a message's text parts. */
export function messageText(message: Pick<ChatMessage, 'parts'>): string {
  let text = ''
  for (const part of message.parts) if (part.type === 'text') text += part.text
  return text
}

/** A copy of `list` with the item at `index` replaced. */
function replaceAt<T>(list: T[], index: number, item: T): T[] {
  const next = list.slice()
  next[index] = item
  return next
}

/** The part ended in `state`; without a duration from the server (or the part), the time since it started. */
function closePart<P extends ReasoningPart | ToolPart>(part: P, state: P['state'], now: number, durationMs = part.durationMs): P {
  if (part.startedAt !== undefined) durationMs ??= Math.max(0, now - part.startedAt)
  return { ...part, state, ...(durationMs !== undefined && { durationMs }) }
}

/** Parts with `part` appended: a reasoning block still streaming ends when anything else starts. */
function appendPart(parts: MessagePart[], part: MessagePart, now: number): MessagePart[] {
  const next = [...parts, part]
  const last = parts[parts.length - 1]
  if (last?.type === 'reasoning' && last.state === 'streaming') next[parts.length - 1] = closePart(last, 'done', now)
  return next
}

/** Parts with a delta's text added to the block it continues, or to a new block. */
function appendDelta(parts: MessagePart[], event: TextDeltaEvent | ReasoningDeltaEvent, now: number): MessagePart[] {
  const last = parts[parts.length - 1]
  const text = event.text
  if (event.type === 'text-delta') {
    return last?.type === 'text'
      ? replaceAt(parts, parts.length - 1, { type: 'text', text: last.text + text })
      : appendPart(parts, { type: 'text', text }, now)
  }
  return last?.type === 'reasoning' && last.state === 'streaming'
    ? replaceAt(parts, parts.length - 1, { ...last, text: last.text + text })
    : appendPart(parts, { type: 'reasoning', text, state: 'streaming', startedAt: now }, now)
}

/** Parts with a tool card changed: `index` is where the card was found, -1 to append it. */
const putTool = (parts: MessagePart[], index: number, part: ToolPart, now: number): MessagePart[] =>
  index < 0 ? appendPart(parts, part, now) : replaceAt(parts, index, part)

const findTool = (parts: MessagePart[], toolCallId: string): number =>
  parts.findLastIndex((part) => part.type === 'tool' && part.toolCallId === toolCallId)

function startTool(parts: MessagePart[], event: ToolStartEvent, now: number): MessagePart[] {
  const index = findTool(parts, event.toolCallId)
  // A duplicated start (or a start after its end) fills in what is new, never resets the card.
  const part: ToolPart = { ...((parts[index] as ToolPart | undefined) ?? { type: 'tool', toolCallId: event.toolCallId, name: event.toolName, state: 'running', startedAt: now }) }
  if (part.name === 'tool' || part.name === '') part.name = event.toolName
  for (const key of TOOL_DETAILS) {
    if (part[key] === undefined && event[key] !== undefined) (part as Record<typeof key, unknown>)[key] = event[key]
  }
  return putTool(parts, index, part, now)
}

function endTool(parts: MessagePart[], event: ToolEndEvent, now: number): MessagePart[] {
  const index = findTool(parts, event.toolCallId)
  // An end for a call never started creates the card now.
  const current: ToolPart = (parts[index] as ToolPart | undefined) ?? { type: 'tool', toolCallId: event.toolCallId, name: event.toolName ?? 'tool', state: 'done' }
  // A second end (legacy `tool-output` after `tool-end`) adds output and can only turn a card into an error.
  const part = closePart(current, event.isError || current.state === 'error' ? 'error' : 'done', now, event.durationMs)
  if (event.output !== undefined) part.output = event.output
  return putTool(parts, index, part, now)
}

/** The parts of an ending message: open reasoning done, running tools interrupted. */
const closeOpenParts = (parts: MessagePart[], now: number): MessagePart[] =>
  parts.map((part) =>
    'state' in part && (part.state === 'streaming' || part.state === 'running')
      ? closePart(part, part.state === 'running' ? 'interrupted' : 'done', now)
      : part,
  )

/**
 * `done.text` is the truth only when it extends what was streamed (deltas were lost); some servers put only the
 * last text segment (after the last tool call) in it.
 */
function reconcileDoneText(parts: MessagePart[], finalText: string | undefined, now: number): MessagePart[] {
  if (!finalText) return parts
  const last = parts[parts.length - 1]
  // Without a last text segment the second candidate is `finalText` itself, which never extends itself.
  for (const streamed of [messageText({ parts }), last?.type === 'text' ? last.text : finalText]) {
    if (finalText.length > streamed.length && finalText.startsWith(streamed)) return appendDelta(parts, { type: 'text-delta', text: finalText.slice(streamed.length) }, now)
  }
  return parts
}

function mergeUsage(before: MessageUsage | undefined, update: MessageUsage): MessageUsage {
  const merged: MessageUsage = { ...before }
  for (const key of USAGE_KEYS) if (update[key] !== undefined) merged[key] = update[key]
  return merged
}

/** `totals` plus one message's usage. */
function addUsage(totals: Usage, usage: MessageUsage | undefined): Usage {
  if (!usage) return totals
  const sum = { ...totals }
  for (const key of USAGE_KEYS) sum[key] += usage[key] ?? 0
  return sum
}

/** Totals of settled messages, once per `messages` array: a usage event mid-run costs the same however long the thread. */
const settledTotals = new WeakMap<ChatMessage[], Usage>()

/** The state with its session totals: every settled message's usage plus the live one's. */
function withTotals(state: ChatState): ChatState {
  let settled = settledTotals.get(state.messages)
  if (!settled) settledTotals.set(state.messages, (settled = state.messages.reduce((sum, m) => addUsage(sum, m.usage), EMPTY_USAGE)))
  return { ...state, usage: addUsage(settled, state.live?.usage) }
}

/** Ends the live message: closes open parts and moves it into `messages`. */
function settle(state: ChatState, finish: FinishReason, now: number, error?: ChatError): ChatState {
  const { live, messages } = state
  if (!live) return state
  const message: ChatMessage = { ...live, parts: closeOpenParts(live.parts, now), finish }
  if (error) message.error = { kind: error.kind, message: error.message, ...(error.errorKind && { errorKind: error.errorKind }) }
  return {
    ...state,
    // A failed turn that produced nothing leaves no empty bubble behind; its error is on the state.
    messages: message.parts.length > 0 || finish === 'aborted' || finish === 'done' ? [...messages, message] : messages,
    // Set to undefined, never deleted: a deleted key would turn every later state into a slow dictionary object.
    live: undefined,
    status: error ? 'error' : 'ready',
    error: error ?? state.error,
  }
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
  if (!live) return state
  let parts = live.parts
  switch (event.type) {
    case 'text-delta':
    case 'reasoning-delta':
      if (event.text !== '') parts = appendDelta(parts, event, now)
      break
    case 'tool-start':
      parts = startTool(parts, event, now)
      break
    case 'tool-end':
      parts = endTool(parts, event, now)
      break
    case 'usage':
      return withTotals(withLive(state, { ...live, usage: mergeUsage(live.usage, event) }))
    case 'lifecycle':
      if (event.phase === 'aborted') return settle(state, 'aborted', now)
      if (event.phase === 'start' && event.runId !== undefined) return { ...withLive(state, live), runId: event.runId }
      break
    case 'done':
      return settle({ ...state, live: { ...live, parts: reconcileDoneText(parts, event.text, now) } }, 'done', now)
    case 'error':
      return settle(state, 'error', now, new ChatError({ kind: 'server', message: event.message, errorKind: event.errorKind, code: event.code }))
    default:
      return state
  }
  return withLive(state, parts === live.parts ? live : withParts(live, parts))
}

/**
 * Applies actions in order. A run of consecutive deltas of one kind is applied as one delta of their joined text:
 * the same state as one by one, at the cost of one update (a network chunk often holds dozens of deltas).
 */
export function reduceAll(state: ChatState, actions: readonly ChatAction[], now: number): ChatState {
  let next = state
  for (let i = 0; i < actions.length; i++) {
    let action = actions[i] as ChatAction
    if ((action.type === 'text-delta' || action.type === 'reasoning-delta') && actions[i + 1]?.type === action.type) {
      const type = action.type
      let text = action.text
      while (actions[i + 1]?.type === type) text += (actions[++i] as { text: string }).text
      action = { type, text }
    }
    next = reduce(next, action, now)
  }
  return next
}

/** Applies a batch of stream events in order. */
export const applyEvents: (state: ChatState, events: readonly ChatEvent[], now: number) => ChatState = reduceAll

/** Applies a stream event or a local action. Pure and total. */
export function reduce(state: ChatState, action: ChatAction, now: number): ChatState {
  switch (action.type) {
    case 'turn/start': {
      // A turn still live is kept, as interrupted, even empty: its question was asked.
      const { live } = state
      const messages = (live ? [...state.messages, { ...live, parts: closeOpenParts(live.parts, now), finish: 'interrupted' as const }] : state.messages)
        .filter((m) => m.id !== action.dropMessageId)
      if (action.user) messages.push(action.user)
      return withTotals({ ...state, messages, live: action.assistant, status: 'submitted', error: undefined, runId: undefined })
    }
    case 'turn/stop-requested':
      return !state.live || state.status === 'stopping' ? state : { ...state, status: 'stopping' }
    case 'turn/finish':
      return settle(state, action.finish, now, action.error)
    case 'session/key':
      return state.sessionKey === action.sessionKey ? state : { ...state, sessionKey: action.sessionKey }
    case 'history/loaded':
    case 'history/synced': {
      // History goes before the conversation. A sync (the newest page again) appends what follows the store's newest
      // message, and only when no turn is live and the page holds that message: if it does not, the store has turns
      // of its own (or the page is unrelated) and appending would duplicate them.
      const { messages, live } = state
      const synced = action.type === 'history/synced'
      const newest = messages[messages.length - 1]
      const from = synced && newest ? action.messages.findIndex((m) => m.id === newest.id) + 1 : 0
      if (synced && (live || (newest && !from))) return state
      const known = new Set(messages.map((m) => m.id))
      const fresh = action.messages.slice(from).filter((m) => !known.has(m.id))
      return fresh.length ? withTotals({ ...state, messages: synced ? [...messages, ...fresh] : [...fresh, ...messages] }) : state
    }
    case 'usage/filled': {
      const index = state.messages.findIndex((m) => m.id === action.messageId)
      const target = state.messages[index]
      return !target ? state : withTotals({ ...state, messages: replaceAt(state.messages, index, { ...target, usage: mergeUsage(target.usage, action.usage) }) })
    }
    case 'queue/add':
      return { ...state, queue: [...state.queue, action.item] }
    case 'queue/remove': {
      const queue = state.queue.filter((q) => q.id !== action.id)
      return queue.length === state.queue.length ? state : { ...state, queue }
    }
    case 'queue/update':
      return { ...state, queue: state.queue.map((q) => (q.id === action.id ? { ...q, text: action.text } : q)) }
    case 'error/clear':
      return !state.error && state.status !== 'error' ? state : { ...state, error: undefined, status: state.live ? state.status : 'ready' }
    case 'reset':
      return createInitialState(action.sessionKey)
    default:
      return applyEvent(state, action, now)
  }
}

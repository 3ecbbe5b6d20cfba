import type { Attachment, HistoryItem, HistoryTurn } from '../protocol'
import { messageText, USAGE_KEYS } from './reducer'
import type { ChatMessage, MessagePart, MessageUsage, ReasoningPart, ToolPart } from './types'

/** Epoch ms of a number or a date string; 0 when there is none (or it is not a valid time). */
function timestampOf(value: number | string | undefined): number {
  const ms = typeof value === 'string' ? Date.parse(value) : value
  return Number.isFinite(ms) ? (ms as number) : 0
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== ''

/** `value` when it is an array (a loose server may send anything), else no elements. */
const arrayOf = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : [])

/** `target` plus the fields of `fields` that are defined: an unknown field stays absent, not `undefined`. */
function withDefined<T extends object>(target: T, fields: { [K in keyof T]?: T[K] | undefined }): T {
  for (const key in fields) if (fields[key] !== undefined) target[key] = fields[key] as T[typeof key]
  return target
}

/** The usage fields a history item carries, or undefined when it has none. */
export function historyItemUsage(item: HistoryItem): MessageUsage | undefined {
  let usage: MessageUsage | undefined
  for (const field of USAGE_KEYS) {
    const value = item[field]
    if (typeof value === 'number') (usage ??= {})[field] = value
  }
  return usage
}

/** Maps a history item onto the same message parts a live stream produces. */
export function historyItemToMessage(item: HistoryItem): ChatMessage {
  const parts: MessagePart[] = []
  const reasoning = item.reasoning
  if (isText(reasoning?.text)) {
    parts.push(withDefined<ReasoningPart>({ type: 'reasoning', text: reasoning.text, state: 'done' }, { durationMs: reasoning.durationMs }))
  }
  arrayOf(item.toolCalls).forEach((call, index) => {
    if (typeof call?.toolName !== 'string') return
    parts.push(
      withDefined<ToolPart>(
        { type: 'tool', toolCallId: call.toolCallId ?? `${item.id}:tool:${index}`, name: call.toolName, state: call.status === 'failed' ? 'error' : 'done' },
        { label: call.label, subject: call.subject, arguments: call.input, output: call.output ?? call.error, durationMs: call.durationMs },
      ),
    )
  })
  for (const attachment of arrayOf(item.attachments)) {
    // Only images that came with their data can be shown.
    if (attachment?.kind === 'image' && typeof attachment.dataUrl === 'string') parts.push({ type: 'attachment', attachment: attachment as Attachment })
  }
  if (isText(item.text)) parts.push({ type: 'text', text: item.text })
  const message: ChatMessage = { id: item.id, role: item.role === 'user' ? 'user' : 'assistant', parts, createdAt: timestampOf(item.timestamp) }
  // An answer in the history is complete.
  return message.role === 'user' ? message : withDefined(message, { finish: 'done', usage: historyItemUsage(item) })
}

export const DEFAULT_HISTORY_TURNS = 20
const MAX_TURN_CHARS = 16_000

/** The last `limit` turns as plain text, for the request's `history` field. */
export function historyTurns(messages: readonly ChatMessage[], limit = DEFAULT_HISTORY_TURNS): HistoryTurn[] {
  const turns: HistoryTurn[] = []
  for (let i = messages.length - 1; i >= 0 && turns.length < limit; i--) {
    const message = messages[i] as ChatMessage
    const content = messageText(message)
    // Long turns keep their beginning, never ending on half a surrogate pair.
    if (content !== '') turns.push({ role: message.role, content: content.length > MAX_TURN_CHARS ? content.slice(0, MAX_TURN_CHARS).replace(/[\ud800-\udbff]$/, '') : content })
  }
  return turns.reverse()
}

/** The well-formed items of a history page (a malformed page has none, malformed items are skipped). */
function pageItems(page: unknown): HistoryItem[] {
  // Any JSON value may come: one that is not an object has no `items`, nor an item an `id`.
  type Loose = { items?: Array<Partial<HistoryItem> | null> } | null | undefined
  return arrayOf((page as Loose)?.items).filter(
    (item): item is HistoryItem => typeof item?.id === 'string' && (item.role === 'user' || item.role === 'assistant'),
  )
}

/** Messages of one history page, tolerating a malformed page or items (they are skipped). */
export function historyPageMessages(page: unknown): ChatMessage[] {
  return pageItems(page).map(historyItemToMessage)
}

/** A question older than this is not waited for (its run failed long ago, or the answer was never recorded). */
export const DEFAULT_RESUME_MAX_AGE_MS = 60 * 60_000

/**
 * Whether the newest item of a history page is a user message with no answer after it: the session's run may still
 * be going on on the server (PROTOCOL.md has no "run active" signal; this is the one a history page gives).
 * A question with a timestamp older than `maxAgeMs` is not waited for (timestamps in seconds are accepted).
 */
export function awaitsAnswer(page: unknown, now: number = Date.now(), maxAgeMs: number = DEFAULT_RESUME_MAX_AGE_MS): boolean {
  const newest = pageItems(page).at(-1)
  if (newest?.role !== 'user') return false
  const at = timestampOf(newest.timestamp)
  return at === 0 || now - (at < 1e11 ? at * 1000 : at) <= maxAgeMs
}

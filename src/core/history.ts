import type { Attachment, HistoryItem, HistoryTurn } from '../protocol'
import { messageText } from './reducer'
import type { ChatMessage, MessagePart, MessageUsage, ToolPart } from './types'

function timestampOf(value: number | string | undefined): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string') {
    const parsed = Date.parse(value)
    if (Number.isFinite(parsed)) return parsed
  }
  return 0
}

/** The usage fields a history item carries, or undefined when it has none. */
export function historyItemUsage(item: HistoryItem): MessageUsage | undefined {
  const usage: MessageUsage = {}
  if (typeof item.tokensIn === 'number') usage.tokensIn = item.tokensIn
  if (typeof item.tokensOut === 'number') usage.tokensOut = item.tokensOut
  if (typeof item.costUsd === 'number') usage.costUsd = item.costUsd
  return Object.keys(usage).length > 0 ? usage : undefined
}

function isAttachment(value: { kind: string; mediaType: string; dataUrl?: string; name?: string }): value is Attachment {
  return value.kind === 'image' && typeof value.dataUrl === 'string'
}

/** Maps a history item onto the same message parts a live stream produces. */
export function historyItemToMessage(item: HistoryItem): ChatMessage {
  const parts: MessagePart[] = []
  if (item.reasoning && typeof item.reasoning.text === 'string' && item.reasoning.text !== '') {
    parts.push(
      item.reasoning.durationMs === undefined
        ? { type: 'reasoning', text: item.reasoning.text, state: 'done' }
        : { type: 'reasoning', text: item.reasoning.text, state: 'done', durationMs: item.reasoning.durationMs },
    )
  }
  for (const [index, call] of (Array.isArray(item.toolCalls) ? item.toolCalls : []).entries()) {
    if (typeof call !== 'object' || call === null || typeof call.toolName !== 'string') continue
    const part: ToolPart = {
      type: 'tool',
      toolCallId: call.toolCallId ?? `${item.id}:tool:${index}`,
      name: call.toolName,
      state: call.status === 'failed' ? 'error' : 'done',
    }
    if (call.label !== undefined) part.label = call.label
    if (call.subject !== undefined) part.subject = call.subject
    if (call.input !== undefined) part.arguments = call.input
    const output = call.output ?? call.error
    if (output !== undefined) part.output = output
    if (call.durationMs !== undefined) part.durationMs = call.durationMs
    parts.push(part)
  }
  for (const attachment of Array.isArray(item.attachments) ? item.attachments : []) {
    if (typeof attachment === 'object' && attachment !== null && isAttachment(attachment)) parts.push({ type: 'attachment', attachment })
  }
  if (typeof item.text === 'string' && item.text !== '') parts.push({ type: 'text', text: item.text })
  const message: ChatMessage = { id: item.id, role: item.role === 'user' ? 'user' : 'assistant', parts, createdAt: timestampOf(item.timestamp) }
  if (message.role === 'assistant') {
    message.finish = 'done'
    const usage = historyItemUsage(item)
    if (usage !== undefined) message.usage = usage
  }
  return message
}

export const DEFAULT_HISTORY_TURNS = 20
const MAX_TURN_CHARS = 16_000

/** The first `max` UTF-16 units of `text`, never ending on half a surrogate pair. */
function cutAt(text: string, max: number): string {
  const code = text.charCodeAt(max - 1)
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)
}

/** The last `limit` turns as plain text, for the request's `history` field. */
export function historyTurns(messages: readonly ChatMessage[], limit = DEFAULT_HISTORY_TURNS): HistoryTurn[] {
  const turns: HistoryTurn[] = []
  for (let i = messages.length - 1; i >= 0 && turns.length < limit; i--) {
    const message = messages[i] as ChatMessage
    const content = messageText(message)
    if (content === '') continue
    turns.push({ role: message.role, content: content.length > MAX_TURN_CHARS ? cutAt(content, MAX_TURN_CHARS) : content })
  }
  return turns.reverse()
}

function isHistoryItem(value: unknown): value is HistoryItem {
  if (typeof value !== 'object' || value === null) return false
  const item = value as Record<string, unknown>
  return typeof item.id === 'string' && (item.role === 'user' || item.role === 'assistant')
}

/** The well-formed items of a history page (a malformed page has none, malformed items are skipped). */
function pageItems(page: unknown): HistoryItem[] {
  const items = typeof page === 'object' && page !== null ? (page as { items?: unknown }).items : undefined
  return Array.isArray(items) ? items.filter(isHistoryItem) : []
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
  if (at === 0) return true
  const ms = at < 1e11 ? at * 1000 : at
  return now - ms <= maxAgeMs
}

import type { HistoryItem, HistoryPage, HistoryToolCall } from '../protocol'
import { isRecord, type ChatHistoryResult, type GatewayHistoryMessage } from './frames'
import { sumUsage } from './history-usage'
import { toolLabel, toolOutput, toolSubject } from './tool-info'

export const DEFAULT_HISTORY_LIMIT = 50
export const MAX_HISTORY_LIMIT = 100

export interface HistoryPageContext {
  agentId: string
  /** The bare key the client uses. */
  sessionKey: string
  limit: number
}

/** `limit` as PROTOCOL.md takes it: 1–100, default 50. */
export function clampHistoryLimit(limit: unknown): number {
  const n = typeof limit === 'string' && limit.trim() !== '' ? Number(limit) : typeof limit === 'number' ? limit : NaN
  if (!Number.isFinite(n)) return DEFAULT_HISTORY_LIMIT
  return Math.min(MAX_HISTORY_LIMIT, Math.max(1, Math.floor(n)))
}

/** A page cursor is the gateway's `offset` (rows from the newest); anything else is no cursor. */
export function cursorOffset(cursor: string | null | undefined): number | undefined {
  if (cursor === undefined || cursor === null || !/^\d{1,9}$/.test(cursor)) return undefined
  return Number(cursor)
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content.map((part) => (isRecord(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('')
}

function partsOf(row: GatewayHistoryMessage): Record<string, unknown>[] {
  return Array.isArray(row.content) ? row.content.filter(isRecord) : []
}

function seqOf(row: GatewayHistoryMessage, index: number): number {
  return typeof row.__openclaw?.seq === 'number' ? row.__openclaw.seq : index + 1
}

function userItem(row: GatewayHistoryMessage, seq: number, ctx: HistoryPageContext): HistoryItem {
  const item: HistoryItem = { id: `${ctx.sessionKey}:${seq}`, role: 'user', text: textOf(row.content), messageSeq: seq, sessionKey: ctx.sessionKey, source: 'user-chat' }
  if (typeof row.timestamp === 'number') item.timestamp = row.timestamp
  const attachments: NonNullable<HistoryItem['attachments']> = []
  for (const part of partsOf(row)) {
    if (part.type !== 'image') continue
    const mediaType = typeof part.mimeType === 'string' ? part.mimeType : typeof part.mediaType === 'string' ? part.mediaType : 'image/png'
    const data = typeof part.data === 'string' ? part.data : undefined
    attachments.push(data === undefined ? { kind: 'image', mediaType } : { kind: 'image', mediaType, dataUrl: data.startsWith('data:') ? data : `data:${mediaType};base64,${data}` })
  }
  if (attachments.length > 0) item.attachments = attachments
  return item
}

interface ToolActivity {
  title?: string
}

function assistantItem(rows: GatewayHistoryMessage[], seq: number, ctx: HistoryPageContext, titles: Map<string, ToolActivity>): HistoryItem {
  const texts: string[] = []
  const reasoning: string[] = []
  const calls: HistoryToolCall[] = []
  const byId = new Map<string, HistoryToolCall>()
  for (const row of rows) {
    if (row.role === 'toolResult' || row.role === 'tool') {
      const id = typeof row.toolCallId === 'string' ? row.toolCallId : undefined
      const call = id === undefined ? undefined : byId.get(id)
      const output = toolOutput(row.content)
      if (call !== undefined) {
        const failed = row.isError === true
        call.status = failed ? 'failed' : 'completed'
        delete call.error
        if (output !== undefined) {
          if (failed) call.error = output
          else call.output = output
        }
      }
      continue
    }
    const text = textOf(row.content)
    if (text.trim() !== '') texts.push(text.trimEnd())
    for (const part of partsOf(row)) {
      if (part.type === 'thinking' || part.type === 'reasoning') {
        const t = typeof part.thinking === 'string' ? part.thinking : typeof part.text === 'string' ? part.text : ''
        if (t.trim() !== '') reasoning.push(t.trim())
      } else if (part.type === 'toolCall' || part.type === 'tool_use' || part.type === 'toolUse') {
        const name = typeof part.name === 'string' ? part.name : 'tool'
        const input = part.arguments ?? part.input ?? part.args
        const call: HistoryToolCall = { toolName: name, label: toolLabel(name), status: 'failed', error: 'No result was recorded' }
        if (typeof part.id === 'string') {
          call.toolCallId = part.id
          byId.set(part.id, call)
          const title = titles.get(part.id)?.title
          if (title !== undefined && title.trim() !== '') call.label = title
        }
        const subject = toolSubject(input)
        if (subject !== undefined) call.subject = subject
        if (input !== undefined) call.input = input
        calls.push(call)
      }
    }
  }
  const first = rows[0] as GatewayHistoryMessage
  const item: HistoryItem = { id: `${ctx.sessionKey}:${seq}`, role: 'assistant', text: texts.join('\n\n'), messageSeq: seq, sessionKey: ctx.sessionKey, source: 'user-chat' }
  if (typeof first.timestamp === 'number') item.timestamp = first.timestamp
  if (reasoning.length > 0) item.reasoning = { text: reasoning.join('\n\n') }
  if (calls.length > 0) item.toolCalls = calls
  const usage = sumUsage(rows)
  if (usage !== undefined) {
    item.tokensIn = usage.tokensIn
    item.tokensOut = usage.tokensOut
    item.costUsd = usage.costUsd
  }
  return item
}

/**
 * Maps a `chat.history` reply onto PROTOCOL.md's history page. Consecutive assistant and tool-result rows of one
 * run (one row per model call) become one assistant item: its text segments joined by a blank line (as the live
 * stream showed them), its reasoning, its tool calls with their results, and the summed usage and cost.
 * `page.cursor` is the gateway's `nextOffset`: passing it back gives the next older page.
 */
export function historyPageFromGateway(result: ChatHistoryResult, ctx: HistoryPageContext, offset = 0): HistoryPage {
  const rows = Array.isArray(result.messages) ? result.messages.filter(isRecord) as GatewayHistoryMessage[] : []
  const titles = new Map<string, ToolActivity>()
  for (const entry of Array.isArray(result.activity) ? result.activity : []) {
    for (const activity of Array.isArray(entry?.items) ? entry.items : []) {
      if (isRecord(activity) && activity.kind === 'tool' && typeof activity.toolCallId === 'string' && typeof activity.title === 'string') {
        titles.set(activity.toolCallId, { title: activity.title })
      }
    }
  }
  const items: HistoryItem[] = []
  const seen = new Set<string>()
  const push = (item: HistoryItem): void => {
    let id = item.id
    for (let n = 2; seen.has(id); n++) id = `${item.id}:${n}`
    seen.add(id)
    items.push(id === item.id ? item : { ...item, id })
  }
  let group: { rows: GatewayHistoryMessage[]; runId: string | undefined; seq: number } | undefined
  const flush = (): void => {
    if (group !== undefined) push(assistantItem(group.rows, group.seq, ctx, titles))
    group = undefined
  }
  rows.forEach((row, index) => {
    if (row.role === 'user') {
      flush()
      push(userItem(row, seqOf(row, index), ctx))
    } else if (row.role === 'assistant' || row.role === 'toolResult' || row.role === 'tool') {
      const runId = row.__openclaw?.runId
      if (group !== undefined && (runId === undefined || group.runId === undefined || runId === group.runId)) group.rows.push(row)
      else {
        flush()
        group = { rows: [row], runId, seq: seqOf(row, index) }
      }
    }
  })
  flush()
  const hasMore = result.hasMore === true
  const next = typeof result.nextOffset === 'number' ? result.nextOffset : offset + rows.length
  const info = result.sessionInfo
  return {
    agentId: ctx.agentId,
    sessionKey: ctx.sessionKey,
    session: isRecord(info)
      ? { key: ctx.sessionKey, sessionId: info.sessionId ?? result.sessionId ?? null, updatedAt: info.updatedAt ?? null, status: info.status ?? null }
      : null,
    items,
    page: hasMore ? { cursor: String(next), hasMore, limit: ctx.limit } : { hasMore: false, limit: ctx.limit },
  }
}

/** At most this many extra `chat.history` calls to complete a page that starts inside a turn. */
const MAX_EXTRA_PAGES = 5

/**
 * Reads one history page through `fetchPage` (a `chat.history` call). The gateway pages by transcript rows, so a
 * page can start inside a turn (a run's tool-result and final rows on one page, its first rows on the next):
 * older gateway pages are then fetched and prepended back to that turn's user message, so every turn is whole on
 * exactly one page (a page may hold more than `limit` rows). The next cursor is then the offset of that user
 * message as the gateway counts (`totalMessages − seq + 1`); without `seq`s, whole gateway pages are prepended.
 */
export async function readHistoryPage(
  fetchPage: (params: { limit: number; offset?: number }) => Promise<ChatHistoryResult>,
  ctx: HistoryPageContext,
  offset?: number,
): Promise<HistoryPage> {
  const first = await fetchPage({ limit: ctx.limit, ...(offset === undefined ? {} : { offset }) })
  const merged: ChatHistoryResult = { ...first, messages: Array.isArray(first.messages) ? [...first.messages] : [] }
  let current = first
  for (let round = 0; round < MAX_EXTRA_PAGES; round++) {
    const oldest = merged.messages[0]
    if (current.hasMore !== true || typeof current.nextOffset !== 'number' || oldest === undefined || oldest.role === 'user') break
    current = await fetchPage({ limit: ctx.limit, offset: current.nextOffset })
    let rows = Array.isArray(current.messages) ? current.messages : []
    if (rows.length === 0) break
    merged.activity = [...(Array.isArray(current.activity) ? current.activity : []), ...(Array.isArray(merged.activity) ? merged.activity : [])]
    // Cut at the turn's user message when the gateway's offset for it is known (offset = total − seq + 1).
    const userIndex = rows.findLastIndex((row) => isRecord(row) && row.role === 'user')
    const userSeq = rows[userIndex]?.__openclaw?.seq
    const total = current.totalMessages ?? merged.totalMessages
    if (userIndex >= 0 && typeof userSeq === 'number' && typeof total === 'number') {
      rows = rows.slice(userIndex)
      merged.messages = [...rows, ...merged.messages]
      if (userSeq > 1) {
        merged.hasMore = true
        merged.nextOffset = total - userSeq + 1
      } else {
        delete merged.hasMore
        delete merged.nextOffset
      }
      break
    }
    merged.messages = [...rows, ...merged.messages]
    if (current.hasMore === true) merged.hasMore = true
    else delete merged.hasMore
    if (typeof current.nextOffset === 'number') merged.nextOffset = current.nextOffset
    else delete merged.nextOffset
  }
  return historyPageFromGateway(merged, ctx, offset ?? 0)
}

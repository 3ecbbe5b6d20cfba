import type { UsageEvent } from '../protocol'
import { isRecord, type ChatHistoryResult, type GatewayHistoryMessage } from './frames'

export interface RowUsage {
  tokensIn: number
  tokensOut: number
  costUsd: number
}

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined)
/** Sums of float costs, without the 0.0026919999999999997 of binary floating point. */
export const roundUsd = (usd: number): number => Math.round(usd * 1e9) / 1e9

/** Token and cost figures of one history row (`usage {input, output, cost: {total}}`), if it has any. */
export function rowUsage(row: GatewayHistoryMessage): RowUsage | undefined {
  const usage = row.usage
  if (!isRecord(usage)) return undefined
  const tokensIn = finite(usage.input)
  const tokensOut = finite(usage.output)
  const costUsd = isRecord(usage.cost) ? finite(usage.cost.total) : undefined
  if (tokensIn === undefined && tokensOut === undefined && costUsd === undefined) return undefined
  return { tokensIn: tokensIn ?? 0, tokensOut: tokensOut ?? 0, costUsd: costUsd ?? 0 }
}

/** The sum of several rows' usage, or undefined when none had any. */
export function sumUsage(rows: readonly GatewayHistoryMessage[]): RowUsage | undefined {
  let total: RowUsage | undefined
  for (const row of rows) {
    const usage = rowUsage(row)
    if (usage === undefined) continue
    total = total === undefined ? { ...usage } : { tokensIn: total.tokensIn + usage.tokensIn, tokensOut: total.tokensOut + usage.tokensOut, costUsd: total.costUsd + usage.costUsd }
  }
  return total === undefined ? undefined : { ...total, costUsd: roundUsd(total.costUsd) }
}

/**
 * The usage of one run, read from a `chat.history` reply after the run (the gateway carries no live usage): the sum
 * of the `usage` of that run's rows (one per model call; a tool run has several). When no row of the run carries
 * usage, the session's own totals are used if this run was the session's last one.
 */
export function runUsageFromHistory(history: ChatHistoryResult, runId: string): UsageEvent | undefined {
  const rows = (Array.isArray(history.messages) ? history.messages : []).filter((m) => isRecord(m) && m.__openclaw?.runId === runId)
  const summed = sumUsage(rows)
  if (summed !== undefined) return { type: 'usage', ...summed }
  const info = history.sessionInfo
  if (!isRecord(info) || info.lastRunId !== runId) return undefined
  const event: UsageEvent = { type: 'usage' }
  const tokensIn = finite(info.inputTokens)
  const tokensOut = finite(info.outputTokens)
  const costUsd = finite(info.estimatedCostUsd)
  if (tokensIn !== undefined) event.tokensIn = tokensIn
  if (tokensOut !== undefined) event.tokensOut = tokensOut
  if (costUsd !== undefined) event.costUsd = costUsd
  return Object.keys(event).length > 1 ? event : undefined
}

import { memo } from 'react'
import type { MessageUsage } from '../index'
import { useChatStrings, type ChatStrings } from './strings'
import { cx } from './util'

export interface UsageBadgeProps {
  /** A message's usage (any field may be unknown) or the session totals. */
  usage: MessageUsage | undefined
  /** `session` shows the session label before the totals. */
  variant?: 'message' | 'session'
  className?: string
  strings?: Partial<ChatStrings>
}

const known = (n: number | undefined): n is number => typeof n === 'number' && Number.isFinite(n)

/** Tokens in/out and cost; renders nothing while nothing is known. */
export const UsageBadge = memo(function UsageBadge({ usage, variant = 'message', className, strings: override }: UsageBadgeProps) {
  const strings = useChatStrings(override)
  const tokensIn = usage?.tokensIn
  const tokensOut = usage?.tokensOut
  const cost = usage?.costUsd
  const hasIn = known(tokensIn) && (tokensIn > 0 || variant === 'message')
  const hasOut = known(tokensOut) && (tokensOut > 0 || variant === 'message')
  const hasCost = known(cost) && (cost > 0 || variant === 'message')
  if (!hasIn && !hasOut && !hasCost) return null
  const inText = hasIn ? strings.formatTokens(tokensIn) : ''
  const outText = hasOut ? strings.formatTokens(tokensOut) : ''
  const costText = hasCost ? strings.formatCost(cost) : ''
  return (
    <span className={cx('oc-usage', className)} data-variant={variant} title={strings.usageLabel(inText, outText, costText)}>
      {variant === 'session' && <span className="oc-usage-label">{strings.sessionUsage}</span>}
      {hasIn && <span className="oc-usage-in">{strings.usageIn(inText)}</span>}
      {hasOut && <span className="oc-usage-out">{strings.usageOut(outText)}</span>}
      {hasCost && <span className="oc-usage-cost">{costText}</span>}
    </span>
  )
})

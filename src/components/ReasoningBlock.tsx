import { memo, useId, useState } from 'react'
import { Markdown } from './Markdown'
import { useChatStrings, type ChatStrings } from './strings'
import { cx } from './util'

export interface ReasoningBlockProps {
  text: string
  /** `streaming`: open, the text shows as it arrives; `done`: collapsed (the reader can open it). */
  state: 'streaming' | 'done'
  durationMs?: number
  /** Open when first rendered done (a block rendered while streaming is open until it is done). */
  defaultOpen?: boolean
  className?: string
  strings?: Partial<ChatStrings>
}

/** A model's reasoning: live while it streams ("Thinking…"), collapsed once the answer starts ("Thought for 3 s"). */
export const ReasoningBlock = memo(function ReasoningBlock({ text, state, durationMs, defaultOpen = false, className, strings: override }: ReasoningBlockProps) {
  const strings = useChatStrings(override)
  const streaming = state === 'streaming'
  const [open, setOpen] = useState(streaming || defaultOpen)
  const [seenState, setSeenState] = useState(state)
  if (seenState !== state) {
    // Collapse when the reasoning ends (the answer starts); open again if a new block streams into this one.
    setSeenState(state)
    setOpen(state === 'streaming')
  }
  const bodyId = useId()
  const title = streaming
    ? strings.thinking
    : durationMs !== undefined && Number.isFinite(durationMs)
      ? strings.thoughtFor(strings.formatDuration(Math.max(1, Math.round(durationMs / 1000)) * 1000))
      : strings.thought
  return (
    <div className={cx('oc-reasoning', className)} data-state={state}>
      <button
        type="button"
        className="oc-reasoning-toggle"
        aria-expanded={open}
        aria-controls={bodyId}
        title={open ? strings.hideReasoning : strings.showReasoning}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="oc-chevron" aria-hidden="true" />
        <span className={cx('oc-reasoning-title', streaming && 'oc-shimmer')}>{title}</span>
      </button>
      <div id={bodyId} className="oc-reasoning-body" hidden={!open}>
        {open && <Markdown text={text} streaming={streaming} />}
      </div>
    </div>
  )
})

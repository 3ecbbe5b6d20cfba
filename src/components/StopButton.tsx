import { memo } from 'react'
import { isBusyStatus, type ChatStatus } from '../index'
import { useChatStrings, type ChatStrings } from './strings'
import { cx } from './util'

export interface StopButtonProps {
  status: ChatStatus
  onStop: () => void
  className?: string
  strings?: Partial<ChatStrings>
}

/** Visible while a run is busy; "Stopping…" (and inert) once a stop was asked for. */
export const StopButton = memo(function StopButton({ status, onStop, className, strings: override }: StopButtonProps) {
  const strings = useChatStrings(override)
  if (!isBusyStatus(status)) return null
  const stopping = status === 'stopping'
  return (
    <button
      type="button"
      className={cx('oc-button', 'oc-stop', className)}
      data-stopping={stopping ? '' : undefined}
      aria-disabled={stopping}
      aria-busy={stopping}
      onClick={() => {
        if (!stopping) onStop()
      }}
    >
      <span className="oc-stop-icon" aria-hidden="true" />
      <span>{stopping ? strings.stopping : strings.stop}</span>
    </button>
  )
})

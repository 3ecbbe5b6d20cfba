import { memo, useId } from 'react'
import type { AgentInfo } from '../index'
import { useChatStrings, type ChatStrings } from './strings'
import { cx } from './util'

export interface AgentPickerProps {
  agents: AgentInfo[]
  value: string
  onChange: (agentId: string) => void
  loading?: boolean
  /** The agents could not be loaded (the current value stays selectable). */
  error?: unknown
  disabled?: boolean
  className?: string
  strings?: Partial<ChatStrings>
}

/** A labelled native select of agents (keyboard and screen-reader friendly everywhere). */
export const AgentPicker = memo(function AgentPicker({ agents, value, onChange, loading, error, disabled, className, strings: override }: AgentPickerProps) {
  const strings = useChatStrings(override)
  const id = useId()
  const errorId = useId()
  const hasError = error !== undefined && error !== null && error !== false
  const options = agents.some((a) => a.agentId === value) || value === '' ? agents : [{ agentId: value, name: value }, ...agents]
  return (
    <div className={cx('oc-agent-picker', className)}>
      <label className="oc-agent-label" htmlFor={id}>
        {strings.agentLabel}
      </label>
      <select
        id={id}
        className="oc-select"
        value={value}
        disabled={disabled}
        aria-busy={loading === true}
        aria-invalid={hasError || undefined}
        aria-describedby={hasError ? errorId : undefined}
        onChange={(event) => onChange(event.target.value)}
      >
        {loading === true && options.length === 0 && <option value="">{strings.agentsLoading}</option>}
        {options.map((agent) => (
          <option key={agent.agentId} value={agent.agentId} title={agent.model}>
            {agent.name || agent.agentId}
          </option>
        ))}
      </select>
      {hasError && (
        <span id={errorId} className="oc-agent-error">
          {strings.agentsError}
        </span>
      )}
    </div>
  )
})

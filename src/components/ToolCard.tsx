import { memo, useId, useMemo, useState } from 'react'
import type { ToolState } from '../index'
import { useChatStrings, type ChatStrings } from './strings'
import { cx, prettyValue } from './util'

export interface ToolCardProps {
  name: string
  /** A human title ("Searched the web"); the name is shown when there is none. */
  label?: string
  /** What the call acts on (a query, a URL). */
  subject?: string
  arguments?: unknown
  state: ToolState
  durationMs?: number
  output?: unknown
  toolCallId?: string
  /** Details (tool name, arguments, result) shown at first. */
  defaultExpanded?: boolean
  /** Results longer than this are cut, with "Show more" (default 600). */
  maxOutputChars?: number
  className?: string
  strings?: Partial<ChatStrings>
}

/** One tool call: title line with its state, and expandable details (tool name, arguments, result). */
export const ToolCard = memo(function ToolCard(props: ToolCardProps) {
  const { name, label, subject, state, durationMs, output, defaultExpanded = false, maxOutputChars = 600, className } = props
  const strings = useChatStrings(props.strings)
  const [expanded, setExpanded] = useState(defaultExpanded)
  const [full, setFull] = useState(false)
  const bodyId = useId()
  const title = label !== undefined && label !== '' ? label : name
  const args = useMemo(() => prettyValue(props.arguments), [props.arguments])
  const result = useMemo(() => prettyValue(output), [output])
  const long = result.text.length > maxOutputChars
  const shown = long && !full ? `${result.text.slice(0, maxOutputChars)}…` : result.text
  const duration = durationMs !== undefined && state !== 'running' ? strings.formatDuration(durationMs) : ''
  const status =
    state === 'running'
      ? strings.toolRunning
      : state === 'error'
        ? strings.toolFailed
        : state === 'interrupted'
          ? strings.toolInterrupted
          : duration || strings.toolDone

  return (
    <div className={cx('oc-tool', className)} data-state={state}>
      <button
        type="button"
        className="oc-tool-header"
        aria-expanded={expanded}
        aria-controls={bodyId}
        title={strings.toolDetails(title)}
        onClick={() => setExpanded((e) => !e)}
      >
        <span className="oc-tool-icon" aria-hidden="true">
          {state === 'running' && <span className="oc-spinner" />}
        </span>
        <span className="oc-tool-title">
          <span className="oc-tool-label">{title}</span>
          {subject !== undefined && subject !== '' && <span className="oc-tool-subject">{subject}</span>}
        </span>
        <span className="oc-tool-status">
          {status}
          {state === 'error' && duration !== '' && <span className="oc-tool-duration"> · {duration}</span>}
        </span>
        <span className="oc-chevron" aria-hidden="true" />
      </button>
      <div id={bodyId} className="oc-tool-body" hidden={!expanded}>
        {expanded && (
          <>
            <div className="oc-tool-row">
              <span className="oc-tool-key">{strings.toolName}</span> <code className="oc-tool-name">{name}</code>
            </div>
            {props.arguments !== undefined && (
              <div className="oc-tool-section">
                <div className="oc-tool-key">{strings.toolArguments}</div>
                <pre className="oc-tool-pre" data-json={args.json ? '' : undefined}>
                  {args.text}
                </pre>
              </div>
            )}
            {state !== 'running' && (
              <div className="oc-tool-section">
                <div className="oc-tool-key">{strings.toolResult}</div>
                {output === undefined || result.text === '' ? (
                  <p className="oc-tool-empty">{strings.toolNoResult}</p>
                ) : (
                  <pre className="oc-tool-pre oc-tool-output" data-json={result.json ? '' : undefined}>
                    {shown}
                  </pre>
                )}
                {long && (
                  <button type="button" className="oc-link-button" aria-expanded={full} onClick={() => setFull((f) => !f)}>
                    {full ? strings.showLess : strings.showMore}
                  </button>
                )}
              </div>
            )}
          </>
        )}
      </div>
    </div>
  )
})

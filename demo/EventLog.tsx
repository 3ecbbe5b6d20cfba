import { memo } from 'react'

export interface LogEntry {
  id: number
  at: number
  kind: 'frame' | 'event' | 'unknown' | 'dropped' | 'finish'
  text: string
}

/** Every SSE frame as it came over the wire, and what the hook made of it. */
export const EventLog = memo(function EventLog({ entries, onClear }: { entries: LogEntry[]; onClear: () => void }) {
  return (
    <section className="demo-log" aria-label="Event log">
      <header>
        <h2>Event log</h2>
        <span className="demo-muted">{entries.length} entries</span>
        <button type="button" className="oc-button" onClick={onClear}>
          Clear
        </button>
      </header>
      <ol>
        {entries.map((e) => (
          <li key={e.id} data-kind={e.kind}>
            <span className="demo-log-kind">{e.kind}</span> <code>{e.text}</code>
          </li>
        ))}
      </ol>
    </section>
  )
})

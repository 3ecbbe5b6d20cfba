import { useState, type FormEvent } from 'react'
import { useAgents, useOpenClawChat, type ChatMessage, type MessagePart } from '../src'
import { builtInScenarios } from '../src/mock'

/** A bare demo of the headless hook (the presentational components come in their own entry). */
export function App() {
  const agents = useAgents()
  const [agentId, setAgentId] = useState('main')
  const [scenario, setScenario] = useState('tools')
  const [text, setText] = useState('')
  const [log, setLog] = useState<string[]>([])
  const chat = useOpenClawChat({
    agentId,
    onEvent: (event) => setLog((l) => [...l.slice(-199), JSON.stringify(event)]),
    onUnknownEvent: (info) => setLog((l) => [...l.slice(-199), `unknown: ${info.type}`]),
    onDiagnostic: (d) => setLog((l) => [...l.slice(-199), `dropped: ${d.message}`]),
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const message = text.trim() === '' ? 'Hello!' : text
    void chat.send(import.meta.env.DEV && !import.meta.env.VITE_REAL_SERVER ? `${message} [scenario:${scenario}]` : message)
    setText('')
  }

  return (
    <main className="demo">
      <header>
        <h1>openclaw-chat</h1>
        <label>
          Agent{' '}
          <select value={agentId} onChange={(e) => setAgentId(e.target.value)}>
            {(agents.data?.agents ?? [{ agentId: 'main', name: 'main' }]).map((a) => (
              <option key={a.agentId} value={a.agentId}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Scenario{' '}
          <select value={scenario} onChange={(e) => setScenario(e.target.value)}>
            {builtInScenarios.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <span className="status" data-status={chat.status}>
          {chat.status}
        </span>
      </header>
      <section className="thread" aria-live="polite">
        {chat.messages.map((m) => (
          <Message key={m.id} message={m} />
        ))}
      </section>
      {chat.error && (
        <div role="alert" className="error">
          {chat.error.kind}: {chat.error.message} <button onClick={() => void chat.retry()}>Retry</button>
        </div>
      )}
      <form onSubmit={submit} className="composer">
        <textarea aria-label="Message" value={text} onChange={(e) => setText(e.target.value)} placeholder="Ask something…" />
        <button type="submit">Send</button>
        <button type="button" onClick={() => void chat.stop()} disabled={!chat.isBusy}>
          Stop
        </button>
        <button type="button" onClick={() => chat.reset()}>
          New chat
        </button>
      </form>
      <footer>
        Session: <code>{chat.sessionKey ?? '—'}</code> · tokens {chat.usage.tokensIn}/{chat.usage.tokensOut} · ${chat.usage.costUsd.toFixed(4)}
      </footer>
      <details className="log">
        <summary>Event log ({log.length})</summary>
        <pre>{log.join('\n')}</pre>
      </details>
    </main>
  )
}

function Message({ message }: { message: ChatMessage }) {
  return (
    <article className={`msg ${message.role}`} data-finish={message.finish ?? 'live'}>
      {message.parts.map((part, i) => (
        <Part key={i} part={part} />
      ))}
      {message.finish && message.finish !== 'done' && <small className="finish">{message.finish}</small>}
    </article>
  )
}

function Part({ part }: { part: MessagePart }) {
  switch (part.type) {
    case 'text':
      return <p className="text">{part.text}</p>
    case 'reasoning':
      return (
        <details className="reasoning" open={part.state === 'streaming'}>
          <summary>{part.state === 'streaming' ? 'Thinking…' : `Thought for ${Math.round((part.durationMs ?? 0) / 100) / 10} s`}</summary>
          {part.text}
        </details>
      )
    case 'tool':
      return (
        <details className={`tool ${part.state}`}>
          <summary>
            {part.label ?? part.name} {part.subject && <code>{part.subject}</code>} — {part.state}
            {part.durationMs !== undefined && ` (${part.durationMs} ms)`}
          </summary>
          <pre>{JSON.stringify(part.arguments, null, 2)}</pre>
          {part.output !== undefined && <pre>{typeof part.output === 'string' ? part.output : JSON.stringify(part.output, null, 2)}</pre>}
        </details>
      )
    case 'attachment':
      return <small>📎 {part.attachment.name ?? part.attachment.kind}</small>
  }
}

import { useAgentSessions } from 'openclaw-chat'

/** The agent's recent sessions (react-query); picking one loads its history into the chat. */
export function SessionList(props: { agentId: string; limit: number; current: string | undefined; onPick: (sessionKey: string | undefined) => void }) {
  const sessions = useAgentSessions(props.agentId, { limit: props.limit, query: { refetchInterval: 5_000 } })
  const list = sessions.data?.sessions ?? []
  return (
    <nav className="demo-sessions" aria-label="Sessions">
      <h2>Sessions</h2>
      <button type="button" className="oc-button" aria-pressed={props.current === undefined} onClick={() => props.onPick(undefined)}>
        New conversation
      </button>
      {sessions.isError && <p className="demo-muted">Sessions unavailable: {sessions.error.message}</p>}
      <ul>
        {list.map((s) => (
          <li key={s.key}>
            <button type="button" className="oc-button demo-session" aria-pressed={props.current === s.key} onClick={() => props.onPick(s.key)}>
              {s.key.slice(0, 18)}
              {s.updatedAt !== undefined && <small>{new Date(s.updatedAt).toLocaleTimeString()}</small>}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}

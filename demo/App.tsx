import { useCallback, useMemo, useRef, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { openClawKeys, useAgents, type ChatEvent } from 'openclaw-chat'
import { AgentPicker, OpenClawChat } from 'openclaw-chat/components'
import { builtInScenarios, SCENARIO_HEADER } from 'openclaw-chat/mock'
import { backend } from './backend'
import { EventLog, type LogEntry } from './EventLog'
import { SessionList } from './SessionList'
import { tapFetch } from './tap-fetch'

type Theme = 'auto' | 'light' | 'dark'
const MAX_LOG = 400
const SESSION_LIST_LIMIT = 20

/** The demo: one agent chat with the embedded mock (or a real server), a scenario picker, sessions and an event log. */
export function App() {
  const agents = useAgents()
  const queryClient = useQueryClient()
  const [agentId, setAgentId] = useState('main')
  const [scenario, setScenario] = useState('tools')
  const [theme, setTheme] = useState<Theme>('auto')
  const [sessionKey, setSessionKey] = useState<string | undefined>(undefined)
  const [conversation, setConversation] = useState(0)
  const [log, setLog] = useState<LogEntry[]>([])
  const nextId = useRef(0)

  const add = useCallback((kind: LogEntry['kind'], text: string) => {
    nextId.current += 1
    const entry: LogEntry = { id: nextId.current, at: Date.now(), kind, text }
    setLog((l) => (l.length >= MAX_LOG ? [...l.slice(l.length - MAX_LOG + 1), entry] : [...l, entry]))
  }, [])
  const fetchWithLog = useMemo(() => tapFetch((frame) => add('frame', frame.data)), [add])
  const scenarioRef = useRef(scenario)
  scenarioRef.current = scenario
  const headers = useCallback((): Record<string, string> => (backend === 'mock' ? { [SCENARIO_HEADER]: scenarioRef.current } : {}), [])

  const pickSession = (key: string | undefined) => {
    setSessionKey(key)
    setConversation((c) => c + 1)
  }

  return (
    <div className="demo" data-theme={theme === 'auto' ? undefined : theme}>
      <header className="demo-bar">
        <h1>openclaw-chat</h1>
        <AgentPicker
          agents={agents.data?.agents ?? []}
          value={agentId}
          onChange={(id) => {
            setAgentId(id)
            pickSession(undefined)
          }}
          loading={agents.isLoading}
          error={agents.error ?? undefined}
        />
        {backend === 'mock' && (
          <label className="demo-field">
            Scenario
            <select value={scenario} onChange={(e) => setScenario(e.target.value)}>
              {builtInScenarios.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="demo-field">
          Theme
          <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
            <option value="auto">Auto</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <span className="demo-muted" data-testid="backend">
          {backend === 'mock' ? 'mock server' : backend === 'server' ? 'real /claw server' : 'OpenClaw gateway'}
        </span>
      </header>
      <main className="demo-main">
        <OpenClawChat
          key={`${agentId}:${conversation}`}
          className="demo-chat"
          agentId={agentId}
          sessionKey={sessionKey}
          fetch={fetchWithLog}
          headers={headers}
          theme={theme}
          allowAttachments
          autoFocus
          onEvent={(event: ChatEvent) => add('event', JSON.stringify(event))}
          onUnknownEvent={(info) => add('unknown', info.type)}
          onDiagnostic={(d) => add('dropped', d.message)}
          onFinish={(info) => {
            add('finish', info.error === undefined ? info.finish : `${info.finish}: ${info.error.message}`)
            // a new conversation appears in the sessions list at once
            void queryClient.invalidateQueries({ queryKey: openClawKeys.sessions('', agentId, SESSION_LIST_LIMIT) })
          }}
        />
        <aside className="demo-side">
          <SessionList agentId={agentId} limit={SESSION_LIST_LIMIT} current={sessionKey} onPick={pickSession} />
          <EventLog entries={log} onClear={() => setLog([])} />
        </aside>
      </main>
    </div>
  )
}

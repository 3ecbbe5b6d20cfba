/** Bench page (a): `useOpenClawChat` + our Thread / Message / Markdown, fed our `/claw` SSE protocol by an in-page fetch. */
import { commitLog, COUNTING, expose, measureWindow, nextFrame, trackMessages } from './instrument'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import { ChatMessageRow, Message, Thread } from '../../src/components'
import '../../src/components/styles.css'
import { useOpenClawChat } from '../../src/react'
import { buildHistory, buildScript, encodeOurs, pacedResponse, toChunks } from './data'
import { DELTAS, HISTORY, PACE } from './params'

const history = buildHistory(HISTORY)
const chunks = toChunks(encodeOurs(buildScript(DELTAS)), PACE)

const benchFetch: typeof fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  if (url.endsWith('/chat')) return pacedResponse(chunks, PACE, { 'x-session-key': 'bench-session' }, init?.signal)
  if (url.endsWith('/chat/stop')) return Response.json({ ok: true, aborted: true, runIds: [] })
  return new Response('not found', { status: 404 })
}

trackMessages(
  new Map<unknown, (p: Record<string, unknown>) => string | undefined>([
    [ChatMessageRow, (p) => p.id as string],
    [Message, (p) => (p.message as { id: string }).id],
  ]),
  history.map((m) => m.id),
)

function App() {
  const chat = useOpenClawChat({ agentId: 'bench', fetch: benchFetch })
  const { store, send } = chat
  useEffect(() => {
    store.dispatch({ type: 'history/loaded', messages: history })
    void (async () => {
      await nextFrame()
      await nextFrame()
      expose({ ready: true, run: () => measureWindow(() => send('go on')) })
    })()
  }, [store, send])
  return <Thread store={store} />
}

expose({ ready: false, counting: COUNTING, commitLog })
createRoot(document.getElementById('root') as HTMLElement).render(
  <QueryClientProvider client={new QueryClient()}>
    <App />
  </QueryClientProvider>,
)

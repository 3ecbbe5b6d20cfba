/**
 * Bench page (b): `@ai-sdk/react`'s `useChat` with a `DefaultChatTransport` over an in-page fetch that returns the same
 * answer in the AI SDK's UI message stream protocol; text parts render with the SAME Markdown component, reasoning
 * and tool parts with the same ReasoningBlock / ToolCard, in a scroll container with the same stick-to-bottom hook.
 * Written the way a careful app would: memoized message rows, so settled messages are skipped by React.memo.
 */
import { COUNTING, expose, measureWindow, nextFrame, trackMessages } from './instrument'
import { useChat } from '@ai-sdk/react'
import { DefaultChatTransport, type UIMessage } from 'ai'
import { memo, useEffect, useRef } from 'react'
import { createRoot } from 'react-dom/client'
import { Markdown, ReasoningBlock, ToolCard, useStickToBottom } from '../../src/components'
import '../../src/components/styles.css'
import { buildHistory, buildScript, encodeAiSdk, pacedResponse, toChunks, toUIMessages } from './data'
import { DELTAS, HISTORY, PACE, THROTTLE } from './params'

const history = toUIMessages(buildHistory(HISTORY))
const chunks = toChunks(encodeAiSdk(buildScript(DELTAS)), PACE)

const benchFetch: typeof fetch = async (_input, init) =>
  pacedResponse(chunks, PACE, { 'x-vercel-ai-ui-message-stream': 'v1' }, init?.signal)

const transport = new DefaultChatTransport<UIMessage>({ api: '/api/chat', fetch: benchFetch })

const AiMessage = memo(function AiMessage({ message, live }: { message: UIMessage; live: boolean }) {
  const last = message.parts.length - 1
  return (
    <article className="oc-message" data-role={message.role} data-live={live ? '' : undefined}>
      <div className="oc-message-body">
        {message.parts.map((part, i) => {
          if (part.type === 'text') {
            return message.role === 'user' ? <p key={i} className="oc-user-text">{part.text}</p> : <Markdown key={i} text={part.text} streaming={live && i === last} />
          }
          if (part.type === 'reasoning') return <ReasoningBlock key={i} text={part.text} state={part.state === 'streaming' ? 'streaming' : 'done'} />
          if (part.type === 'dynamic-tool') {
            const state = part.state === 'output-available' ? 'done' : part.state === 'output-error' ? 'error' : 'running'
            return <ToolCard key={part.toolCallId} toolCallId={part.toolCallId} name={part.toolName} arguments={part.input} state={state} output={part.state === 'output-available' ? part.output : undefined} />
          }
          return null
        })}
      </div>
    </article>
  )
})

trackMessages(new Map<unknown, (p: Record<string, unknown>) => string | undefined>([[AiMessage, (p) => (p.message as { id: string }).id]]), history.map((m) => m.id))

function App() {
  const { messages, sendMessage, status } = useChat<UIMessage>({ messages: history, transport, ...(THROTTLE > 0 ? { throttle: THROTTLE } : {}) })
  const scrollRef = useRef<HTMLDivElement>(null)
  const contentRef = useRef<HTMLDivElement>(null)
  const lastUser = messages.findLast((m) => m.role === 'user')?.id
  useStickToBottom(scrollRef, contentRef, lastUser)
  const sendRef = useRef(sendMessage)
  sendRef.current = sendMessage
  useEffect(() => {
    void (async () => {
      await nextFrame()
      await nextFrame()
      expose({ ready: true, run: () => measureWindow(() => sendRef.current({ text: 'go on' })) })
    })()
  }, [])
  const streaming = status === 'streaming' || status === 'submitted'
  return (
    <div className="oc-thread">
      <div ref={scrollRef} className="oc-thread-scroll" role="log">
        <div ref={contentRef} className="oc-thread-content">
          {messages.map((m, i) => (
            <AiMessage key={m.id} message={m} live={streaming && i === messages.length - 1 && m.role === 'assistant'} />
          ))}
        </div>
      </div>
    </div>
  )
}

expose({ ready: false, counting: COUNTING })
createRoot(document.getElementById('root') as HTMLElement).render(<App />)

/**
 * Bench page: a long session (`?n=10000`) opened in our virtualized Thread (`?mode=virtual`, store-backed as in an
 * app) or in the same Message components without virtualization (`?mode=plain`, the Thread as it was before: every
 * message in the DOM). Measures open time (render start → first frame after the first commit, the view at the end)
 * and then, on request, frame pacing while the log is scrolled up by a fixed step every animation frame.
 */
import { expose, nextFrame } from './instrument'
import { useEffect, useRef } from 'react'
import { createRoot } from 'react-dom/client'
import { Message, Thread, useStickToBottom } from '../../src/components'
import '../../src/components/styles.css'
import { createChatStore, createInitialState, type ChatMessage } from '../../src/core'
import { buildHistory } from './data'

const q = new URLSearchParams(location.search)
const mode = q.get('mode') === 'plain' ? 'plain' : 'virtual'
const n = Number(q.get('n') ?? 10_000)
const messages = buildHistory(n, 3)

function PlainThread({ messages }: { messages: ChatMessage[] }) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const contentRef = useRef<HTMLDivElement>(null)
  useStickToBottom(scrollRef, contentRef, undefined)
  return (
    <div className="oc-thread">
      <div ref={scrollRef} className="oc-thread-scroll" role="log" tabIndex={0}>
        <div ref={contentRef} className="oc-thread-content">
          {messages.map((m) => (
            <div key={m.id} className="oc-thread-row">
              <Message message={m} />
            </div>
          ))}
        </div>
      </div>
    </div>
  )
}

const store = createChatStore({ initialState: { ...createInitialState('bench'), messages } })

/** What the page reports once the thread is open. */
export interface ThreadOpen {
  mode: 'virtual' | 'plain'
  messages: number
  openMs: number
  domNodes: number
  articles: number
  atBottom: boolean
}

export interface ScrollResult {
  frames: number
  /** Animation frames missed: Σ (round(interval / 16.7 ms) − 1) over the scroll. */
  dropped: number
  /** Frames that took longer than 50 ms. */
  longFrames: number
  worstFrameMs: number
  scrolledPx: number
  /** After a jump to the middle of the thread: time to the next two frames (rows rendered and painted). */
  jumpMs: number
}

async function scroll(frames: number, stepPx: number): Promise<ScrollResult> {
  const el = document.querySelector('.oc-thread-scroll') as HTMLElement
  const startTop = el.scrollTop
  const intervals: number[] = []
  let last = await nextFrame()
  for (let i = 0; i < frames; i++) {
    el.scrollTop -= stepPx
    const now = await nextFrame()
    intervals.push(now - last)
    last = now
  }
  const scrolledPx = startTop - el.scrollTop
  const frame = 1000 / 60
  const dropped = intervals.reduce((sum, d) => sum + Math.max(0, Math.round(d / frame) - 1), 0)
  const t0 = performance.now()
  el.scrollTop = el.scrollHeight / 2
  await nextFrame()
  await nextFrame()
  const jumpMs = performance.now() - t0
  return { frames, dropped, longFrames: intervals.filter((d) => d > 50).length, worstFrameMs: Math.max(...intervals), scrolledPx, jumpMs }
}

function App({ onOpen }: { onOpen: () => void }) {
  useEffect(onOpen, [onOpen])
  return mode === 'plain' ? <PlainThread messages={messages} /> : <Thread store={store} />
}

const t0 = performance.now()
const onOpen = (): void => {
  void (async () => {
    await nextFrame()
    await nextFrame()
    const el = document.querySelector('.oc-thread-scroll') as HTMLElement
    const open: ThreadOpen = {
      mode,
      messages: n,
      openMs: performance.now() - t0,
      domNodes: document.getElementsByTagName('*').length,
      articles: document.querySelectorAll('article.oc-message').length,
      atBottom: el.scrollHeight - el.scrollTop - el.clientHeight <= 24,
    }
    expose({ ready: true, open, scroll: (frames: number, stepPx: number) => scroll(frames, stepPx) })
  })()
}
createRoot(document.getElementById('root') as HTMLElement).render(<App onOpen={onOpen} />)

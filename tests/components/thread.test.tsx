// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Thread, nextFollowing } from '../../src/components'
import { createChatStore, createInitialState, type ChatMessage } from '../../src/core'
import * as hooks from '../../src/react/selector-hooks'

// Counts renders of each message row: a row calls useChatMessage(id) once per render.
vi.mock('../../src/react/selector-hooks', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/react/selector-hooks')>()
  return { ...actual, useChatMessage: vi.fn(actual.useChatMessage) }
})
const useChatMessageSpy = vi.mocked(hooks.useChatMessage)
const rowRenders = (id: string) => useChatMessageSpy.mock.calls.filter(([callId]) => callId === id).length

afterEach(() => {
  cleanup()
  useChatMessageSpy.mockClear()
})

const user = (id: string, text: string): ChatMessage => ({ id, role: 'user', parts: [{ type: 'text', text }], createdAt: 1 })
const answer = (id: string, text: string, finish?: ChatMessage['finish']): ChatMessage => ({
  id,
  role: 'assistant',
  parts: [{ type: 'text', text }],
  createdAt: 1,
  ...(finish === undefined ? {} : { finish }),
})

function liveStore() {
  return createChatStore({
    initialState: {
      ...createInitialState('s'),
      status: 'streaming',
      messages: [user('u1', 'first'), answer('a1', 'settled answer', 'done'), user('u2', 'second')],
      live: answer('a2', 'Streaming'),
    },
  })
}

/** Gives the log element controllable scroll metrics (jsdom has no layout). */
function fakeScroll(el: HTMLElement, metrics: { scrollHeight: number; clientHeight: number; scrollTop: number }) {
  Object.defineProperty(el, 'scrollHeight', { configurable: true, get: () => metrics.scrollHeight })
  Object.defineProperty(el, 'clientHeight', { configurable: true, get: () => metrics.clientHeight })
  Object.defineProperty(el, 'scrollTop', {
    configurable: true,
    get: () => metrics.scrollTop,
    set: (v: number) => {
      metrics.scrollTop = Math.max(0, Math.min(v, metrics.scrollHeight - metrics.clientHeight))
    },
  })
  return metrics
}

const flushObservers = () => act(async () => await new Promise((r) => setTimeout(r, 0)))

describe('Thread with a store', () => {
  it('is a log whose only live region is the message being streamed', () => {
    render(<Thread store={liveStore()} />)
    const log = screen.getByRole('log', { name: 'Conversation' })
    expect(log.getAttribute('aria-live')).toBe('off')
    expect(log.tabIndex).toBe(0)
    const live = Array.from(log.querySelectorAll('[aria-live="polite"]'))
    expect(live).toHaveLength(1)
    expect(live[0]?.closest('article')?.getAttribute('data-live')).toBe('')
    expect(screen.getAllByRole('article')).toHaveLength(4)
  })

  it('re-renders only the streaming message on a delta; settled messages never', () => {
    const store = liveStore()
    render(<Thread store={store} />)
    const initial = { u1: rowRenders('u1'), a1: rowRenders('a1'), a2: rowRenders('a2') }
    expect(initial.a1).toBeGreaterThan(0)
    for (const text of [' more', ' text', ' arrives']) act(() => store.dispatch({ type: 'text-delta', text }))
    expect(screen.getByText('Streaming more text arrives')).toBeTruthy()
    expect(rowRenders('u1')).toBe(initial.u1)
    expect(rowRenders('a1')).toBe(initial.a1)
    expect(rowRenders('a2')).toBe(initial.a2 + 3)
  })

  it('does not re-render messages when a parent re-renders with an equal inline strings object', () => {
    const store = createChatStore({
      initialState: { ...createInitialState('s'), messages: [user('u1', 'q'), { ...answer('a1', 'a', 'done'), usage: { tokensIn: 10, tokensOut: 2 } }] },
    })
    const formatTokens = vi.fn((n: number) => String(n))
    const { rerender } = render(<Thread store={store} strings={{ userRole: 'Du', formatTokens }} />)
    expect(screen.getAllByRole('article', { name: 'Du' })).toHaveLength(1)
    const calls = formatTokens.mock.calls.length
    expect(calls).toBeGreaterThan(0)
    rerender(<Thread store={store} strings={{ userRole: 'Du', formatTokens }} />)
    expect(formatTokens.mock.calls.length).toBe(calls)
    rerender(<Thread store={store} strings={{ userRole: 'Sie', formatTokens }} />)
    expect(screen.getAllByRole('article', { name: 'Sie' })).toHaveLength(1)
  })

  it('shows an empty state without messages', () => {
    render(<Thread store={createChatStore()} emptyState="Nothing yet" />)
    expect(screen.getByRole('log').textContent).toBe('Nothing yet')
  })
})

describe('Thread stick-to-bottom', () => {
  it('nextFollowing: bottom follows, scrolling up stops, content growth keeps the state', () => {
    const m = (scrollTop: number, scrollHeight = 1000, clientHeight = 400) => ({ scrollTop, scrollHeight, clientHeight })
    expect(nextFollowing(false, 100, m(600))).toBe(true)
    expect(nextFollowing(true, 600, m(300))).toBe(false)
    expect(nextFollowing(true, 600, m(600, 1400))).toBe(true)
    expect(nextFollowing(false, 300, m(400))).toBe(false)
  })

  it('stops following when the reader scrolls up, offers "Jump to latest", and resumes at the bottom', async () => {
    const messages = [user('u1', 'q'), answer('a1', 'a', 'done')]
    const { rerender } = render(<Thread messages={messages} />)
    const log = screen.getByRole('log')
    const metrics = fakeScroll(log, { scrollHeight: 1000, clientHeight: 400, scrollTop: 0 })

    // Following: new content is pinned to the bottom.
    rerender(<Thread messages={[...messages, answer('a2', 'more')]} />)
    await flushObservers()
    expect(metrics.scrollTop).toBe(600)
    expect(screen.queryByRole('button', { name: 'Jump to latest' })).toBeNull()

    // The reader scrolls up: following stops, the button appears, growth no longer moves the view.
    metrics.scrollTop = 200
    fireEvent.scroll(log)
    const jump = await screen.findByRole('button', { name: 'Jump to latest' })
    metrics.scrollHeight = 1500
    rerender(<Thread messages={[...messages, answer('a2', 'more'), answer('a3', 'even more')]} />)
    await flushObservers()
    expect(metrics.scrollTop).toBe(200)

    // Jump to latest: at the bottom, following again, focus kept in the log.
    fireEvent.click(jump)
    expect(metrics.scrollTop).toBe(1100)
    expect(screen.queryByRole('button', { name: 'Jump to latest' })).toBeNull()
    expect(document.activeElement).toBe(log)

    // Scrolling up then back to the bottom by hand resumes following too.
    metrics.scrollTop = 500
    fireEvent.scroll(log)
    expect(screen.getByRole('button', { name: 'Jump to latest' })).toBeTruthy()
    metrics.scrollTop = 1090
    fireEvent.scroll(log)
    expect(screen.queryByRole('button', { name: 'Jump to latest' })).toBeNull()
  })

  it('follows again when the reader sends a message while scrolled up', async () => {
    const messages = [user('u1', 'q'), answer('a1', 'a', 'done')]
    const { rerender } = render(<Thread messages={messages} />)
    const log = screen.getByRole('log')
    const metrics = fakeScroll(log, { scrollHeight: 1000, clientHeight: 400, scrollTop: 600 })
    fireEvent.scroll(log)
    metrics.scrollTop = 100
    fireEvent.scroll(log)
    expect(screen.getByRole('button', { name: 'Jump to latest' })).toBeTruthy()
    metrics.scrollHeight = 1200
    rerender(<Thread messages={[...messages, user('u2', 'next')]} />)
    await flushObservers()
    expect(screen.queryByRole('button', { name: 'Jump to latest' })).toBeNull()
    expect(metrics.scrollTop).toBe(800)
  })
})

describe('Thread with a long store', () => {
  const history = (n: number): ChatMessage[] => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? user(`m${i}`, `question ${i}`) : answer(`m${i}`, `answer ${i}`, 'done')))

  it('a delta wakes only the streamed message: the state is read a few times, however long the thread', () => {
    const counts: number[] = []
    // Both below the virtualization threshold: every row is mounted and subscribed.
    for (const n of [10, 45]) {
      const store = createChatStore({ initialState: { ...createInitialState('s'), status: 'streaming', messages: history(n), live: answer('live', 'Streaming') } })
      render(<Thread store={store} />)
      let reads = 0
      const getState = store.getState
      store.getState = () => {
        reads++
        return getState()
      }
      act(() => store.dispatch({ type: 'text-delta', text: ' more' }))
      store.getState = getState
      counts.push(reads)
      cleanup()
    }
    expect(counts[1]).toBe(counts[0])
    expect(counts[1]).toBeLessThan(20)
  })

  it('virtualizes a long thread: a window of rows at the end, in order, with the streamed one', () => {
    const store = createChatStore({ initialState: { ...createInitialState('s'), status: 'streaming', messages: history(1000), live: answer('live', 'Streaming now') } })
    render(<Thread store={store} />)
    const log = screen.getByRole('log')
    const articles = screen.getAllByRole('article')
    expect(articles.length).toBeGreaterThan(0)
    expect(articles.length).toBeLessThan(100)
    expect(log.closest('.oc-thread')?.hasAttribute('data-virtual')).toBe(true)
    expect(screen.getByText('Streaming now')).toBeTruthy()
    const rows = Array.from(log.querySelectorAll<HTMLElement>('.oc-thread-row')).map((r) => Number(r.dataset.index))
    expect(rows).toEqual([...rows].sort((a, b) => a - b))
    expect(rows.at(-1)).toBe(1000)
  })

  it('short threads are not virtualized: every message is in the DOM', () => {
    render(<Thread messages={history(20)} />)
    expect(screen.getAllByRole('article')).toHaveLength(20)
    expect(screen.getByRole('log').closest('.oc-thread')?.hasAttribute('data-virtual')).toBe(false)
  })
})

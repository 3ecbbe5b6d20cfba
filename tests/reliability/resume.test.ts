// @vitest-environment jsdom
/**
 * Resume after a reload: a hook mounted with the `sessionKey` of a conversation whose run goes on on the server
 * shows the history, waits (`history.isResuming`, polling the newest page) and shows the answer once it is there.
 * PROTOCOL.md has no "run active" signal, so the signal is the history's: a newest item that is a user message.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import { createElement, useState, type ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createOpenClawClient } from '../../src/client'
import {
  awaitsAnswer,
  ChatController,
  createInitialState,
  historyPageMessages,
  messageText,
  reduce,
  type ChatMessage,
  type ChatState,
} from '../../src/core'
import { createMockServer, type MockServer } from '../../src/mock'
import type { HistoryItem, HistoryPage } from '../../src/protocol'
import { useOpenClawChat, type UseOpenClawChatOptions } from '../../src/react'
import { tick } from '../helpers/fake-server'

const controllers: ChatController[] = []
afterEach(() => {
  for (const c of controllers.splice(0)) c.dispose()
  cleanup()
  vi.restoreAllMocks()
})

const PLAIN = "Hello! I'm a mock OpenClaw agent. I stream my answer in small pieces, the way a real server relays the gateway."
const NOW = 1_700_000_000_000

function wrapperFor(queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })) {
  return function Wrapper({ children }: { children: ReactNode }) {
    return createElement(QueryClientProvider, { client: queryClient }, children)
  }
}

const historyReads = (mock: MockServer) => mock.requests.filter((r) => r.path.includes('/history') && r.path.includes('limit=50'))
const roles = (messages: readonly ChatMessage[]) => messages.map((m) => [m.role, m.finish ?? null, messageText(m)])

// ---------------------------------------------------------------------------------------------------------------
// Core: the signal and the merge

const item = (seq: number, role: 'user' | 'assistant', text: string, extra: Partial<HistoryItem> = {}): HistoryItem => ({ id: `k:${seq}`, role, text, messageSeq: seq, ...extra })
const page = (...items: HistoryItem[]): HistoryPage => ({ agentId: 'main', sessionKey: 'k', items, page: { hasMore: false, limit: 50 } })

describe('awaitsAnswer: the newest item is a question without an answer', () => {
  it.each([
    ['a question last', page(item(1, 'user', 'q')), true],
    ['an answer last', page(item(1, 'user', 'q'), item(2, 'assistant', 'a')), false],
    ['a second question after an answer', page(item(1, 'user', 'q'), item(2, 'assistant', 'a'), item(3, 'user', 'q2')), true],
    ['an empty page', page(), false],
    ['malformed items after the question are skipped', { items: [item(1, 'user', 'q'), null, { role: 'assistant' }, 42] }, true],
    ['no items array', { items: 'nope' }, false],
    ['not a page', null, false],
    ['a recent question (ms)', page(item(1, 'user', 'q', { timestamp: NOW - 60_000 })), true],
    ['a recent question (seconds)', page(item(1, 'user', 'q', { timestamp: (NOW - 60_000) / 1000 })), true],
    ['a recent question (ISO)', page(item(1, 'user', 'q', { timestamp: new Date(NOW - 60_000).toISOString() })), true],
    ['a question two hours old', page(item(1, 'user', 'q', { timestamp: NOW - 2 * 3_600_000 })), false],
    ['a question two hours old (seconds)', page(item(1, 'user', 'q', { timestamp: (NOW - 2 * 3_600_000) / 1000 })), false],
  ] as const)('%s → %s', (_name, value, expected) => {
    expect(awaitsAnswer(value, NOW)).toBe(expected)
  })
})

describe('history/synced: the newest page again', () => {
  const loaded = (...items: HistoryItem[]): ChatState => reduce(createInitialState('k'), { type: 'history/loaded', messages: historyPageMessages(page(...items)) }, 0)
  const synced = (state: ChatState, ...items: HistoryItem[]): ChatState => reduce(state, { type: 'history/synced', messages: historyPageMessages(page(...items)) }, 0)

  it('appends what comes after the newest message held, with its usage', () => {
    const before = loaded(item(1, 'user', 'q'))
    const after = synced(before, item(1, 'user', 'q'), item(2, 'assistant', 'a', { tokensIn: 10, tokensOut: 5, costUsd: 0.5 }))
    expect(roles(after.messages)).toEqual([['user', null, 'q'], ['assistant', 'done', 'a']])
    expect(after.messages[0]).toBe(before.messages[0])
    expect(after.usage).toEqual({ tokensIn: 10, tokensOut: 5, costUsd: 0.5 })
  })

  it('a page whose window moved on (older items dropped off) still anchors', () => {
    const before = loaded(item(1, 'user', 'q1'), item(2, 'assistant', 'a1'), item(3, 'user', 'q2'))
    const after = synced(before, item(3, 'user', 'q2'), item(4, 'assistant', 'a2'), item(5, 'user', 'q3'))
    expect(after.messages.map((m) => m.id)).toEqual(['k:1', 'k:2', 'k:3', 'k:4', 'k:5'])
  })

  it('the same page again changes nothing (the same state object)', () => {
    const before = loaded(item(1, 'user', 'q'), item(2, 'assistant', 'a'))
    expect(synced(before, item(1, 'user', 'q'), item(2, 'assistant', 'a'))).toBe(before)
  })

  it('never merges into a conversation with turns of its own (they would be duplicated), nor during a live turn', () => {
    const base = loaded(item(1, 'user', 'q'))
    const local: ChatMessage = { id: 'local-1', role: 'user', parts: [{ type: 'text', text: 'mine' }], createdAt: 0 }
    const withLocal = reduce(base, { type: 'turn/start', user: local, assistant: { id: 'local-2', role: 'assistant', parts: [], createdAt: 0 } }, 0)
    expect(synced(withLocal, item(1, 'user', 'q'), item(2, 'user', 'mine'), item(3, 'assistant', 'x'))).toBe(withLocal)
    const settled = reduce(withLocal, { type: 'done', text: 'answer' }, 0)
    expect(synced(settled, item(1, 'user', 'q'), item(2, 'user', 'mine'), item(3, 'assistant', 'answer'))).toBe(settled)
  })

  it('an empty conversation takes the page; an unrelated page is ignored', () => {
    const empty = createInitialState('k')
    expect(synced(empty, item(1, 'user', 'q')).messages.map((m) => m.id)).toEqual(['k:1'])
    const base = loaded(item(7, 'user', 'q'))
    expect(synced(base, item(1, 'user', 'other'), item(2, 'assistant', 'x'))).toBe(base)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// The hook against the mock server

/** The first tab: sends a slow turn and stays mounted (a reload does not unmount: no stop is posted). */
async function startSlowRun(mock: MockServer, message = '[scenario:plain] explain streaming'): Promise<{ key: string; first: ReturnType<typeof renderHook<ReturnType<typeof useOpenClawChat>, unknown>> }> {
  const first = renderHook(() => useOpenClawChat({ agentId: 'main', fetch: mock.fetch }), { wrapper: wrapperFor() })
  act(() => void first.result.current.send(message))
  await waitFor(() => expect(messageText(first.result.current.messages.at(-1) as ChatMessage).length).toBeGreaterThan(5))
  return { key: first.result.current.sessionKey as string, first }
}

/** The reloaded tab: a fresh QueryClient and a fresh hook with the session key. */
function reload(mock: MockServer, key: string, options: Partial<UseOpenClawChatOptions> = {}) {
  return renderHook(() => useOpenClawChat({ agentId: 'main', fetch: mock.fetch, sessionKey: key, resumePollIntervalMs: 50, ...options }), { wrapper: wrapperFor() })
}

describe('resume after a reload during a run', () => {
  it('shows the history, waits for the answer that finishes meanwhile, shows it, then stops polling', async () => {
    const mock = createMockServer({ delayScale: 0.5 })
    const { key, first } = await startSlowRun(mock)
    expect(mock.activeRuns).toBe(1)

    const second = reload(mock, key)
    await waitFor(() => expect(second.result.current.history.isResuming).toBe(true))
    expect(roles(second.result.current.messages)).toEqual([['user', null, '[scenario:plain] explain streaming']])
    expect(second.result.current.status).toBe('ready')
    expect(second.result.current.isBusy).toBe(false)
    expect(mock.activeRuns).toBe(1) // the run goes on: nothing stopped it

    await waitFor(() => expect(second.result.current.messages).toHaveLength(2), { timeout: 5_000 })
    const answer = second.result.current.messages[1] as ChatMessage
    expect(answer).toMatchObject({ role: 'assistant', finish: 'done', usage: { tokensIn: 1234, tokensOut: 56, costUsd: 0.001346 } })
    expect(messageText(answer)).toBe(PLAIN)
    expect(second.result.current.history.isResuming).toBe(false)
    expect(second.result.current.usage).toEqual({ tokensIn: 1234, tokensOut: 56, costUsd: 0.001346 })
    expect(historyReads(mock).length).toBeGreaterThanOrEqual(2) // the first load, then at least one poll

    // polling stopped
    const reads = historyReads(mock).length
    await act(() => tick(300))
    expect(historyReads(mock)).toHaveLength(reads)

    // the first tab finished its own run normally: no stop was ever posted
    await waitFor(() => expect(first.result.current.status).toBe('ready'))
    expect(messageText(first.result.current.messages[1] as ChatMessage)).toBe(PLAIN)
    expect(mock.requests.filter((r) => r.path.endsWith('/chat/stop'))).toHaveLength(0)

    // the resumed conversation goes on normally, with the resumed answer in its history
    await act(() => second.result.current.send('[scenario:plain] thanks'))
    await waitFor(() => expect(second.result.current.status).toBe('ready'))
    expect(second.result.current.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
    const sent = mock.requests.filter((r) => r.path.endsWith('/chat')).at(-1)?.body as { history: unknown; sessionKey: string }
    expect(sent.sessionKey).toBe(key)
    expect(sent.history).toEqual([{ role: 'user', content: '[scenario:plain] explain streaming' }, { role: 'assistant', content: PLAIN }])
  })

  it('a reload after the answer was recorded: the history shows it, no waiting, one history read', async () => {
    const mock = createMockServer({ delayScale: 0 })
    const chat = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: mock.fetch }) })
    controllers.push(chat)
    await chat.send('[scenario:plain] hi')
    const key = chat.store.getState().sessionKey as string
    const statuses: boolean[] = []
    const { result } = renderHook(
      () => {
        const c = useOpenClawChat({ agentId: 'main', fetch: mock.fetch, sessionKey: key, resumePollIntervalMs: 20 })
        statuses.push(c.history.isResuming)
        return c
      },
      { wrapper: wrapperFor() },
    )
    await waitFor(() => expect(result.current.messages).toHaveLength(2))
    await act(() => tick(100))
    expect(statuses.every((s) => !s)).toBe(true)
    expect(historyReads(mock)).toHaveLength(1)
  })

  it('gives up after resumeTimeoutMs when no answer comes (a run that went silent), and stops polling', async () => {
    const mock = createMockServer({ delayScale: 0.2 })
    const { key } = await startSlowRun(mock, '[scenario:silent] hello?')
    const second = reload(mock, key, { resumeTimeoutMs: 250 })
    await waitFor(() => expect(second.result.current.history.isResuming).toBe(true))
    await waitFor(() => expect(second.result.current.history.isResuming).toBe(false), { timeout: 2_000 })
    expect(second.result.current.messages).toHaveLength(1)
    const reads = historyReads(mock).length
    expect(reads).toBeGreaterThanOrEqual(3)
    await act(() => tick(200))
    expect(historyReads(mock)).toHaveLength(reads)
  })

  it('resumeTimeoutMs: 0 never waits', async () => {
    const mock = createMockServer({ delayScale: 0.2 })
    const { key } = await startSlowRun(mock, '[scenario:silent] hello?')
    const second = reload(mock, key, { resumeTimeoutMs: 0 })
    await waitFor(() => expect(second.result.current.messages).toHaveLength(1))
    await act(() => tick(150))
    expect(second.result.current.history.isResuming).toBe(false)
    expect(historyReads(mock)).toHaveLength(1)
  })

  it('a question hours old is not waited for', async () => {
    const fetch: typeof globalThis.fetch = async () =>
      new Response(JSON.stringify(page(item(1, 'user', 'asked long ago', { timestamp: Date.now() - 3 * 3_600_000 }))), { headers: { 'content-type': 'application/json' } })
    const spy = vi.fn(fetch)
    const { result } = renderHook(() => useOpenClawChat({ agentId: 'main', fetch: spy, sessionKey: 'k', resumePollIntervalMs: 20 }), { wrapper: wrapperFor() })
    await waitFor(() => expect(result.current.messages).toHaveLength(1))
    await act(() => tick(100))
    expect(result.current.history.isResuming).toBe(false)
    expect(spy).toHaveBeenCalledTimes(1)
  })

  it('sending while resuming ends the wait; the new turn is not duplicated by a later poll', async () => {
    const mock = createMockServer({ delayScale: 0.2 })
    const { key } = await startSlowRun(mock, '[scenario:silent] hello?')
    // a poll far away: only the send itself can end the wait here
    const second = reload(mock, key, { resumePollIntervalMs: 60_000 })
    await waitFor(() => expect(second.result.current.history.isResuming).toBe(true))
    let sent!: Promise<void>
    act(() => {
      sent = second.result.current.send('[scenario:unknown-events] still there?')
    })
    expect(second.result.current.history.isResuming).toBe(false)
    await act(() => sent)
    await waitFor(() => expect(second.result.current.status).toBe('ready'))
    expect(second.result.current.history.isResuming).toBe(false)
    const reads = historyReads(mock).length
    await act(() => tick(150))
    expect(historyReads(mock)).toHaveLength(reads)
    expect(roles(second.result.current.messages)).toEqual([
      ['user', null, '[scenario:silent] hello?'],
      ['user', null, '[scenario:unknown-events] still there?'],
      ['assistant', 'done', 'Unknown events are ignored. The answer still arrives.'],
    ])
  })

  it('unmounting while resuming stops the polling', async () => {
    const mock = createMockServer({ delayScale: 0.2 })
    const { key } = await startSlowRun(mock, '[scenario:silent] hello?')
    const second = reload(mock, key, { resumePollIntervalMs: 30 })
    await waitFor(() => expect(second.result.current.history.isResuming).toBe(true))
    second.unmount()
    await tick(40)
    const reads = historyReads(mock).length
    await tick(200)
    expect(historyReads(mock)).toHaveLength(reads)
  })
})

describe('history on mount', () => {
  it('is fetched again on every mount: turns made since a cached page are appended in order', async () => {
    const mock = createMockServer({ delayScale: 0 })
    const chat = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: mock.fetch }) })
    controllers.push(chat)
    await chat.send('[scenario:plain] one')
    const key = chat.store.getState().sessionKey as string
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
    const a = renderHook(() => useOpenClawChat({ agentId: 'main', fetch: mock.fetch, sessionKey: key }), { wrapper: wrapperFor(queryClient) })
    await waitFor(() => expect(a.result.current.messages).toHaveLength(2))
    a.unmount()
    await chat.send('[scenario:plain] two') // another tab goes on meanwhile
    const b = renderHook(() => useOpenClawChat({ agentId: 'main', fetch: mock.fetch, sessionKey: key }), { wrapper: wrapperFor(queryClient) })
    await waitFor(() => expect(b.result.current.messages).toHaveLength(4))
    expect(roles(b.result.current.messages).map(([role, , text]) => `${role}:${String(text).slice(0, 20)}`)).toEqual([
      'user:[scenario:plain] one',
      `assistant:${PLAIN.slice(0, 20)}`,
      'user:[scenario:plain] two',
      `assistant:${PLAIN.slice(0, 20)}`,
    ])
    expect(new Set(b.result.current.messages.map((m) => m.id)).size).toBe(4)
  })

  it('passing the conversation’s own key back (to persist it) does not load its history into it (regression: every turn twice)', async () => {
    const mock = createMockServer({ delayScale: 0 })
    const { result } = renderHook(
      () => {
        const [key, setKey] = useState<string | undefined>(undefined)
        return { chat: useOpenClawChat({ agentId: 'main', fetch: mock.fetch, sessionKey: key }), setKey }
      },
      { wrapper: wrapperFor() },
    )
    await act(() => result.current.chat.send('[scenario:plain] hello'))
    await waitFor(() => expect(result.current.chat.status).toBe('ready'))
    const store = result.current.chat.store
    act(() => result.current.setKey(result.current.chat.sessionKey))
    await act(() => tick(50))
    expect(result.current.chat.store).toBe(store)
    expect(roles(result.current.chat.messages)).toEqual([
      ['user', null, '[scenario:plain] hello'],
      ['assistant', 'done', PLAIN],
    ])
    expect(historyReads(mock)).toHaveLength(0)
    expect(result.current.chat.history.isResuming).toBe(false)
  })
})

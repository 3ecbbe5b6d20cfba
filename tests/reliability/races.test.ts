// @vitest-environment jsdom
/**
 * Races: stop at every moment of a turn, sending while a stop is in flight, unmount and agent switch mid-stream,
 * two hooks on one session. Driven by the hand-driven fake server (exact interleavings) and the mock server.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import { createElement, type ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createOpenClawClient } from '../../src/client'
import { ChatController, messageText, type ChatControllerOptions, type ChatMessage, type ChatState } from '../../src/core'
import { createMockServer, type MockServer } from '../../src/mock'
import type { ChatTransport, FrameResult } from '../../src/protocol'
import { useOpenClawChat } from '../../src/react'
import { createFakeServer, tick, until, type FakeServer } from '../helpers/fake-server'
import { lastMessage as last, liveText } from '../helpers/turns'

const controllers: ChatController[] = []
afterEach(() => {
  for (const c of controllers.splice(0)) c.dispose()
  cleanup()
  vi.restoreAllMocks()
})

function setup(options: Partial<ChatControllerOptions> = {}, fetch?: (server: FakeServer) => typeof globalThis.fetch) {
  const server = createFakeServer()
  const chat = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: fetch?.(server) ?? server.fetch }), ...options })
  controllers.push(chat)
  return { server, chat, state: (): ChatState => chat.store.getState() }
}

const chatPosts = (server: FakeServer) => server.requests.filter((r) => r.url.endsWith('/chat'))
const stopPosts = (server: FakeServer) => server.requests.filter((r) => r.url.endsWith('/chat/stop'))
const texts = (s: ChatState): Array<[string, string | undefined, string]> => s.messages.map((m) => [m.role, m.finish, messageText(m)])
/** A fetch that drops the AbortSignal, as an app's wrapper that rebuilds `init` does. */
const ignoringSignal = (server: FakeServer): typeof globalThis.fetch => (input, init) => server.fetch(input, { ...init, signal: null })

/** Fails fast (instead of at the test timeout) when a promise that must settle does not. */
async function settles<T>(promise: Promise<T>, ms = 1_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

describe('stop at every moment of a turn', () => {
  it('before the response headers: aborted at once, the request aborted, the server still told; late headers change nothing', async () => {
    const { server, chat, state } = setup()
    server.holdHeaders = true
    const sent = chat.send('hi')
    await until(() => chatPosts(server).length === 1)
    expect(state().status).toBe('submitted')
    await settles(chat.stop())
    await settles(sent)
    expect(state().status).toBe('ready')
    expect(last(state())).toMatchObject({ role: 'assistant', finish: 'aborted', parts: [] })
    expect(server.streams[0]?.signal?.aborted).toBe(true)
    await until(() => stopPosts(server).length >= 1)
    expect(stopPosts(server)[0]?.body).toEqual({ sessionKey: state().sessionKey })
    const settled = state()
    server.releaseHeaders()
    server.streams[0]?.frame('text-delta', { text: 'too late' })
    await tick(20)
    expect(state()).toBe(settled)
    expect(chat.busy).toBe(false)
  })

  it('before the response headers, with a fetch that ignores the AbortSignal: the late body is cancelled, not left open', async () => {
    const { server, chat, state } = setup({}, ignoringSignal)
    server.holdHeaders = true
    const sent = chat.send('hi')
    await until(() => chatPosts(server).length === 1)
    await settles(chat.stop())
    await settles(sent)
    expect(server.streams[0]?.signal).toBeUndefined() // the fake fetch never saw a signal
    server.releaseHeaders()
    await until(() => server.streams[0]?.cancelled === true)
    const settled = state()
    server.streams[0]?.frame('text-delta', { text: 'too late' })
    await tick(20)
    expect(state()).toBe(settled)
  })

  it('between frames: `stopping` at once; frames before the confirmation still count; aborted with all the text', async () => {
    const { server, chat, state } = setup({ stopGraceMs: 5_000 })
    const sent = chat.send('hi')
    const stream = await server.nextStream()
    stream.frame('lifecycle', { phase: 'start', runId: 'r1' })
    stream.frame('text-delta', { text: 'one ' })
    await until(() => liveText(state()) === 'one ')
    const stopped = chat.stop()
    expect(state().status).toBe('stopping')
    stream.frame('text-delta', { text: 'two' })
    await until(() => liveText(state()) === 'one two')
    expect(state().status).toBe('stopping')
    await until(() => stopPosts(server).length === 1)
    expect(stopPosts(server)[0]?.body).toEqual({ sessionKey: state().sessionKey, runId: 'r1' })
    stream.frame('lifecycle', { phase: 'end', runId: 'r1' })
    stream.frame('lifecycle', { phase: 'aborted', runId: 'r1' })
    stream.end()
    await settles(Promise.all([stopped, sent]))
    expect(state().status).toBe('ready')
    expect(state().error).toBeUndefined()
    expect(texts(state())).toEqual([['user', undefined, 'hi'], ['assistant', 'aborted', 'one two']])
  })

  it('after done: a no-op (no request, the state object unchanged)', async () => {
    const { server, chat, state } = setup()
    const sent = chat.send('hi')
    const stream = await server.nextStream()
    stream.frame('done', { text: 'Done.' })
    stream.end()
    await sent
    const settled = state()
    await settles(chat.stop())
    await settles(chat.stop())
    await tick(10)
    expect(state()).toBe(settled)
    expect(stopPosts(server)).toHaveLength(0)
  })

  it('twice (and three times): one stop request, every promise settles with the one outcome', async () => {
    const { server, chat, state } = setup({ stopGraceMs: 5_000 })
    const sent = chat.send('hi')
    const stream = await server.nextStream()
    stream.frame('lifecycle', { phase: 'start', runId: 'r2' })
    await until(() => state().runId === 'r2')
    const a = chat.stop()
    const b = chat.stop()
    await until(() => stopPosts(server).length === 1)
    const c = chat.stop()
    stream.frame('lifecycle', { phase: 'aborted', runId: 'r2' })
    stream.end()
    await settles(Promise.all([a, b, c, sent]))
    await tick(10)
    expect(stopPosts(server)).toHaveLength(1)
    expect(last(state())?.finish).toBe('aborted')
  })

  it('twice before the headers: one stop request (plus the single retry when nothing was found)', async () => {
    const { server, chat } = setup()
    server.holdHeaders = true
    server.onStop = () => ({ ok: true, aborted: false, runIds: [] })
    const sent = chat.send('hi')
    await until(() => chatPosts(server).length === 1)
    await settles(Promise.all([chat.stop(), chat.stop()]))
    await settles(sent)
    await tick(450)
    // the stop found nothing (the run may not have started yet on the server): tried once more, never more
    expect(stopPosts(server)).toHaveLength(2)
  })

  it('the server never confirms: closed locally after stopGraceMs, the fetch aborted', async () => {
    const { server, chat, state } = setup({ stopGraceMs: 60 })
    server.onStop = () => ({ ok: true, aborted: false, runIds: [] })
    const sent = chat.send('hi')
    const stream = await server.nextStream()
    stream.frame('lifecycle', { phase: 'start', runId: 'r3' })
    stream.frame('text-delta', { text: 'Kept' })
    await until(() => state().live?.parts.length === 1)
    await settles(chat.stop())
    await settles(sent)
    expect(last(state())).toMatchObject({ finish: 'aborted', parts: [{ type: 'text', text: 'Kept' }] })
    expect(stream.cancelled).toBe(true)
  })
})

describe('a transport whose stream never settles cannot hang a turn', () => {
  const neverEnding = (stops: unknown[]): ChatTransport => ({
    chat: async () => ({
      frames: {
        [Symbol.asyncIterator]: () => ({
          next: (): Promise<IteratorResult<FrameResult[]>> => new Promise(() => undefined),
        }),
      },
    }),
    stop: async (request) => {
      stops.push(request)
      return { ok: true, aborted: false, runIds: [] }
    },
  })

  it('a stall ends send() (regression: it waited for the stream forever)', async () => {
    const stops: unknown[] = []
    const chat = new ChatController({ agentId: 'main', transport: neverEnding(stops), stallTimeoutMs: 40 })
    controllers.push(chat)
    await settles(chat.send('q'))
    expect(chat.busy).toBe(false)
    expect(chat.store.getState().error?.kind).toBe('stalled')
    expect(stops).toHaveLength(1)
  })

  it('a stop ends send() after the grace period', async () => {
    const chat = new ChatController({ agentId: 'main', transport: neverEnding([]), stopGraceMs: 30 })
    controllers.push(chat)
    const sent = chat.send('q')
    await tick(5)
    await settles(chat.stop())
    await settles(sent)
    expect(last(chat.store.getState())?.finish).toBe('aborted')
  })

  it('a stall with a fetch that ignores the AbortSignal cancels the body (regression: left open and locked)', async () => {
    const { server, chat, state } = setup({ stallTimeoutMs: 40 }, ignoringSignal)
    const sent = chat.send('q')
    const stream = await server.nextStream()
    stream.frame('text-delta', { text: 'partial' })
    await settles(sent)
    expect(state().error?.kind).toBe('stalled')
    await until(() => stream.cancelled)
  })
})

describe('send while a stop is in flight', () => {
  it('is queued, not sent, until the stop completes; then it goes out with the partial answer in its history', async () => {
    const { server, chat, state } = setup({ stopGraceMs: 5_000 })
    const first = chat.send('first')
    const s1 = await server.nextStream()
    s1.frame('lifecycle', { phase: 'start', runId: 'r1' })
    s1.frame('text-delta', { text: 'Partial' })
    await until(() => state().live?.parts.length === 1)
    const stopped = chat.stop()
    expect(state().status).toBe('stopping')
    await settles(chat.send('second'))
    expect(state().queue.map((q) => q.text)).toEqual(['second'])
    await tick(20)
    expect(chatPosts(server)).toHaveLength(1)
    s1.frame('lifecycle', { phase: 'aborted', runId: 'r1' })
    s1.end()
    await settles(Promise.all([stopped, first]))
    const s2 = await settles(server.nextStream())
    expect(s2.body.message).toBe('second')
    expect(s2.body.history).toEqual([
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'Partial' },
    ])
    expect(state().queue).toEqual([])
    s2.frame('done', { text: 'Second answer' })
    s2.end()
    await until(() => state().status === 'ready' && !chat.busy)
    expect(texts(state())).toEqual([
      ['user', undefined, 'first'],
      ['assistant', 'aborted', 'Partial'],
      ['user', undefined, 'second'],
      ['assistant', 'done', 'Second answer'],
    ])
  })

  it('also when the stop is never confirmed (sent after the grace period)', async () => {
    const { server, chat, state } = setup({ stopGraceMs: 50 })
    server.onStop = () => ({ ok: true, aborted: false, runIds: [] })
    const first = chat.send('first')
    const s1 = await server.nextStream()
    s1.frame('text-delta', { text: 'x' })
    await until(() => state().status === 'streaming')
    void chat.stop()
    await chat.send('second')
    expect(chatPosts(server)).toHaveLength(1)
    await settles(first)
    const s2 = await settles(server.nextStream())
    expect(s2.body.message).toBe('second')
    s2.end()
    await until(() => !chat.busy && state().status === 'ready')
    expect(texts(state()).map(([role, finish]) => `${role}:${finish ?? ''}`)).toEqual(['user:', 'assistant:aborted', 'user:', 'assistant:done'])
  })
})

// ---------------------------------------------------------------------------------------------------------------
// React

function wrapperFor(queryClient: QueryClient) {
  return function Wrapper({ children }: { children: ReactNode }) {
    return createElement(QueryClientProvider, { client: queryClient }, children)
  }
}
const newQueryClient = (): QueryClient => new QueryClient({ defaultOptions: { queries: { retry: false } } })

describe('unmount during streaming', () => {
  it('aborts the fetch, still tells the server, and nothing updates afterwards (no render, no store change, no warning)', async () => {
    const consoleError = vi.spyOn(console, 'error')
    const consoleWarn = vi.spyOn(console, 'warn')
    const server = createFakeServer()
    let renders = 0
    const { result, unmount } = renderHook(
      () => {
        renders++
        return useOpenClawChat({ agentId: 'main', fetch: server.fetch })
      },
      { wrapper: wrapperFor(newQueryClient()) },
    )
    let sent!: Promise<void>
    act(() => {
      sent = result.current.send('go')
    })
    const stream = await server.nextStream()
    stream.frame('lifecycle', { phase: 'start', runId: 'r-un' })
    stream.frame('text-delta', { text: 'Half' })
    await waitFor(() => expect(messageText(result.current.messages.at(-1) as ChatMessage)).toBe('Half'))
    const store = result.current.store
    const snapshot = store.getState()
    const listener = vi.fn()
    store.subscribe(listener)
    const rendersBefore = renders
    unmount()
    expect(stream.signal?.aborted).toBe(true)
    expect(stream.cancelled).toBe(true)
    await settles(sent)
    await waitFor(() => expect(stopPosts(server)).toHaveLength(1))
    expect(stopPosts(server)[0]?.body).toEqual({ sessionKey: snapshot.sessionKey, runId: 'r-un' })
    stream.frame('text-delta', { text: ' and more' })
    stream.frame('done', { text: 'Half and more' })
    await tick(150) // past an animation frame and the coalescer's hidden-tab fallback
    expect(listener).not.toHaveBeenCalled()
    expect(store.getState()).toBe(snapshot)
    expect(renders).toBe(rendersBefore)
    expect(consoleError).not.toHaveBeenCalled()
    expect(consoleWarn).not.toHaveBeenCalled()
  })
})

describe('agent switch mid-stream', () => {
  it('stops the old run on the server (old agent, old session, its runId), and the new conversation starts clean', async () => {
    const server = createFakeServer()
    const { result, rerender } = renderHook((props: { agentId: string }) => useOpenClawChat({ agentId: props.agentId, fetch: server.fetch }), {
      wrapper: wrapperFor(newQueryClient()),
      initialProps: { agentId: 'main' },
    })
    act(() => void result.current.send('hi main'))
    const old = await server.nextStream()
    old.frame('lifecycle', { phase: 'start', runId: 'r-main' })
    old.frame('text-delta', { text: 'Main is answ' })
    await waitFor(() => expect(result.current.runId).toBe('r-main'))
    const oldKey = result.current.sessionKey
    const oldStore = result.current.store
    rerender({ agentId: 'research' })
    expect(result.current.store).not.toBe(oldStore)
    expect(result.current.messages).toEqual([])
    expect(result.current.status).toBe('ready')
    expect(result.current.runId).toBeUndefined()
    expect(old.cancelled).toBe(true)
    await waitFor(() => expect(stopPosts(server)).toHaveLength(1))
    expect(stopPosts(server)[0]?.url).toBe('/claw/agents/main/chat/stop')
    expect(stopPosts(server)[0]?.body).toEqual({ sessionKey: oldKey, runId: 'r-main' })
    // the old stream keeps talking: nothing reaches the new conversation
    old.frame('text-delta', { text: 'ering' })
    old.frame('done', { text: 'Main is answering' })
    await act(() => tick(30))
    expect(result.current.messages).toEqual([])

    let sent!: Promise<void>
    act(() => {
      sent = result.current.send('hi research')
    })
    const fresh = await server.nextStream()
    expect(chatPosts(server).map((r) => r.url)).toEqual(['/claw/agents/main/chat', '/claw/agents/research/chat'])
    expect(fresh.body.sessionKey).not.toBe(oldKey)
    expect(fresh.body.history).toBeUndefined()
    fresh.frame('done', { text: 'Research here.' })
    fresh.end()
    await act(() => sent)
    expect(result.current.messages.map((m) => [m.role, messageText(m)])).toEqual([
      ['user', 'hi research'],
      ['assistant', 'Research here.'],
    ])
  })
})

describe('two hooks on the same session', () => {
  async function seeded(): Promise<{ mock: MockServer; key: string }> {
    const mock = createMockServer({ delayScale: 0 })
    const chat = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: mock.fetch }) })
    controllers.push(chat)
    await chat.send('first question')
    await chat.send('second question')
    return { mock, key: chat.store.getState().sessionKey as string }
  }

  it('both load the history; a turn on one does not touch the other, and neither is corrupted', async () => {
    const { mock, key } = await seeded()
    const queryClient = newQueryClient()
    const { result } = renderHook(
      () => ({ a: useOpenClawChat({ agentId: 'main', fetch: mock.fetch, sessionKey: key }), b: useOpenClawChat({ agentId: 'main', fetch: mock.fetch, sessionKey: key }) }),
      { wrapper: wrapperFor(queryClient) },
    )
    await waitFor(() => {
      expect(result.current.a.messages).toHaveLength(4)
      expect(result.current.b.messages).toHaveLength(4)
    })
    expect(result.current.a.store).not.toBe(result.current.b.store)
    const history = result.current.b.messages
    expect(history.map((m) => [m.role, m.id])).toEqual([
      ['user', `${key}:1`],
      ['assistant', `${key}:2`],
      ['user', `${key}:3`],
      ['assistant', `${key}:4`],
    ])
    const bBefore = result.current.b.store.getState()

    await act(() => result.current.a.send('third question'))
    await waitFor(() => expect(result.current.a.status).toBe('ready'))
    // usage refresh after the turn reads the newest history page: let it land
    await act(() => tick(30))
    const a = result.current.a.messages
    expect(a.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant'])
    expect(a.slice(0, 4)).toEqual(history)
    expect(messageText(a[4] as ChatMessage)).toBe('third question')
    expect(a[5]?.finish).toBe('done')
    expect(new Set(a.map((m) => m.id)).size).toBe(6)
    expect(result.current.b.store.getState()).toBe(bBefore)
    expect(result.current.b.messages).toEqual(history)
    expect(result.current.b.status).toBe('ready')
    // the newest page was fetched once for both hooks
    expect(mock.requests.filter((r) => r.path.includes('/history') && r.path.includes('limit=50'))).toHaveLength(1)

    // then a turn on the other one: its own history turns are sent, and the first hook is untouched in turn
    const aAfter = result.current.a.store.getState()
    await act(() => result.current.b.send('fourth question'))
    await waitFor(() => expect(result.current.b.status).toBe('ready'))
    await act(() => tick(30))
    expect(result.current.a.store.getState()).toBe(aAfter)
    expect(result.current.b.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant'])
    const posted = mock.requests.filter((r) => r.path.endsWith('/chat')).map((r) => r.body as { sessionKey: string })
    expect(posted.slice(-2).map((b) => b.sessionKey)).toEqual([key, key])
  })
})

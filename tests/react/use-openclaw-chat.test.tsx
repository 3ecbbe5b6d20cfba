// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, cleanup, render, renderHook, waitFor } from '@testing-library/react'
import { memo, StrictMode, useEffect, type ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { messageText, type ChatMessage, type ChatStore } from '../../src/core'
import { createMockServer, type MockServer } from '../../src/mock'
import {
  openClawKeys,
  useChatMessage,
  useChatMessageIds,
  useOpenClawChat,
  type UseOpenClawChatOptions,
  type UseOpenClawChatResult,
} from '../../src/react'
import { createFakeServer, tick, type FakeServer } from '../helpers/fake-server'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

function wrapperFor(queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } }), strict = false) {
  return function Wrapper({ children }: { children: ReactNode }) {
    const tree = <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    return strict ? <StrictMode>{tree}</StrictMode> : tree
  }
}

const paths = (mock: MockServer, suffix: string) => mock.requests.filter((r) => r.path.split('?')[0]?.endsWith(suffix))

describe('useOpenClawChat inside a plain QueryClientProvider', () => {
  it('streams a turn: submitted → streaming → ready, with the answer and a session key', async () => {
    const mock = createMockServer({ delayScale: 0 })
    const statuses: string[] = []
    const { result } = renderHook(
      () => {
        const chat = useOpenClawChat({ agentId: 'main', fetch: mock.fetch })
        statuses.push(chat.status)
        return chat
      },
      { wrapper: wrapperFor() },
    )
    expect(result.current.status).toBe('ready')
    expect(result.current.messages).toEqual([])
    await act(() => result.current.send('[scenario:reasoning] hello'))
    await waitFor(() => expect(result.current.status).toBe('ready'))
    const [user, answer] = result.current.messages
    expect(user).toMatchObject({ role: 'user', parts: [{ type: 'text', text: '[scenario:reasoning] hello' }] })
    expect(answer?.finish).toBe('done')
    expect(answer?.parts.map((p) => p.type)).toEqual(['reasoning', 'text'])
    expect(result.current.sessionKey).toMatch(/^[\w-]{8,}$/)
    expect((paths(mock, '/chat')[0]?.body as { sessionKey: string }).sessionKey).toBe(result.current.sessionKey)
    expect(result.current.usage.tokensIn).toBeGreaterThan(0)
    expect(statuses).toContain('submitted')
    expect(statuses.at(-1)).toBe('ready')
    expect(paths(mock, '/chat')[0]?.path).toBe('/claw/agents/main/chat')
  })

  it('reports a typed HTTP error, keeps the user message, and retry() resends it', async () => {
    const server = createFakeServer()
    server.failNext = () => new Response(JSON.stringify({ error: 'Gateway is not connected' }), { status: 503 })
    const onError = vi.fn()
    const { result } = renderHook(() => useOpenClawChat({ agentId: 'main', fetch: server.fetch, onError }), { wrapper: wrapperFor() })
    await act(() => result.current.send('keep me'))
    expect(result.current.status).toBe('error')
    expect(result.current.error).toMatchObject({ kind: 'http', status: 503, message: 'Gateway is not connected' })
    expect(onError).toHaveBeenCalledTimes(1)
    expect(result.current.messages.map((m) => messageText(m))).toEqual(['keep me'])
    let retried!: Promise<void>
    act(() => {
      retried = result.current.retry()
    })
    const stream = await server.nextStream()
    expect(stream.body.message).toBe('keep me')
    stream.frame('done', { text: 'Back.' })
    stream.end()
    await act(() => retried)
    expect(result.current.error).toBeUndefined()
    expect(result.current.messages.map((m) => messageText(m))).toEqual(['keep me', 'Back.'])
  })
})

describe('history of a given sessionKey', () => {
  async function seeded(): Promise<{ mock: MockServer; key: string }> {
    const mock = createMockServer({ delayScale: 0 })
    const { result, unmount } = renderHook(() => useOpenClawChat({ agentId: 'main', fetch: mock.fetch }), { wrapper: wrapperFor() })
    await act(() => result.current.send('first question'))
    const key = result.current.sessionKey as string
    unmount()
    mock.requests.length = 0
    return { mock, key }
  }

  it('is loaded once through react-query, even under StrictMode, and placed before new messages', async () => {
    const { mock, key } = await seeded()
    const queryClient = new QueryClient()
    const { result } = renderHook(() => useOpenClawChat({ agentId: 'main', fetch: mock.fetch, sessionKey: key }), { wrapper: wrapperFor(queryClient, true) })
    await waitFor(() => expect(result.current.messages).toHaveLength(2))
    expect(result.current.messages.map((m) => m.role)).toEqual(['user', 'assistant'])
    expect(messageText(result.current.messages[0] as ChatMessage)).toBe('first question')
    expect(result.current.history.isLoading).toBe(false)
    expect(queryClient.getQueryData(openClawKeys.history('', 'main', key))).toBeDefined()

    await act(() => result.current.send('second question'))
    await waitFor(() => expect(result.current.status).toBe('ready'))
    expect(result.current.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
    expect(messageText(result.current.messages[2] as ChatMessage)).toBe('second question')
    const chat = paths(mock, '/chat')[0]?.body as { sessionKey: string; history: Array<{ role: string; content: string }> }
    expect(chat.sessionKey).toBe(key)
    expect(chat.history[0]).toEqual({ role: 'user', content: 'first question' })
    // the newest page was fetched once; the only other history read is the usage refresh after the turn
    expect(paths(mock, '/history').filter((r) => r.path.includes('limit=50'))).toHaveLength(1)
  })

  it('a wrapped sessionKey option is normalized to the bare key', async () => {
    const { mock, key } = await seeded()
    const { result } = renderHook(
      () => useOpenClawChat({ agentId: 'main', fetch: mock.fetch, sessionKey: `agent:main:openai-user:browseros:main:${key}` }),
      { wrapper: wrapperFor() },
    )
    expect(result.current.sessionKey).toBe(key)
    await waitFor(() => expect(result.current.messages).toHaveLength(2))
    expect(paths(mock, '/history')[0]?.path).toContain(`sessionKey=${encodeURIComponent(key)}`)
  })
})

describe('stop', () => {
  it('goes through a react-query mutation and finishes `aborted` with the partial text', async () => {
    const server = createFakeServer()
    const queryClient = new QueryClient()
    const { result } = renderHook(() => useOpenClawChat({ agentId: 'main', fetch: server.fetch, stopGraceMs: 5_000 }), { wrapper: wrapperFor(queryClient) })
    let sent!: Promise<void>
    act(() => {
      sent = result.current.send('go')
    })
    const stream = await server.nextStream()
    stream.frame('lifecycle', { phase: 'start', runId: 'run-7' })
    stream.frame('text-delta', { text: 'Partial answer' })
    await waitFor(() => expect(result.current.status).toBe('streaming'))
    let stopped!: Promise<void>
    act(() => {
      stopped = result.current.stop()
    })
    expect(result.current.status).toBe('stopping')
    await waitFor(() => expect(server.requests.some((r) => r.url.endsWith('/chat/stop'))).toBe(true))
    const mutations = queryClient.getMutationCache().findAll({ mutationKey: openClawKeys.stop('', 'main') })
    expect(mutations).toHaveLength(1)
    expect(mutations[0]?.state.variables).toBeUndefined()
    stream.frame('lifecycle', { phase: 'aborted', runId: 'run-7' })
    stream.end()
    await act(() => Promise.all([stopped, sent]))
    expect(result.current.status).toBe('ready')
    expect(result.current.messages.at(-1)).toMatchObject({ finish: 'aborted', parts: [{ type: 'text', text: 'Partial answer' }] })
    expect(server.requests.find((r) => r.url.endsWith('/chat/stop'))?.body).toEqual({ sessionKey: result.current.sessionKey, runId: 'run-7' })
  })
})

describe('rendering cost', () => {
  /** Manual animation frames: callbacks run only when the test says so. */
  function manualFrames(): { run: () => void; pending: () => number } {
    let callbacks: FrameRequestCallback[] = []
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
      callbacks.push(cb)
      return callbacks.length
    })
    vi.stubGlobal('cancelAnimationFrame', () => undefined)
    return {
      run: () => {
        const now = callbacks
        callbacks = []
        for (const cb of now) cb(performance.now())
      },
      pending: () => callbacks.length,
    }
  }

  it('a burst of deltas reaches the store as one update per animation frame', async () => {
    const frames = manualFrames()
    const server = createFakeServer()
    const { result } = renderHook(() => useOpenClawChat({ agentId: 'main', fetch: server.fetch }), { wrapper: wrapperFor() })
    act(() => void result.current.send('go'))
    const stream = await server.nextStream()
    const updates = vi.fn()
    result.current.store.subscribe(updates)
    for (let chunk = 0; chunk < 5; chunk++) {
      stream.write(Array.from({ length: 20 }, () => `data: {"type":"text-delta","data":{"text":"ab"}}\n\n`).join(''))
      await tick(1)
    }
    expect(updates).toHaveBeenCalledTimes(0)
    expect(frames.pending()).toBe(1)
    act(() => frames.run())
    expect(updates).toHaveBeenCalledTimes(1)
    expect(messageText(result.current.store.getState().live as ChatMessage)).toBe('ab'.repeat(100))
    stream.frame('text-delta', { text: '!' })
    await tick(1)
    act(() => frames.run())
    expect(updates).toHaveBeenCalledTimes(2)
    stream.end()
    await act(() => tick(5))
    act(() => frames.run())
  })

  it('settled messages never re-render while a new answer streams; the thread re-renders only when a message is added', async () => {
    const server = createFakeServer()
    const renders = new Map<string, number>()
    let threadRenders = 0
    const Message = memo(function Message({ id, store }: { id: string; store: ChatStore }) {
      const message = useChatMessage(id, store)
      renders.set(id, (renders.get(id) ?? 0) + 1)
      return <p>{message === undefined ? '' : messageText(message)}</p>
    })
    function Thread({ store }: { store: ChatStore }) {
      const ids = useChatMessageIds(store)
      threadRenders++
      return <>{ids.map((id) => <Message key={id} id={id} store={store} />)}</>
    }
    let chat!: UseOpenClawChatResult
    function App() {
      chat = useOpenClawChat({ agentId: 'main', fetch: server.fetch })
      const { store } = chat // reads no state field: this component never re-renders for a delta
      return <Thread store={store} />
    }
    const view = render(<App />, { wrapper: wrapperFor() })
    const turn = async (text: string, deltas: number, gapMs: number) => {
      let sent!: Promise<void>
      act(() => {
        sent = chat.send(text)
      })
      const stream = await server.nextStream()
      for (let i = 0; i < deltas; i++) {
        stream.frame('text-delta', { text: `w${i} ` })
        await act(() => tick(gapMs))
      }
      stream.frame('done', {})
      stream.end()
      await act(() => sent)
    }
    await turn('first', 3, 1)
    const settled = chat.store.getState().messages.map((m) => m.id)
    expect(settled).toHaveLength(2)
    const before = new Map(renders)
    const threadBefore = threadRenders
    await turn('second', 12, 25) // slower than one animation frame per delta: each delta is rendered
    for (const id of settled) expect(renders.get(id)).toBe(before.get(id))
    const streamedId = chat.store.getState().messages[3]?.id as string
    expect(renders.get(streamedId)).toBeGreaterThan(5)
    // two messages were added (the user's and the answer), the answer once more when it settled
    expect(threadRenders - threadBefore).toBeLessThanOrEqual(3)
    expect(view.container.textContent).toContain('w11')
  })

  it('a component reading only `status` does not re-render for deltas', async () => {
    const server = createFakeServer()
    let renders = 0
    const { result } = renderHook(
      () => {
        const chat = useOpenClawChat({ agentId: 'main', fetch: server.fetch })
        renders++
        return { status: chat.status, send: chat.send }
      },
      { wrapper: wrapperFor() },
    )
    let sent!: Promise<void>
    act(() => {
      sent = result.current.send('go')
    })
    const stream = await server.nextStream()
    stream.frame('text-delta', { text: 'a' })
    await waitFor(() => expect(result.current.status).toBe('streaming'))
    const atStreaming = renders
    for (let i = 0; i < 40; i++) {
      stream.frame('text-delta', { text: 'x' })
      await act(() => tick(1))
    }
    expect(renders).toBe(atStreaming)
    stream.frame('done', {})
    stream.end()
    await act(() => sent)
    expect(result.current.status).toBe('ready')
    expect(renders).toBe(atStreaming + 1)
  })
})

describe('unmount and changing options', () => {
  it('unmount during streaming aborts the fetch, tells the server, and logs no React warning', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const server = createFakeServer()
    const { result, unmount } = renderHook(() => useOpenClawChat({ agentId: 'main', fetch: server.fetch }), { wrapper: wrapperFor() })
    act(() => void result.current.send('go'))
    const stream = await server.nextStream()
    stream.frame('lifecycle', { phase: 'start', runId: 'r-un' })
    await waitFor(() => expect(result.current.runId).toBe('r-un'))
    const store = result.current.store
    const snapshot = store.getState()
    unmount()
    expect(stream.cancelled).toBe(true)
    await waitFor(() => expect(server.requests.some((r) => r.url.endsWith('/chat/stop'))).toBe(true))
    stream.frame('text-delta', { text: 'late' })
    await tick(10)
    expect(store.getState()).toBe(snapshot)
    expect(errors).not.toHaveBeenCalled()
    errors.mockRestore()
  })

  it('the latest callbacks are used without restarting the conversation', async () => {
    const mock = createMockServer({ delayScale: 0 })
    const first = vi.fn()
    const second = vi.fn()
    const { result, rerender } = renderHook((props: Pick<UseOpenClawChatOptions, 'onFinish'>) => useOpenClawChat({ agentId: 'main', fetch: mock.fetch, ...props }), {
      wrapper: wrapperFor(),
      initialProps: { onFinish: first },
    })
    const store = result.current.store
    rerender({ onFinish: second })
    expect(result.current.store).toBe(store)
    await act(() => result.current.send('hi'))
    expect(first).not.toHaveBeenCalled()
    expect(second).toHaveBeenCalledWith(expect.objectContaining({ finish: 'done' }))
  })

  it('switching agent starts a fresh conversation on the new agent', async () => {
    const mock = createMockServer({ delayScale: 0 })
    const { result, rerender } = renderHook((props: { agentId: string }) => useOpenClawChat({ agentId: props.agentId, fetch: mock.fetch }), {
      wrapper: wrapperFor(),
      initialProps: { agentId: 'main' },
    })
    await act(() => result.current.send('hi main'))
    expect(result.current.messages).toHaveLength(2)
    rerender({ agentId: 'research' })
    expect(result.current.messages).toEqual([])
    await act(() => result.current.send('hi research'))
    expect(paths(mock, '/chat').map((r) => r.path)).toEqual(['/claw/agents/main/chat', '/claw/agents/research/chat'])
  })

  it('headers from a function are sent with every request', async () => {
    const server = createFakeServer()
    let token = 'one'
    const { result } = renderHook(() => useOpenClawChat({ agentId: 'main', fetch: server.fetch, headers: () => ({ authorization: `Bearer ${token}` }) }), { wrapper: wrapperFor() })
    act(() => void result.current.send('a'))
    const s1 = await server.nextStream()
    s1.end()
    await waitFor(() => expect(result.current.status).toBe('ready'))
    token = 'two'
    act(() => void result.current.send('b'))
    const s2 = await server.nextStream()
    s2.end()
    await waitFor(() => expect(result.current.status).toBe('ready'))
    const auth = server.requests.filter((r) => r.url.endsWith('/chat')).map((r) => r.headers.get('authorization'))
    expect(auth).toEqual(['Bearer one', 'Bearer two'])
    expect(server.requests.every((r) => !r.url.includes('Bearer'))).toBe(true)
  })
})

describe('a Thread component can follow the whole API with effects', () => {
  it('onEvent sees each event once, in order', async () => {
    const mock = createMockServer({ delayScale: 0 })
    const types: string[] = []
    function Probe() {
      const chat = useOpenClawChat({ agentId: 'main', fetch: mock.fetch, onEvent: (e) => types.push(e.type) })
      useEffect(() => {
        void chat.send('[scenario:tools]')
        // eslint-disable-next-line react-hooks/exhaustive-deps
      }, [])
      return <span>{chat.status}</span>
    }
    const view = render(<Probe />, { wrapper: wrapperFor() })
    await waitFor(() => expect(types.at(-1)).toBe('done'))
    await waitFor(() => expect(view.container.textContent).toBe('ready'))
    expect(types[0]).toBe('lifecycle')
    expect(types.filter((t) => t === 'tool-start').length).toBeGreaterThanOrEqual(3)
    expect(types.filter((t) => t === 'done')).toHaveLength(1)
  })
})

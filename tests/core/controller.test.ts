import { describe, expect, it, vi } from 'vitest'
import { createOpenClawClient } from '../../src/client'
import { AttachmentError, ChatController, messageText, type ChatControllerOptions, type ChatMessage, type ChatState } from '../../src/core'
import { createMockServer } from '../../src/mock'
import { ChatError, type ChatEvent } from '../../src/protocol'
import { createFakeServer, tick, until, type FakeServer } from '../helpers/fake-server'
import { disposedAfterEach } from '../helpers/controllers'
import { lastMessage, liveText } from '../helpers/turns'

const controllers = disposedAfterEach()

function setup(options: Partial<ChatControllerOptions> = {}): { server: FakeServer; chat: ChatController; state: () => ChatState } {
  const server = createFakeServer()
  const chat = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: server.fetch }), ...options })
  controllers.push(chat)
  return { server, chat, state: () => chat.store.getState() }
}

const chatRequests = (server: FakeServer) => server.requests.filter((r) => r.url.endsWith('/chat'))
const stopRequests = (server: FakeServer) => server.requests.filter((r) => r.url.endsWith('/chat/stop'))

/** Sends 'first', queues 'queued' while it runs, then ends the first turn with `done`. */
async function finishFirstWithQueued(server: FakeServer, chat: ChatController): Promise<void> {
  const first = chat.send('first')
  const stream = await server.nextStream()
  await chat.send('queued')
  stream.frame('done', { text: 'A1' })
  stream.end()
  await first
}

describe('a turn against the mock server', () => {
  it('streams an answer, adopts the bare session key and sends it with bounded history on later turns', async () => {
    const mock = createMockServer({ delayScale: 0 })
    const chat = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: mock.fetch }), historyTurns: 3 })
    controllers.push(chat)
    await chat.send('hello')
    const s1 = chat.store.getState()
    expect(s1.status).toBe('ready')
    expect(s1.messages.map((m) => [m.role, m.finish])).toEqual([['user', undefined], ['assistant', 'done']])
    expect(messageText(s1.messages[1] as ChatMessage).length).toBeGreaterThan(20)
    const key = s1.sessionKey as string
    // the mock answers with a wrapped X-Session-Key; the bare key is kept
    expect(key).not.toMatch(/^agent:/)
    expect(s1.usage.tokensIn).toBeGreaterThan(0)
    await chat.send('again')
    await chat.send('and again')
    const bodies = mock.requests.filter((r) => r.path.endsWith('/chat')).map((r) => r.body as { sessionKey: string; history?: unknown[] })
    expect(bodies.map((b) => b.sessionKey)).toEqual([key, key, key])
    expect(bodies[0]?.history).toBeUndefined()
    expect(bodies[1]?.history).toEqual([{ role: 'user', content: 'hello' }, { role: 'assistant', content: messageText(s1.messages[1] as ChatMessage) }])
    expect(bodies[2]?.history).toHaveLength(3)
    expect(mock.activeRuns).toBe(0)
  })

  it('renders every scenario of the kit without an exception', async () => {
    const mock = createMockServer({ delayScale: 0 })
    for (const scenario of ['plain', 'markdown', 'reasoning', 'tools', 'legacy', 'malformed', 'unknown-events', 'error-refusal', 'http-500', 'drop']) {
      const chat = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: mock.fetch }) })
      controllers.push(chat)
      await chat.send(`[scenario:${scenario}]`)
      expect(chat.busy).toBe(false)
      expect(['ready', 'error']).toContain(chat.store.getState().status)
    }
    expect(mock.activeRuns).toBe(0)
  })
})

describe('stop', () => {
  it('goes `stopping` at once, posts {sessionKey, runId}, and finishes `aborted` on the server’s confirmation', async () => {
    const { server, chat, state } = setup({ stopGraceMs: 5_000 })
    const sent = chat.send('hi')
    const stream = await server.nextStream()
    stream.frame('lifecycle', { phase: 'start', runId: 'r1' })
    stream.frame('text-delta', { text: 'Partial' })
    await until(() => state().runId === 'r1' && liveText(state()) === 'Partial')
    const stopped = chat.stop()
    expect(state().status).toBe('stopping')
    await until(() => stopRequests(server).length === 1)
    expect(stopRequests(server)[0]?.body).toEqual({ sessionKey: state().sessionKey, runId: 'r1' })
    expect(state().status).toBe('stopping')
    stream.frame('lifecycle', { phase: 'end', runId: 'r1' })
    stream.frame('lifecycle', { phase: 'aborted', runId: 'r1' })
    stream.end()
    await stopped
    await sent
    expect(state().status).toBe('ready')
    expect(lastMessage(state())).toMatchObject({ role: 'assistant', finish: 'aborted', parts: [{ type: 'text', text: 'Partial' }] })
    expect(state().error).toBeUndefined()
  })

  it('closes locally after stopGraceMs when the server never confirms, and aborts the fetch', async () => {
    const { server, chat, state } = setup({ stopGraceMs: 60 })
    server.onStop = () => ({ ok: true, aborted: false, runIds: [] })
    const sent = chat.send('hi')
    const stream = await server.nextStream()
    stream.frame('lifecycle', { phase: 'start', runId: 'r1' })
    stream.frame('text-delta', { text: 'Kept' })
    await until(() => state().status === 'streaming' && state().live?.parts.length === 1)
    const t0 = Date.now()
    await chat.stop()
    const took = Date.now() - t0
    await sent
    expect(took).toBeGreaterThanOrEqual(50)
    expect(state().status).toBe('ready')
    expect(lastMessage(state())).toMatchObject({ finish: 'aborted', parts: [{ type: 'text', text: 'Kept' }] })
    expect(stream.cancelled).toBe(true)
    // frames the server sends late change nothing
    const before = state()
    stream.frame('text-delta', { text: 'late' })
    await tick(5)
    expect(state()).toBe(before)
  })

  it('before the first byte: finishes `aborted` at once, aborts the request, still tells the server', async () => {
    const { server, chat, state } = setup()
    server.holdHeaders = true
    const sent = chat.send('hi')
    await until(() => chatRequests(server).length === 1)
    await chat.stop()
    await sent
    expect(state().status).toBe('ready')
    expect(lastMessage(state())).toMatchObject({ role: 'assistant', finish: 'aborted' })
    expect(server.streams[0]?.cancelled).toBe(true)
    await until(() => stopRequests(server).length >= 1)
    expect(stopRequests(server)[0]?.body).toEqual({ sessionKey: state().sessionKey })
  })

  it('a stop that found nothing running (no runId yet) is tried once more', async () => {
    const { server, chat } = setup({ stopGraceMs: 1_000 })
    server.onStop = () => ({ ok: true, aborted: false, runIds: [] })
    const sent = chat.send('hi')
    const stream = await server.nextStream()
    stream.write(': connected\n\n')
    await tick(10)
    void chat.stop()
    await until(() => stopRequests(server).length === 2, 2_000)
    stream.frame('lifecycle', { phase: 'aborted' })
    await sent
  })

  it('after `done` is a no-op; twice in a row sends one stop', async () => {
    const { server, chat, state } = setup({ stopGraceMs: 5_000 })
    let sent = chat.send('one')
    let stream = await server.nextStream()
    stream.frame('done', { text: 'Done.' })
    stream.end()
    await sent
    await chat.stop()
    expect(stopRequests(server)).toHaveLength(0)
    expect(lastMessage(state())?.finish).toBe('done')

    sent = chat.send('two')
    stream = await server.nextStream()
    stream.frame('lifecycle', { phase: 'start', runId: 'r2' })
    await until(() => state().runId === 'r2')
    const a = chat.stop()
    const b = chat.stop()
    await until(() => stopRequests(server).length === 1)
    stream.frame('lifecycle', { phase: 'aborted', runId: 'r2' })
    stream.end()
    await Promise.all([a, b, sent])
    await tick(5)
    expect(stopRequests(server)).toHaveLength(1)
    expect(lastMessage(state())?.finish).toBe('aborted')
  })

  it('a stop request that fails does not hang the turn', async () => {
    const { server, chat, state } = setup({ stopGraceMs: 40 })
    server.onStop = () => {
      throw new TypeError('offline')
    }
    const sent = chat.send('hi')
    const stream = await server.nextStream()
    stream.frame('text-delta', { text: 'x' })
    await until(() => state().status === 'streaming')
    await chat.stop()
    await sent
    expect(lastMessage(state())?.finish).toBe('aborted')
  })

  it('the real mock confirms a stop mid-answer and the partial text is kept', async () => {
    const mock = createMockServer({ delayScale: 0.2 })
    const chat = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: mock.fetch }), stopGraceMs: 2_000 })
    controllers.push(chat)
    const sent = chat.send('[scenario:long]')
    await until(() => liveText(chat.store.getState()).length > 20)
    const t0 = Date.now()
    await chat.stop()
    await sent
    expect(Date.now() - t0).toBeLessThan(1_500)
    const m = lastMessage(chat.store.getState())
    expect(m?.finish).toBe('aborted')
    expect(messageText(m as ChatMessage).length).toBeGreaterThan(20)
    expect(mock.activeRuns).toBe(0)
  })
})

describe('stalls and broken streams', () => {
  it('no byte for stallTimeoutMs: closed, `interrupted`, error `stalled`, text kept; retry resends', async () => {
    const { server, chat, state } = setup({ stallTimeoutMs: 80 })
    const sent = chat.send('question')
    const stream = await server.nextStream()
    stream.frame('text-delta', { text: 'Half an ans' })
    await sent
    expect(state().status).toBe('error')
    expect(state().error).toMatchObject({ kind: 'stalled' })
    expect(state().error?.retryable).toBe(true)
    expect(lastMessage(state())).toMatchObject({ finish: 'interrupted', parts: [{ text: 'Half an ans' }], error: { kind: 'stalled' } })
    expect(stream.cancelled).toBe(true)
    expect(stopRequests(server)).toHaveLength(1)

    const retried = chat.retry()
    const again = await server.nextStream()
    expect(again.body.message).toBe('question')
    again.frame('done', { text: 'Full answer' })
    again.end()
    await retried
    const s = state()
    expect(s.status).toBe('ready')
    expect(s.error).toBeUndefined()
    expect(s.messages.map((m) => [m.role, m.finish, messageText(m)])).toEqual([
      ['user', undefined, 'question'],
      ['assistant', 'done', 'Full answer'],
    ])
  })

  it('keep-alive comments count as activity', async () => {
    const { server, chat, state } = setup({ stallTimeoutMs: 80 })
    const sent = chat.send('q')
    const stream = await server.nextStream()
    for (let i = 0; i < 6; i++) {
      stream.write(': keep-alive\n\n')
      await tick(30)
    }
    stream.frame('done', { text: 'ok' })
    stream.end()
    await sent
    expect(state().error).toBeUndefined()
    expect(lastMessage(state())?.finish).toBe('done')
  })

  it('a stream that ends without done or [DONE] finishes `interrupted` with a network error', async () => {
    const { server, chat, state } = setup()
    const sent = chat.send('q')
    const stream = await server.nextStream()
    stream.frame('text-delta', { text: 'abc' })
    stream.close()
    await sent
    expect(lastMessage(state())).toMatchObject({ finish: 'interrupted', parts: [{ text: 'abc' }] })
    expect(state().error?.kind).toBe('network')
  })

  it('a dropped connection keeps the partial text', async () => {
    const { server, chat, state } = setup()
    const sent = chat.send('q')
    const stream = await server.nextStream()
    stream.frame('text-delta', { text: 'abc' })
    await until(() => state().live?.parts.length === 1)
    stream.drop(new TypeError('connection reset'))
    await sent
    expect(lastMessage(state())).toMatchObject({ finish: 'interrupted', parts: [{ text: 'abc' }] })
    expect(state().error).toMatchObject({ kind: 'network', message: 'connection reset' })
  })

  it('[DONE] alone completes the turn', async () => {
    const { server, chat, state } = setup()
    const sent = chat.send('q')
    const stream = await server.nextStream()
    stream.frame('text-delta', { text: 'all of it' })
    stream.end()
    await sent
    expect(lastMessage(state())).toMatchObject({ finish: 'done', parts: [{ text: 'all of it' }] })
    expect(state().error).toBeUndefined()
  })
})

describe('HTTP and network errors keep the user’s message', () => {
  it.each([
    ['JSON {error}', () => new Response(JSON.stringify({ error: 'Gateway is not connected' }), { status: 500, headers: { 'content-type': 'application/json' } }), { kind: 'http', status: 500, message: 'Gateway is not connected' }],
    ['400 JSON', () => new Response(JSON.stringify({ error: 'Message is required' }), { status: 400 }), { kind: 'http', status: 400, message: 'Message is required' }],
    ['an HTML proxy page', () => new Response('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', { status: 502, headers: { 'content-type': 'text/html' } }), { kind: 'http', status: 502, message: '502 Bad Gateway' }],
    ['a 200 that is not SSE', () => new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } }), { kind: 'protocol', status: 200 }],
    ['a network failure', () => Promise.reject(new TypeError('Failed to fetch')), { kind: 'network' }],
  ] as const)('%s', async (_name, respond, expected) => {
    const { server, chat, state } = setup()
    const errors: ChatError[] = []
    chat.setOptions({ agentId: 'main', transport: createOpenClawClient({ fetch: server.fetch }), onError: (e) => errors.push(e) })
    server.failNext = respond
    await chat.send('keep me')
    const s = state()
    expect(s.status).toBe('error')
    expect(s.error).toBeInstanceOf(ChatError)
    expect(s.error).toMatchObject(expected)
    expect(errors).toEqual([s.error])
    expect(s.messages.map((m) => [m.role, messageText(m)])).toEqual([['user', 'keep me']])

    const retried = chat.retry()
    const stream = await server.nextStream()
    expect(stream.body.message).toBe('keep me')
    stream.frame('done', { text: 'Answer' })
    stream.end()
    await retried
    expect(state().messages.map((m) => [m.role, messageText(m)])).toEqual([['user', 'keep me'], ['assistant', 'Answer']])
    expect(state().status).toBe('ready')
  })
})

describe('session key', () => {
  it('a wrapped X-Session-Key is normalized and sent bare on the next turn', async () => {
    const { server, chat, state } = setup({ sessionKey: 'agent:main:openai-user:browseros:main:given' })
    expect(state().sessionKey).toBe('given')
    server.sessionKeyHeader = 'agent:main:openai-user:browseros:main:agent:main:openai-user:browseros:main:server-key'
    let sent = chat.send('one')
    let stream = await server.nextStream()
    expect(stream.body.sessionKey).toBe('given')
    stream.frame('done', { text: 'a' })
    stream.end()
    await sent
    expect(state().sessionKey).toBe('server-key')
    sent = chat.send('two')
    stream = await server.nextStream()
    expect(stream.body.sessionKey).toBe('server-key')
    stream.end()
    await sent
  })
})

describe('queue', () => {
  it('messages sent while busy wait, can be edited or removed, and go out in order', async () => {
    const { server, chat, state } = setup()
    const first = chat.send('first')
    const s1 = await server.nextStream()
    await chat.send('second')
    await chat.send('third')
    await chat.send('fourth')
    expect(state().queue.map((q) => q.text)).toEqual(['second', 'third', 'fourth'])
    const [q2, q3] = state().queue
    chat.updateQueued(q2?.id as string, 'second, edited')
    chat.removeQueued(q3?.id as string)
    s1.frame('done', { text: 'A1' })
    s1.end()
    await first
    const s2 = await server.nextStream()
    expect(s2.body.message).toBe('second, edited')
    expect(state().queue.map((q) => q.text)).toEqual(['fourth'])
    s2.end()
    const s4 = await server.nextStream()
    expect(s4.body.message).toBe('fourth')
    s4.end()
    await until(() => state().status === 'ready' && !chat.busy)
    expect(state().messages.filter((m) => m.role === 'user').map(messageText)).toEqual(['first', 'second, edited', 'fourth'])
  })

  it('a queued message waits after an error instead of being sent into a failure', async () => {
    const { server, chat, state } = setup()
    const first = chat.send('first')
    const s1 = await server.nextStream()
    await chat.send('queued')
    s1.frame('error', { message: 'boom', errorKind: 'unknown' })
    await first
    await tick(5)
    expect(state().queue.map((q) => q.text)).toEqual(['queued'])
    expect(chatRequests(server)).toHaveLength(1)
  })

  it('a message sent from onFinish goes first; the queued one waits for it (never two runs at once)', async () => {
    let sendFromCallback: (() => void) | undefined
    const { server, chat, state } = setup({
      onFinish: () => {
        const send = sendFromCallback
        sendFromCallback = undefined
        send?.()
      },
    })
    sendFromCallback = () => void chat.send('from callback')
    await finishFirstWithQueued(server, chat)
    const s2 = await server.nextStream()
    expect(s2.body.message).toBe('from callback')
    await tick(5)
    expect(chatRequests(server)).toHaveLength(2)
    expect(state().queue.map((q) => q.text)).toEqual(['queued'])
    s2.frame('done', { text: 'A2' })
    s2.end()
    const s3 = await server.nextStream()
    expect(s3.body.message).toBe('queued')
    s3.end()
    await until(() => state().status === 'ready' && !chat.busy)
    expect(state().messages.filter((m) => m.role === 'user').map(messageText)).toEqual(['first', 'from callback', 'queued'])
  })

  it('empty messages are not sent', async () => {
    const { server, chat } = setup()
    await chat.send('   ')
    await chat.send({ text: '' })
    expect(server.requests).toHaveLength(0)
  })
})

describe('usage', () => {
  it('per message and totals from the stream; refreshUsage fills what the stream lacked', async () => {
    const refreshUsage = vi.fn(async () => ({ tokensIn: 9, tokensOut: 3, costUsd: 0.5 }))
    const { server, chat, state } = setup({ refreshUsage })
    let sent = chat.send('a')
    let stream = await server.nextStream()
    stream.frame('usage', { tokensIn: 10, tokensOut: 20, costUsd: 0.25 })
    stream.frame('done', { text: 'x' })
    await sent
    expect(refreshUsage).not.toHaveBeenCalled()
    expect(state().usage).toEqual({ tokensIn: 10, tokensOut: 20, costUsd: 0.25 })
    sent = chat.send('b')
    stream = await server.nextStream()
    stream.frame('done', { text: 'y' })
    await sent
    await until(() => refreshUsage.mock.calls.length === 1 && state().usage.tokensIn === 19)
    expect(lastMessage(state())?.usage).toEqual({ tokensIn: 9, tokensOut: 3, costUsd: 0.5 })
    expect(state().usage).toEqual({ tokensIn: 19, tokensOut: 23, costUsd: 0.75 })
  })
})

describe('callbacks', () => {
  it('onEvent in stream order, onUnknownEvent, onDiagnostic for malformed frames, onFinish once', async () => {
    const events: ChatEvent[] = []
    const unknown: string[] = []
    const diagnostics: string[] = []
    const finishes: string[] = []
    const { server, chat, state } = setup({
      onEvent: (e) => events.push(e),
      onUnknownEvent: (u) => unknown.push(u.type),
      onDiagnostic: (d) => diagnostics.push(d.message),
      onFinish: (f) => finishes.push(`${f.finish}:${f.message === undefined ? '' : messageText(f.message)}`),
    })
    const sent = chat.send('q')
    const stream = await server.nextStream()
    stream.frame('lifecycle', { phase: 'start', runId: 'r' })
    stream.frame('heartbeat', { n: 1 })
    stream.write('data: {not json\n\n')
    stream.frame('text-delta', { text: 'A' })
    stream.frame('text-delta', { text: 5 })
    stream.frame('thinking', { text: 'B' })
    stream.frame('done', { text: 'A' })
    stream.end()
    await sent
    expect(events.map((e) => e.type)).toEqual(['lifecycle', 'text-delta', 'reasoning-delta', 'done'])
    expect(unknown).toEqual(['heartbeat'])
    expect(diagnostics).toHaveLength(2)
    expect(diagnostics[0]).toMatch(/not valid JSON/)
    expect(finishes).toEqual(['done:A'])
    expect(lastMessage(state())?.parts.map((p) => p.type)).toEqual(['text', 'reasoning'])
  })
})

describe('attachments', () => {
  it('a File is sent as a data-URL image attachment and shown on the user message', async () => {
    const { server, chat, state } = setup()
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'pic.png', { type: 'image/png' })
    const sent = chat.send({ text: 'look', attachments: [file] })
    const stream = await server.nextStream()
    expect(stream.body.attachments).toEqual([{ kind: 'image', mediaType: 'image/png', dataUrl: 'data:image/png;base64,iVBORw==', name: 'pic.png' }])
    stream.end()
    await sent
    expect(state().messages[0]?.parts.map((p) => p.type)).toEqual(['attachment', 'text'])
  })

  it('an attachment over the limit is refused before anything is sent', async () => {
    const { server, chat } = setup()
    const big = new File([new Uint8Array(6 * 1024 * 1024)], 'big.png', { type: 'image/png' })
    await expect(chat.send({ text: 'x', attachments: [big] })).rejects.toBeInstanceOf(AttachmentError)
    await expect(chat.send({ text: 'x', attachments: [new File(['x'], 'a.exe', { type: 'application/x-msdownload' })] })).rejects.toMatchObject({ code: 'unsupported-type' })
    expect(server.requests).toHaveLength(0)
  })
})

describe('dispose and reset', () => {
  it('dispose mid-stream aborts the fetch, tells the server, and no state update follows', async () => {
    const { server, chat, state } = setup()
    const listener = vi.fn()
    const sent = chat.send('q')
    const stream = await server.nextStream()
    stream.frame('lifecycle', { phase: 'start', runId: 'r9' })
    await until(() => state().runId === 'r9')
    chat.store.subscribe(listener)
    chat.dispose()
    await sent
    expect(stream.cancelled).toBe(true)
    await until(() => stopRequests(server).length === 1)
    expect(stopRequests(server)[0]?.body).toMatchObject({ runId: 'r9' })
    stream.frame('text-delta', { text: 'late' })
    await tick(5)
    expect(listener).not.toHaveBeenCalled()
  })

  it('reset during a run stops it, empties the queue and starts a new session on the next send', async () => {
    const { server, chat, state } = setup()
    const sent = chat.send('q')
    const stream = await server.nextStream()
    await chat.send('queued')
    const oldKey = state().sessionKey
    chat.reset()
    await sent
    expect(stream.cancelled).toBe(true)
    expect(state().messages).toEqual([])
    expect(state().queue).toEqual([])
    expect(state().status).toBe('ready')
    await tick(5)
    expect(chatRequests(server)).toHaveLength(1)
    const next = chat.send('fresh')
    const s2 = await server.nextStream()
    expect(s2.body.sessionKey).not.toBe(oldKey)
    s2.end()
    await next
  })
})

describe('review fixes', () => {
  it('a throwing onFinish or onError is reported on the console; the engine goes on and the queue drains', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    try {
      const { server, chat, state } = setup({
        onFinish: () => {
          throw new Error('bug in onFinish')
        },
        onError: () => {
          throw new Error('bug in onError')
        },
      })
      await finishFirstWithQueued(server, chat)
      const s2 = await server.nextStream()
      expect(s2.body.message).toBe('queued')
      s2.frame('error', { message: 'boom' })
      s2.end()
      await until(() => state().status === 'error' && !chat.busy)
      await tick(5)
      expect(unhandled).not.toHaveBeenCalled()
      expect(consoleError.mock.calls.map((call) => (call[1] as Error).message)).toEqual(['bug in onFinish', 'bug in onFinish', 'bug in onError'])
    } finally {
      process.off('unhandledRejection', unhandled)
      consoleError.mockRestore()
    }
  })

  it('reset() inside onFinish: the queued message is gone, not sent', async () => {
    let onFinish: (() => void) | undefined
    const { server, chat, state } = setup({ onFinish: () => onFinish?.() })
    onFinish = () => chat.reset()
    await finishFirstWithQueued(server, chat)
    await tick(5)
    expect(chatRequests(server)).toHaveLength(1)
    expect(state().queue).toEqual([])
    expect(chat.busy).toBe(false)
  })

  it('stop() from a store listener while a run ends sends no stop request', async () => {
    const { server, chat, state } = setup()
    const sent = chat.send('q')
    const stream = await server.nextStream()
    chat.store.subscribe((s) => {
      if (s.messages.some((m) => m.finish === 'done')) void chat.stop()
    })
    stream.frame('text-delta', { text: 'answer' })
    stream.end() // `[DONE]` without a terminal event: the controller pushes `done` and ends the run in one go
    await sent
    await tick(5)
    expect(lastMessage(state())?.finish).toBe('done')
    expect(stopRequests(server)).toHaveLength(0)
  })

  it('dispose mid-run, then activate (StrictMode, <Activity>): the cut turn ends as interrupted, nothing looks busy', async () => {
    const { server, chat, state } = setup()
    const sent = chat.send('q')
    const stream = await server.nextStream()
    stream.frame('text-delta', { text: 'partial' })
    await until(() => liveText(state()) === 'partial')
    chat.dispose()
    await sent
    expect(state().status).toBe('streaming')
    chat.activate()
    expect(state().status).toBe('ready')
    expect(state().live).toBeUndefined()
    expect(lastMessage(state())).toMatchObject({ role: 'assistant', finish: 'interrupted', parts: [{ type: 'text', text: 'partial' }] })
    chat.activate()
    expect(state().messages).toHaveLength(2)
  })
})

describe('coalescing', () => {
  it('a burst of frames in one chunk reaches the store as one update', async () => {
    const { server, chat, state } = setup()
    const updates = vi.fn()
    const sent = chat.send('q')
    const stream = await server.nextStream()
    stream.frame('text-delta', { text: 'x' })
    await until(() => state().live?.parts.length === 1)
    chat.store.subscribe(updates)
    stream.write(Array.from({ length: 200 }, (_, i) => `data: ${JSON.stringify({ type: 'text-delta', data: { text: String(i % 10) } })}\n\n`).join(''))
    await until(() => liveText(state()).length === 201)
    expect(updates).toHaveBeenCalledTimes(1)
    stream.end()
    await sent
  })
})

describe('clock', () => {
  it('the controller’s `now` times parts too (it reaches the store)', async () => {
    const { server, chat, state } = setup({ now: () => 5_000 })
    const sent = chat.send('q')
    const stream = await server.nextStream()
    stream.frame('reasoning-delta', { text: 'hmm' })
    stream.frame('done', { text: 'a' })
    await sent
    expect(lastMessage(state())?.parts[0]).toMatchObject({ type: 'reasoning', startedAt: 5_000, durationMs: 0 })
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { createOpenClawClient, errorFromResponse } from '../../src/client'
import type { OpenClawClientOptions } from '../../src/client'
import { ChatError, isChatError } from '../../src/protocol'
import type { ChatTurnRequest, FrameResult } from '../../src/protocol'

interface Call {
  url: string
  init: RequestInit
  headers: Headers
  method: string
  body: unknown
}

type Responder = (url: string, init: RequestInit) => Response | Promise<Response>

/** A fetch that records every call and answers with `respond` (or a fixed Response factory). */
function fakeFetch(respond: Responder) {
  const calls: Call[] = []
  const fetchFn = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const rawBody = init.body
    calls.push({
      url,
      init,
      headers: new Headers(init.headers),
      method: init.method ?? 'GET',
      body: typeof rawBody === 'string' ? (JSON.parse(rawBody) as unknown) : rawBody,
    })
    return respond(url, init)
  }
  return { fetch: fetchFn as typeof fetch, calls }
}

const SSE_HEADERS = { 'content-type': 'text/event-stream' }
const SSE_BODY = 'data: {"type":"text-delta","data":{"text":"Hi"}}\n\ndata: {"type":"done","data":{"text":"Hi"}}\n\ndata: [DONE]\n\n'

const sseResponse = (body: string | ReadableStream<Uint8Array> = SSE_BODY, headers: Record<string, string> = {}): Response =>
  new Response(body, { status: 200, headers: { ...SSE_HEADERS, ...headers } })

const jsonResponse = (value: unknown, status = 200, statusText = ''): Response =>
  new Response(JSON.stringify(value), { status, statusText, headers: { 'content-type': 'application/json' } })

function chatRequest(overrides: Partial<ChatTurnRequest> = {}): ChatTurnRequest {
  return {
    agentId: 'main',
    message: 'Summarize this page',
    sessionKey: 'sk-1',
    attachments: [],
    history: [],
    signal: new AbortController().signal,
    onActivity: () => undefined,
    ...overrides,
  }
}

function client(respond: Responder, options: Omit<OpenClawClientOptions, 'fetch'> = { baseUrl: 'http://claw.test' }) {
  const fake = fakeFetch(respond)
  return { client: createOpenClawClient({ ...options, fetch: fake.fetch }), calls: fake.calls }
}

async function drain(frames: AsyncIterable<FrameResult[]>): Promise<FrameResult[]> {
  const out: FrameResult[] = []
  for await (const batch of frames) out.push(...batch)
  return out
}

/** Awaits a promise expected to reject and returns the rejection. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}

async function chatError(promise: Promise<unknown>): Promise<ChatError> {
  const error = await rejection(promise)
  expect(error).toBeInstanceOf(ChatError)
  return error as ChatError
}

function onlyCall(calls: Call[]): Call {
  expect(calls).toHaveLength(1)
  const call = calls[0]
  if (call === undefined) throw new Error('no call')
  return call
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('chat: request', () => {
  it('sets no init key to undefined: a fetch wrapper that spreads init over its own defaults (a timeout signal) keeps them', async () => {
    const inits: RequestInit[] = []
    const c = createOpenClawClient({
      fetch: async (_url, init = {}) => {
        inits.push(init)
        return new Response('{}', { headers: { 'content-type': 'application/json' } })
      },
    })
    await c.status()
    await c.agents()
    await c.stop({ agentId: 'main', sessionKey: 's' })
    expect(inits.map((init) => Object.keys(init).sort())).toEqual([['headers'], ['headers'], ['body', 'headers', 'method']])
    const signal = new AbortController().signal
    await c.status(signal)
    expect(inits[3]?.signal).toBe(signal)
  })

  it('POSTs the chat route with the JSON body and SSE headers', async () => {
    const { client: c, calls } = client(() => sseResponse())
    await c.chat(chatRequest())
    const call = onlyCall(calls)
    expect(call.url).toBe('http://claw.test/claw/agents/main/chat')
    expect(call.method).toBe('POST')
    expect(call.body).toStrictEqual({ message: 'Summarize this page', sessionKey: 'sk-1' })
    expect(call.headers.get('accept')).toBe('text/event-stream')
    expect(call.headers.get('content-type')).toBe('application/json')
  })

  it('encodes the agent id', async () => {
    const { client: c, calls } = client(() => sseResponse())
    await c.chat(chatRequest({ agentId: 'my agent/1?x#y' }))
    expect(onlyCall(calls).url).toBe('http://claw.test/claw/agents/my%20agent%2F1%3Fx%23y/chat')
  })

  it('sends attachments and history only when non-empty', async () => {
    const { client: c, calls } = client(() => sseResponse())
    const attachments = [
      { kind: 'image' as const, mediaType: 'image/png' as const, dataUrl: 'data:image/png;base64,AAAA', name: 'a.png' },
      { kind: 'file' as const, mediaType: 'text/plain', name: 'n.txt', text: 'note' },
    ]
    const history = [
      { role: 'user' as const, content: 'q' },
      { role: 'assistant' as const, content: 'a' },
    ]
    await c.chat(chatRequest({ attachments }))
    await c.chat(chatRequest({ history }))
    await c.chat(chatRequest({ attachments, history, message: '' }))
    expect(calls.map((call) => call.body)).toStrictEqual([
      { message: 'Summarize this page', sessionKey: 'sk-1', attachments },
      { message: 'Summarize this page', sessionKey: 'sk-1', history },
      { message: '', sessionKey: 'sk-1', attachments, history },
    ])
  })

  it('passes the abort signal to fetch', async () => {
    const { client: c, calls } = client(() => sseResponse())
    const controller = new AbortController()
    await c.chat(chatRequest({ signal: controller.signal }))
    expect(onlyCall(calls).init.signal).toBe(controller.signal)
  })

  it('removes trailing slashes from baseUrl', async () => {
    const { client: c, calls } = client(() => sseResponse(), { baseUrl: 'http://claw.test/prefix///' })
    expect(c.baseUrl).toBe('http://claw.test/prefix')
    await c.chat(chatRequest())
    expect(onlyCall(calls).url).toBe('http://claw.test/prefix/claw/agents/main/chat')
  })

  it('defaults to the same origin', async () => {
    const { client: c, calls } = client(() => sseResponse(), {})
    expect(c.baseUrl).toBe('')
    await c.chat(chatRequest())
    expect(onlyCall(calls).url).toBe('/claw/agents/main/chat')
  })

  it('sends user headers from an object', async () => {
    const { client: c, calls } = client(() => sseResponse(), { baseUrl: 'http://claw.test', headers: { authorization: 'Bearer t', 'x-extra': '1' } })
    await c.chat(chatRequest())
    const headers = onlyCall(calls).headers
    expect(headers.get('authorization')).toBe('Bearer t')
    expect(headers.get('x-extra')).toBe('1')
    expect(headers.get('accept')).toBe('text/event-stream')
    expect(headers.get('content-type')).toBe('application/json')
  })

  it('sends user headers from an async function, called per request', async () => {
    let n = 0
    const headers = vi.fn(async () => {
      n++
      return { authorization: `Bearer ${n}` }
    })
    const { client: c, calls } = client(() => sseResponse(), { baseUrl: 'http://claw.test', headers })
    await c.chat(chatRequest())
    await c.chat(chatRequest())
    expect(headers).toHaveBeenCalledTimes(2)
    expect(calls.map((call) => call.headers.get('authorization'))).toStrictEqual(['Bearer 1', 'Bearer 2'])
  })

  it('sends user headers from a sync function and a Headers/array init', async () => {
    const fromFn = client(() => sseResponse(), { baseUrl: 'http://claw.test', headers: () => new Headers({ 'x-a': 'fn' }) })
    await fromFn.client.chat(chatRequest())
    expect(onlyCall(fromFn.calls).headers.get('x-a')).toBe('fn')
    const fromArray = client(() => sseResponse(), { baseUrl: 'http://claw.test', headers: [['x-b', 'arr']] })
    await fromArray.client.chat(chatRequest())
    expect(onlyCall(fromArray.calls).headers.get('x-b')).toBe('arr')
  })

  it('user headers may override the defaults (case-insensitively)', async () => {
    const { client: c, calls } = client(() => sseResponse(), {
      baseUrl: 'http://claw.test',
      headers: { Accept: 'text/event-stream, */*', 'Content-Type': 'application/json; charset=utf-8' },
    })
    await c.chat(chatRequest())
    const headers = onlyCall(calls).headers
    expect(headers.get('accept')).toBe('text/event-stream, */*')
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8')
  })

  it('looks up globalThis.fetch at call time when none is given', async () => {
    const c = createOpenClawClient({ baseUrl: 'http://claw.test' })
    const fake = fakeFetch(() => sseResponse())
    vi.stubGlobal('fetch', fake.fetch)
    await c.chat(chatRequest())
    expect(onlyCall(fake.calls).url).toBe('http://claw.test/claw/agents/main/chat')
  })
})

describe('chat: response', () => {
  it('returns the X-Session-Key header as sessionKey', async () => {
    const { client: c } = client(() => sseResponse(SSE_BODY, { 'X-Session-Key': 'agent:main:openai-user:browseros:main:abc' }))
    const response = await c.chat(chatRequest())
    expect(response.sessionKey).toBe('agent:main:openai-user:browseros:main:abc')
  })

  it('has no sessionKey when the header is absent', async () => {
    const { client: c } = client(() => sseResponse())
    const response = await c.chat(chatRequest())
    expect('sessionKey' in response).toBe(false)
  })

  it('streams the decoded frames', async () => {
    const { client: c } = client(() => sseResponse())
    const response = await c.chat(chatRequest())
    expect(await drain(response.frames)).toStrictEqual([
      { ok: true, event: { type: 'text-delta', text: 'Hi' } },
      { ok: true, event: { type: 'done', text: 'Hi' } },
      { ok: true, end: true },
    ])
  })

  it('accepts an event-stream content type with parameters, in any case', async () => {
    const { client: c } = client(() => new Response(SSE_BODY, { headers: { 'content-type': 'Text/Event-Stream; charset=utf-8' } }))
    const response = await c.chat(chatRequest())
    expect(await drain(response.frames)).toHaveLength(3)
  })

  it('accepts a response without a content type', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(SSE_BODY))
        controller.close()
      },
    })
    const { client: c } = client(() => new Response(body, { status: 200 }))
    const response = await c.chat(chatRequest())
    expect(await drain(response.frames)).toHaveLength(3)
  })

  it('calls onActivity on the response and on every chunk', async () => {
    const onActivity = vi.fn()
    const encoder = new TextEncoder()
    const chunks = [': keepalive\n\n', 'data: {"type":"text-delta","data":{"text":"a"}}\n\n', 'data: [DONE]\n\n']
    let i = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[i++]
        if (chunk === undefined) controller.close()
        else controller.enqueue(encoder.encode(chunk))
      },
    })
    const { client: c } = client(() => sseResponse(body))
    const response = await c.chat(chatRequest({ onActivity }))
    expect(onActivity).toHaveBeenCalledTimes(1)
    await drain(response.frames)
    expect(onActivity).toHaveBeenCalledTimes(1 + chunks.length)
  })

  it('a 200 event stream without a body is a protocol error', async () => {
    const { client: c } = client(() => new Response(null, { status: 200, headers: SSE_HEADERS }))
    const error = await chatError(c.chat(chatRequest()))
    expect(error.kind).toBe('protocol')
    expect(error.status).toBe(200)
    expect(error.message).toBe('The server sent no stream body')
  })
})

describe('chat: errors', () => {
  it('non-2xx with {error: "text"} is an http error with that message', async () => {
    const { client: c } = client(() => jsonResponse({ error: 'Message is required' }, 400, 'Bad Request'))
    const error = await chatError(c.chat(chatRequest()))
    expect(error.kind).toBe('http')
    expect(error.status).toBe(400)
    expect(error.message).toBe('Message is required')
    expect(error.code).toBeUndefined()
    expect(error.name).toBe('ChatError')
    expect(isChatError(error)).toBe(true)
  })

  it('non-2xx with {error: {message, code}} keeps both', async () => {
    const { client: c } = client(() =>
      jsonResponse({ error: { name: 'GatewayError', message: 'Gateway is down', code: 'ECONNREFUSED', statusCode: 500 } }, 500),
    )
    const error = await chatError(c.chat(chatRequest()))
    expect(error.kind).toBe('http')
    expect(error.status).toBe(500)
    expect(error.message).toBe('Gateway is down')
    expect(error.code).toBe('ECONNREFUSED')
  })

  it('a numeric error code becomes a string; a name stands in for a missing message', async () => {
    const { client: c } = client(() => jsonResponse({ error: { name: 'TypeError', code: 42 } }, 500))
    const error = await chatError(c.chat(chatRequest()))
    expect(error.message).toBe('TypeError')
    expect(error.code).toBe('42')
  })

  it('non-2xx with {message}', async () => {
    const { client: c } = client(() => jsonResponse({ message: 'Agent busy' }, 503))
    const error = await chatError(c.chat(chatRequest()))
    expect(error).toMatchObject({ kind: 'http', status: 503, message: 'Agent busy' })
  })

  it('non-2xx with a JSON body that says nothing falls back to the status line', async () => {
    const { client: c } = client(() => jsonResponse({ ok: false }, 403, 'Forbidden'))
    const error = await chatError(c.chat(chatRequest()))
    expect(error).toMatchObject({ kind: 'http', status: 403, message: 'The server answered 403 Forbidden' })
  })

  it('non-2xx with an empty body falls back to the status line (without status text too)', async () => {
    const a = client(() => new Response('', { status: 504, statusText: 'Gateway Timeout' }))
    expect((await chatError(a.client.chat(chatRequest()))).message).toBe('The server answered 504 Gateway Timeout')
    const b = client(() => new Response(null, { status: 502 }))
    expect((await chatError(b.client.chat(chatRequest()))).message).toBe('The server answered 502')
  })

  it('a 413 on the chat route says the message and its attachments are too large, with what the body said', async () => {
    const withBody = client(() => jsonResponse({ error: { message: 'Payload Too Large', code: 'body_limit' } }, 413))
    expect(await chatError(withBody.client.chat(chatRequest()))).toMatchObject({
      kind: 'http',
      status: 413,
      code: 'body_limit',
      message: 'The message and its attachments are too large for the server (Payload Too Large)',
      retryable: false,
    })
    const empty = client(() => new Response('', { status: 413, statusText: 'Payload Too Large' }))
    expect((await chatError(empty.client.chat(chatRequest()))).message).toBe('The message and its attachments are too large for the server (HTTP 413)')
    // other routes keep the plain summary
    const stop = client(() => jsonResponse({ error: 'Payload Too Large' }, 413))
    expect((await chatError(stop.client.stop({ agentId: 'main', sessionKey: 's' }))).message).toBe('Payload Too Large')
  })

  it('an HTML error page gives the message from its <title>', async () => {
    const html =
      '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>\n  502 Bad   Gateway\n</title><style>body{color:red}</style></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>'
    const { client: c } = client(() => new Response(html, { status: 502, headers: { 'content-type': 'text/html' } }))
    const error = await chatError(c.chat(chatRequest()))
    expect(error).toMatchObject({ kind: 'http', status: 502, message: '502 Bad Gateway' })
  })

  it('an HTML page without a title gives its text without tags, scripts or styles', async () => {
    const html = '<html><head><script>var x = "<b>no</b>"</script><style>p{}</style></head><body><p>Service</p>\n<p>unavailable</p></body></html>'
    const { client: c } = client(() => new Response(html, { status: 503, headers: { 'content-type': 'text/html' } }))
    expect((await chatError(c.chat(chatRequest()))).message).toBe('Service unavailable')
  })

  it('a plain text body is the message', async () => {
    const { client: c } = client(() => new Response('upstream connect error or disconnect', { status: 503, headers: { 'content-type': 'text/plain' } }))
    const error = await chatError(c.chat(chatRequest()))
    expect(error).toMatchObject({ kind: 'http', status: 503, message: 'upstream connect error or disconnect' })
  })

  it('a long text body is cut to 300 characters', async () => {
    const { client: c } = client(() => new Response('x'.repeat(1000), { status: 500 }))
    const error = await chatError(c.chat(chatRequest()))
    expect(error.message).toBe(`${'x'.repeat(300)}…`)
  })

  it('non-2xx is an http error even with an event-stream content type', async () => {
    const { client: c } = client(() => new Response('data: [DONE]\n\n', { status: 500, headers: SSE_HEADERS }))
    const error = await chatError(c.chat(chatRequest()))
    expect(error.kind).toBe('http')
    expect(error.status).toBe(500)
  })

  it('calls onActivity for an error response too (the server answered)', async () => {
    const onActivity = vi.fn()
    const { client: c } = client(() => jsonResponse({ error: 'x' }, 500))
    await chatError(c.chat(chatRequest({ onActivity })))
    expect(onActivity).toHaveBeenCalledTimes(1)
  })

  it('a 200 application/json answer is a protocol error', async () => {
    const { client: c } = client(() => jsonResponse({ ok: true }))
    const error = await chatError(c.chat(chatRequest()))
    expect(error.kind).toBe('protocol')
    expect(error.status).toBe(200)
    expect(error.message).toBe('Expected an event stream but the server sent application/json')
  })

  it('a 200 non-SSE answer with an error body includes its message', async () => {
    const { client: c } = client(
      () => new Response(JSON.stringify({ error: 'Use the stream route' }), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } }),
    )
    const error = await chatError(c.chat(chatRequest()))
    expect(error.kind).toBe('protocol')
    expect(error.message).toBe('Expected an event stream but the server sent application/json: Use the stream route')
  })

  it('a 200 HTML answer (a proxy login page) is a protocol error with its title', async () => {
    const { client: c } = client(() => new Response('<html><title>Sign in</title></html>', { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } }))
    const error = await chatError(c.chat(chatRequest()))
    expect(error).toMatchObject({ kind: 'protocol', status: 200, message: 'Expected an event stream but the server sent text/html: Sign in' })
  })

  it('fetch throwing a TypeError is a network error with the cause', async () => {
    const failure = new TypeError('fetch failed')
    const { client: c } = client(() => {
      throw failure
    })
    const error = await chatError(c.chat(chatRequest()))
    expect(error.kind).toBe('network')
    expect(error.status).toBeUndefined()
    expect(error.message).toBe('Could not reach the server (http://claw.test/claw/agents/main/chat): fetch failed')
    expect(error.cause).toBe(failure)
    expect(error.retryable).toBe(true)
  })

  it('fetch throwing a non-Error is a network error', async () => {
    const { client: c } = client(() => Promise.reject('offline'))
    const error = await chatError(c.chat(chatRequest()))
    expect(error.kind).toBe('network')
    expect(error.message).toBe('Could not reach the server (http://claw.test/claw/agents/main/chat): offline')
  })

  it('an AbortError passes through unchanged', async () => {
    const abort = new DOMException('The operation was aborted.', 'AbortError')
    const { client: c } = client(() => Promise.reject(abort))
    const error = await rejection(c.chat(chatRequest()))
    expect(error).toBe(abort)
    expect(error).not.toBeInstanceOf(ChatError)
  })

  it('a real abort through the signal rejects with an AbortError, not a ChatError', async () => {
    const controller = new AbortController()
    const { client: c } = client(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          const signal = init.signal
          if (signal?.aborted) reject(signal.reason as unknown)
          else signal?.addEventListener('abort', () => reject(signal.reason as unknown))
        }),
    )
    const pending = c.chat(chatRequest({ signal: controller.signal }))
    controller.abort()
    const error = await rejection(pending)
    expect(error).not.toBeInstanceOf(ChatError)
    expect((error as { name?: unknown }).name).toBe('AbortError')
  })

  it('the user header function throwing rejects with that error and does not fetch', async () => {
    const failure = new Error('no token')
    const { client: c, calls } = client(() => sseResponse(), {
      baseUrl: 'http://claw.test',
      headers: () => {
        throw failure
      },
    })
    expect(await rejection(c.chat(chatRequest()))).toBe(failure)
    expect(calls).toHaveLength(0)
  })
})

describe('stop', () => {
  it('POSTs /chat/stop with sessionKey and runId and normalizes the response', async () => {
    const { client: c, calls } = client(() => jsonResponse({ ok: true, aborted: true, runIds: ['r1', 'r2'] }))
    const result = await c.stop({ agentId: 'main', sessionKey: 'sk-1', runId: 'r1' })
    expect(result).toStrictEqual({ ok: true, aborted: true, runIds: ['r1', 'r2'] })
    const call = onlyCall(calls)
    expect(call.url).toBe('http://claw.test/claw/agents/main/chat/stop')
    expect(call.method).toBe('POST')
    expect(call.body).toStrictEqual({ sessionKey: 'sk-1', runId: 'r1' })
    expect(call.headers.get('content-type')).toBe('application/json')
    expect(call.headers.get('accept')).toBe('application/json')
  })

  it('omits runId when not given', async () => {
    const { client: c, calls } = client(() => jsonResponse({ ok: true, aborted: false, runIds: [] }))
    expect(await c.stop({ agentId: 'a b', sessionKey: 'sk' })).toStrictEqual({ ok: true, aborted: false, runIds: [] })
    const call = onlyCall(calls)
    expect(call.url).toBe('http://claw.test/claw/agents/a%20b/chat/stop')
    expect(call.body).toStrictEqual({ sessionKey: 'sk' })
  })

  it('normalizes odd responses', async () => {
    const bodies: unknown[] = [{}, null, [], 'yes', { ok: false, aborted: 'true', runIds: ['a', 1, null, 'b'] }, { ok: 'no', runIds: 'r1' }]
    const results = []
    for (const body of bodies) {
      const { client: c } = client(() => jsonResponse(body))
      results.push(await c.stop({ agentId: 'main', sessionKey: 'sk' }))
    }
    expect(results).toStrictEqual([
      { ok: true, aborted: false, runIds: [] },
      { ok: true, aborted: false, runIds: [] },
      { ok: true, aborted: false, runIds: [] },
      { ok: true, aborted: false, runIds: [] },
      { ok: false, aborted: false, runIds: ['a', 'b'] },
      { ok: true, aborted: false, runIds: [] },
    ])
  })

  it('passes the signal', async () => {
    const { client: c, calls } = client(() => jsonResponse({ ok: true }))
    const controller = new AbortController()
    await c.stop({ agentId: 'main', sessionKey: 'sk' }, controller.signal)
    expect(onlyCall(calls).init.signal).toBe(controller.signal)
  })

  it('a 500 {error} is an http error', async () => {
    const { client: c } = client(() => jsonResponse({ error: 'Gateway not connected' }, 500))
    const error = await chatError(c.stop({ agentId: 'main', sessionKey: 'sk' }))
    expect(error).toMatchObject({ kind: 'http', status: 500, message: 'Gateway not connected' })
  })
})

describe('JSON routes', () => {
  it('agents GETs /claw/agents', async () => {
    const agents = { agents: [{ agentId: 'main', name: 'Main', workspace: '/w' }] }
    const { client: c, calls } = client(() => jsonResponse(agents))
    expect(await c.agents()).toStrictEqual(agents)
    const call = onlyCall(calls)
    expect(call.url).toBe('http://claw.test/claw/agents')
    expect(call.method).toBe('GET')
    expect(call.init.body).toBeUndefined()
    expect(call.headers.get('accept')).toBe('application/json')
    expect(call.headers.has('content-type')).toBe(false)
  })

  it('agentSession GETs /claw/agents/<id>/session', async () => {
    const body = { agentId: 'a/b', exists: true, sessionKey: 'k', session: null }
    const { client: c, calls } = client(() => jsonResponse(body))
    expect(await c.agentSession('a/b')).toStrictEqual(body)
    expect(onlyCall(calls).url).toBe('http://claw.test/claw/agents/a%2Fb/session')
  })

  it('sessions GETs /claw/agents/<id>/sessions with an optional limit', async () => {
    const body = { agentId: 'main', sessions: [{ key: 'k1', source: 'user-chat' }] }
    const { client: c, calls } = client(() => jsonResponse(body))
    expect(await c.sessions('main')).toStrictEqual(body)
    await c.sessions('main', { limit: 5 })
    expect(calls.map((call) => call.url)).toStrictEqual([
      'http://claw.test/claw/agents/main/sessions',
      'http://claw.test/claw/agents/main/sessions?limit=5',
    ])
  })

  it('history GETs /claw/agents/<id>/history with sessionKey, cursor and limit', async () => {
    const page = { agentId: 'main', sessionKey: 'sk', items: [], page: { hasMore: false, limit: 20 } }
    const { client: c, calls } = client(() => jsonResponse(page))
    expect(await c.history({ agentId: 'main', sessionKey: 'sk 1&x', cursor: 'c/2=', limit: 20 })).toStrictEqual(page)
    await c.history({ agentId: 'main', sessionKey: 'sk' })
    await c.history({ agentId: 'main', sessionKey: 'sk', limit: 1 })
    const urls = calls.map((call) => call.url)
    expect(urls).toStrictEqual([
      'http://claw.test/claw/agents/main/history?sessionKey=sk+1%26x&cursor=c%2F2%3D&limit=20',
      'http://claw.test/claw/agents/main/history?sessionKey=sk',
      'http://claw.test/claw/agents/main/history?sessionKey=sk&limit=1',
    ])
    const params = new URL(urls[0] ?? '').searchParams
    expect(params.get('sessionKey')).toBe('sk 1&x')
    expect(params.get('cursor')).toBe('c/2=')
    expect(params.get('limit')).toBe('20')
  })

  it('history passes the signal', async () => {
    const { client: c, calls } = client(() => jsonResponse({}))
    const controller = new AbortController()
    await c.history({ agentId: 'main', sessionKey: 'sk', signal: controller.signal })
    expect(onlyCall(calls).init.signal).toBe(controller.signal)
  })

  it('status GETs /claw/status', async () => {
    const status = { status: 'running', controlPlaneStatus: 'connected', port: 18789 }
    const { client: c, calls } = client(() => jsonResponse(status))
    expect(await c.status()).toStrictEqual(status)
    expect(onlyCall(calls).url).toBe('http://claw.test/claw/status')
  })

  it('user headers go on JSON routes too', async () => {
    const { client: c, calls } = client(() => jsonResponse({ agents: [] }), { baseUrl: 'http://claw.test/', headers: async () => ({ 'x-token': 't' }) })
    await c.agents()
    const call = onlyCall(calls)
    expect(call.url).toBe('http://claw.test/claw/agents')
    expect(call.headers.get('x-token')).toBe('t')
  })

  it('a 200 with invalid JSON is a protocol error (the query is not in the message)', async () => {
    const { client: c } = client(() => new Response('<html>oops</html>', { status: 200, headers: { 'content-type': 'text/html' } }))
    const error = await chatError(c.history({ agentId: 'main', sessionKey: 'secret-key' }))
    expect(error.kind).toBe('protocol')
    expect(error.status).toBe(200)
    expect(error.message).toBe('Expected JSON from http://claw.test/claw/agents/main/history')
    expect(error.message).not.toContain('secret-key')
  })

  it('a 200 with an empty body is a protocol error', async () => {
    const { client: c } = client(() => new Response('', { status: 200 }))
    const error = await chatError(c.status())
    expect(error).toMatchObject({ kind: 'protocol', message: 'Expected JSON from http://claw.test/claw/status' })
  })

  it('non-2xx on a JSON route is an http error', async () => {
    const { client: c } = client(() => jsonResponse({ error: 'Agent not found' }, 404, 'Not Found'))
    const error = await chatError(c.agentSession('ghost'))
    expect(error).toMatchObject({ kind: 'http', status: 404, message: 'Agent not found' })
    expect(error.retryable).toBe(false)
  })

  it('a network failure on a JSON route is a network error without the query string', async () => {
    const { client: c } = client(() => Promise.reject(new TypeError('Failed to fetch')))
    const error = await chatError(c.history({ agentId: 'main', sessionKey: 'secret-key', limit: 3 }))
    expect(error.kind).toBe('network')
    expect(error.message).toBe('Could not reach the server (http://claw.test/claw/agents/main/history): Failed to fetch')
  })

  it('a body that fails mid-read is a network error', async () => {
    let sent = false
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true
          controller.enqueue(new TextEncoder().encode('{"agents":['))
        } else controller.error(new TypeError('terminated'))
      },
    })
    const { client: c } = client(() => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }))
    const error = await chatError(c.agents())
    expect(error.kind).toBe('network')
    expect(error.message).toBe('Could not reach the server (http://claw.test/claw/agents): terminated')
  })

  it('an AbortError on a JSON route passes through unchanged', async () => {
    const abort = new DOMException('aborted', 'AbortError')
    const { client: c } = client(() => Promise.reject(abort))
    expect(await rejection(c.status())).toBe(abort)
  })
})

describe('errorFromResponse', () => {
  it('returns (does not throw) a ChatError of the requested kind', async () => {
    const error = await errorFromResponse(new Response('{"error":"bad"}', { status: 400 }), 'protocol')
    expect(error).toBeInstanceOf(ChatError)
    expect(error).toMatchObject({ kind: 'protocol', status: 400, message: 'bad' })
  })

  it('a blank {error: ""} falls back to the status line', async () => {
    const error = await errorFromResponse(new Response('{"error":"   "}', { status: 500, statusText: 'Internal Server Error' }))
    expect(error.message).toBe('The server answered 500 Internal Server Error')
  })

  it('an already-read body still gives an error', async () => {
    const response = new Response('gone', { status: 500 })
    await response.text()
    const error = await errorFromResponse(response)
    expect(error).toMatchObject({ kind: 'http', status: 500, message: 'The server answered 500' })
  })
})

describe('ChatError.retryable', () => {
  it.each([
    [500, true],
    [502, true],
    [503, true],
    [429, true],
    [408, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
  ])('http %i → %s', (status, retryable) => {
    expect(new ChatError({ kind: 'http', status, message: 'x' }).retryable).toBe(retryable)
  })

  it('http without a status is retryable', () => {
    expect(new ChatError({ kind: 'http', message: 'x' }).retryable).toBe(true)
  })

  it.each([
    ['refusal', false],
    ['context_length', false],
    ['timeout', true],
    ['rate_limit', true],
    ['unknown', true],
  ] as const)('server %s → %s', (errorKind, retryable) => {
    expect(new ChatError({ kind: 'server', errorKind, message: 'x' }).retryable).toBe(retryable)
  })

  it('server without an errorKind is retryable', () => {
    expect(new ChatError({ kind: 'server', message: 'x' }).retryable).toBe(true)
  })

  it.each(['network', 'protocol', 'stalled'] as const)('%s is retryable', (kind) => {
    expect(new ChatError({ kind, message: 'x' }).retryable).toBe(true)
  })

  it('keeps its fields and only sets the given ones', () => {
    const cause = new Error('root')
    const error = new ChatError({ kind: 'server', message: 'm', errorKind: 'timeout', code: 'C1', cause })
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toBe('m')
    expect(error.kind).toBe('server')
    expect(error.errorKind).toBe('timeout')
    expect(error.code).toBe('C1')
    expect(error.cause).toBe(cause)
    const bare = new ChatError({ kind: 'network', message: 'n' })
    expect(bare.kind).toBe('network')
    expect(bare.name).toBe('ChatError')
    expect(bare.status).toBeUndefined()
    expect(bare.errorKind).toBeUndefined()
    expect(bare.code).toBeUndefined()
    expect('cause' in bare).toBe(false)
  })
})

// @vitest-environment jsdom
/**
 * The network misbehaving: drops, offline, 5xx, proxies' HTML pages, 413, oversized attachments, hostile JSON
 * (prototype keys everywhere), and secrets from the headers callback that must never leak.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import { createElement, type ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createOpenClawClient } from '../../src/client'
import {
  ATTACHMENT_LIMITS,
  AttachmentError,
  ChatController,
  messageText,
  type ChatControllerOptions,
  type ChatMessage,
  type ChatState,
} from '../../src/core'
import { createMockServer } from '../../src/mock'
import { ChatError, type Attachment } from '../../src/protocol'
import { useOpenClawChat, type UseOpenClawChatOptions } from '../../src/react'
import { createFakeServer, tick, until, type FakeServer } from '../helpers/fake-server'

const controllers: ChatController[] = []
afterEach(() => {
  for (const c of controllers.splice(0)) c.dispose()
  cleanup()
  vi.restoreAllMocks()
})

function setup(options: Partial<ChatControllerOptions> = {}) {
  const server = createFakeServer()
  const errors: ChatError[] = []
  const chat = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: server.fetch }), onError: (e) => errors.push(e), ...options })
  controllers.push(chat)
  return { server, chat, errors, state: (): ChatState => chat.store.getState() }
}

const chatPosts = (server: FakeServer) => server.requests.filter((r) => r.url.endsWith('/chat'))
const texts = (s: ChatState): Array<[string, string | undefined, string]> => s.messages.map((m) => [m.role, m.finish, messageText(m)])

function wrapperFor(queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })) {
  return function Wrapper({ children }: { children: ReactNode }) {
    return createElement(QueryClientProvider, { client: queryClient }, children)
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe('a connection dropped mid-stream', () => {
  it('finishes `interrupted` with the partial text and a retryable network error; retry() resends it cleanly', async () => {
    const { server, chat, state, errors } = setup()
    let sent = chat.send('earlier')
    let stream = await server.nextStream()
    stream.frame('done', { text: 'Earlier answer.' })
    stream.end()
    await sent
    sent = chat.send('question')
    stream = await server.nextStream()
    stream.frame('lifecycle', { phase: 'start', runId: 'r1' })
    stream.frame('text-delta', { text: 'Half an ans' })
    await until(() => state().live?.parts.length === 1)
    stream.write('data: {"type":"text-delta","data":{"te') // a half frame, then the reset
    await tick(5)
    stream.drop(new TypeError('network error'))
    await sent
    expect(state().status).toBe('error')
    expect(state().error).toBeInstanceOf(ChatError)
    expect(state().error).toMatchObject({ kind: 'network', message: 'network error' })
    expect(state().error?.retryable).toBe(true)
    expect(errors).toHaveLength(1)
    expect(texts(state()).slice(2)).toEqual([
      ['user', undefined, 'question'],
      ['assistant', 'interrupted', 'Half an ans'],
    ])
    expect(state().messages.at(-1)?.error).toEqual({ kind: 'network', message: 'network error' })

    const retried = chat.retry()
    const again = await server.nextStream()
    expect(again.body.message).toBe('question')
    expect(again.body.sessionKey).toBe(state().sessionKey)
    // regression: the history held the resent question itself and the partial answer it replaces
    expect(again.body.history).toEqual([
      { role: 'user', content: 'earlier' },
      { role: 'assistant', content: 'Earlier answer.' },
    ])
    again.frame('done', { text: 'The full answer.' })
    again.end()
    await retried
    expect(state().status).toBe('ready')
    expect(state().error).toBeUndefined()
    expect(texts(state())).toEqual([
      ['user', undefined, 'earlier'],
      ['assistant', 'done', 'Earlier answer.'],
      ['user', undefined, 'question'],
      ['assistant', 'done', 'The full answer.'],
    ])
  })

  it('through the hook against the mock server (a real dropped body), then retry()', async () => {
    let turns = 0
    const mock = createMockServer({ delayScale: 0, pickScenario: () => (++turns === 1 ? 'drop' : 'plain') })
    const { result } = renderHook(() => useOpenClawChat({ agentId: 'main', fetch: mock.fetch }), { wrapper: wrapperFor() })
    await act(() => result.current.send('tell me'))
    await waitFor(() => expect(result.current.status).toBe('error'))
    expect(result.current.error).toMatchObject({ kind: 'network' })
    const cut = result.current.messages.at(-1) as ChatMessage
    expect(cut.finish).toBe('interrupted')
    expect(messageText(cut)).toBe('This answer will be cut off in the mid')
    expect(mock.activeRuns).toBe(0)
    await act(() => result.current.retry())
    await waitFor(() => expect(result.current.status).toBe('ready'))
    expect(result.current.messages.map((m) => [m.role, m.finish])).toEqual([
      ['user', undefined],
      ['assistant', 'done'],
    ])
    const bodies = mock.requests.filter((r) => r.path.endsWith('/chat')).map((r) => r.body as { message: string; history?: unknown })
    expect(bodies).toEqual([
      { message: 'tell me', sessionKey: expect.any(String) },
      { message: 'tell me', sessionKey: expect.any(String) },
    ])
  })
})

describe('offline at send', () => {
  it('fetch rejects with a TypeError: a typed `network` error, the message kept, nothing else shown; retry works once online', async () => {
    const { server, chat, state, errors } = setup()
    server.failNext = () => Promise.reject(new TypeError('Failed to fetch'))
    await chat.send('keep me')
    expect(state().status).toBe('error')
    expect(state().error).toBeInstanceOf(ChatError)
    expect(state().error).toMatchObject({ kind: 'network' })
    expect(state().error?.message).toContain('Failed to fetch')
    expect(state().error?.message).toContain('/claw/agents/main/chat')
    expect(state().error?.retryable).toBe(true)
    expect(errors).toEqual([state().error])
    expect(texts(state())).toEqual([['user', undefined, 'keep me']])
    const retried = chat.retry()
    const stream = await server.nextStream()
    expect(stream.body).toEqual({ message: 'keep me', sessionKey: state().sessionKey })
    stream.frame('done', { text: 'Back online.' })
    stream.end()
    await retried
    expect(texts(state())).toEqual([
      ['user', undefined, 'keep me'],
      ['assistant', 'done', 'Back online.'],
    ])
  })

  it('history cannot load while offline: a typed error on chat.history, the chat itself still usable', async () => {
    const fetch: typeof globalThis.fetch = async () => {
      throw new TypeError('Failed to fetch')
    }
    const { result } = renderHook(() => useOpenClawChat({ agentId: 'main', fetch, sessionKey: 'k1' }), { wrapper: wrapperFor() })
    // the history query retries once (after 1 s) before it reports
    await waitFor(() => expect(result.current.history.error).toBeDefined(), { timeout: 3_000 })
    expect(result.current.history.error).toBeInstanceOf(ChatError)
    expect(result.current.history.error).toMatchObject({ kind: 'network' })
    expect(result.current.history.isLoading).toBe(false)
    expect(result.current.status).toBe('ready')
  })
})

describe('HTTP failures before the stream', () => {
  const NGINX_502 =
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n'
  const CLOUDFLARE_524 = `<!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<!--[if gt IE 8]><!--> <html class="no-js" lang="en-US"> <!--<![endif]-->
<head>
<title>chat.example.com | 524: A timeout occurred</title>
<meta charset="UTF-8" />
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta name="robots" content="noindex, nofollow" />
<link rel="stylesheet" id="cf_styles-css" href="/cdn-cgi/styles/cf.errors.css" />
<style>body{margin:0;padding:0}</style>
<script>(function(){if(document.addEventListener&&window.XMLHttpRequest&&JSON&&JSON.stringify){}})();</script>
</head>
<body>
<div id="cf-wrapper">
  <div id="cf-error-details" class="p-0">
    <header class="mx-auto pt-10 lg:pt-6 lg:px-8 w-240 lg:w-full mb-8">
      <h1 class="inline-block sm:block sm:mb-2 font-light text-60 lg:text-4xl text-black-dark leading-tight mr-2">
        <span class="inline-block">A timeout occurred</span>
        <span class="code-label">Error code 524</span>
      </h1>
    </header>
    <div class="cf-error-footer">Cloudflare Ray ID: <strong>8a1b2c3d4e5f6789</strong> &bull; Performance &amp; security by Cloudflare</div>
  </div>
</div>
</body>
</html>`
  const NGINX_413 =
    '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

  it.each([
    ['500 with {error: {name, message, code, statusCode}}', () => new Response(JSON.stringify({ error: { name: 'Error', message: 'Gateway crashed', code: 'E_GW', statusCode: 500 } }), { status: 500, headers: { 'content-type': 'application/json' } }), { status: 500, message: 'Gateway crashed', code: 'E_GW' }],
    ['503 with {error: text}', () => new Response(JSON.stringify({ error: 'Agent is busy' }), { status: 503 }), { status: 503, message: 'Agent is busy' }],
    ['504 with an empty body', () => new Response('', { status: 504, statusText: 'Gateway Timeout' }), { status: 504, message: 'The server answered 504 Gateway Timeout' }],
    ['nginx 502 page', () => new Response(NGINX_502, { status: 502, headers: { 'content-type': 'text/html' } }), { status: 502, message: '502 Bad Gateway' }],
    ['Cloudflare-style 524 page', () => new Response(CLOUDFLARE_524, { status: 524, headers: { 'content-type': 'text/html; charset=UTF-8' } }), { status: 524, message: 'chat.example.com | 524: A timeout occurred' }],
  ] as const)('%s → a readable, retryable `http` error; the message is kept', async (_name, respond, expected) => {
    const { server, chat, state, errors } = setup()
    server.failNext = respond
    await chat.send('keep me')
    const error = state().error
    expect(error).toBeInstanceOf(ChatError)
    expect(error).toMatchObject({ kind: 'http', ...expected })
    expect(error?.message).not.toMatch(/[<>]/)
    expect(error?.message.length).toBeLessThanOrEqual(301)
    expect(error?.retryable).toBe(true)
    expect(errors).toEqual([error])
    expect(texts(state())).toEqual([['user', undefined, 'keep me']])
  })

  it('an HTML page with status 200 (a captive portal) is a `protocol` error naming the page', async () => {
    const { server, chat, state } = setup()
    server.failNext = () => new Response('<html><head><title>Hotel Wi-Fi login</title></head><body>Sign in</body></html>', { status: 200, headers: { 'content-type': 'text/html' } })
    await chat.send('hi')
    expect(state().error).toMatchObject({ kind: 'protocol', status: 200, message: 'Expected an event stream but the server sent text/html: Hotel Wi-Fi login' })
  })

  it.each([
    ['an nginx page', () => new Response(NGINX_413, { status: 413, headers: { 'content-type': 'text/html' } }), 'The message and its attachments are too large for the server (413 Request Entity Too Large)'],
    ['an empty body', () => new Response('', { status: 413 }), 'The message and its attachments are too large for the server (HTTP 413)'],
    ['a JSON body', () => new Response(JSON.stringify({ error: 'Payload Too Large' }), { status: 413 }), 'The message and its attachments are too large for the server (Payload Too Large)'],
  ] as const)('413 for a too-large upload (%s): an `http` error, status 413, a clear message, not retryable, the message kept', async (_name, respond, message) => {
    const { server, chat, state } = setup()
    server.failNext = respond
    const attachment: Attachment = { kind: 'file', mediaType: 'text/plain', name: 'notes.txt', text: 'x'.repeat(1000) }
    await chat.send({ text: 'read this', attachments: [attachment] })
    expect(state().error).toBeInstanceOf(ChatError)
    expect(state().error).toMatchObject({ kind: 'http', status: 413, message })
    expect(state().error?.retryable).toBe(false)
    expect(state().messages).toHaveLength(1)
    expect(state().messages[0]?.parts.map((p) => p.type)).toEqual(['attachment', 'text'])
    expect(chatPosts(server)).toHaveLength(1)
  })
})

describe('attachments over the limits are refused before upload', () => {
  const big = (bytes: number, name: string, type: string): File => new File([new Uint8Array(bytes)], name, { type })
  const dataUrlOf = (bytes: number): string => `data:image/png;base64,${'A'.repeat(Math.ceil(bytes / 3) * 4)}`

  it.each([
    ['an image File of 5 MiB + 1 byte', () => [big(ATTACHMENT_LIMITS.maxImageBytes + 1, 'photo.png', 'image/png')], 'too-large'],
    ['a text File of 1 MiB + 1 byte', () => [big(ATTACHMENT_LIMITS.maxFileBytes + 1, 'log.txt', 'text/plain')], 'too-large'],
    ['a prepared image attachment over 5 MiB', () => [{ kind: 'image', mediaType: 'image/png', dataUrl: dataUrlOf(ATTACHMENT_LIMITS.maxImageBytes + 3), name: 'x.png' } satisfies Attachment], 'too-large'],
    ['a prepared text attachment over 1 MiB (multi-byte)', () => [{ kind: 'file', mediaType: 'text/plain', name: 'é.txt', text: 'é'.repeat(ATTACHMENT_LIMITS.maxFileBytes / 2 + 1) } satisfies Attachment], 'too-large'],
    ['11 attachments', () => Array.from({ length: 11 }, (_, i) => new File(['x'], `${i}.txt`, { type: 'text/plain' })), 'too-many'],
    ['an executable', () => [new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' })], 'unsupported-type'],
  ] as const)('%s: AttachmentError, no request, the state untouched', async (_name, files, code) => {
    const { server, chat, state } = setup()
    const before = state()
    const error = await chat.send({ text: 'with files', attachments: files() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AttachmentError)
    expect(error).toMatchObject({ code })
    expect((error as Error).message.length).toBeGreaterThan(10)
    expect(server.requests).toHaveLength(0)
    expect(state()).toBe(before)
  })

  it('through the hook: send() rejects with the AttachmentError and nothing is sent or shown', async () => {
    const server = createFakeServer()
    const { result } = renderHook(() => useOpenClawChat({ agentId: 'main', fetch: server.fetch }), { wrapper: wrapperFor() })
    let error: unknown
    await act(async () => {
      error = await result.current.send({ text: 'x', attachments: [big(ATTACHMENT_LIMITS.maxImageBytes + 1, 'p.png', 'image/png')] }).catch((e: unknown) => e)
    })
    expect(error).toBeInstanceOf(AttachmentError)
    expect(server.requests).toHaveLength(0)
    expect(result.current.messages).toEqual([])
    expect(result.current.status).toBe('ready')
  })
})

// ---------------------------------------------------------------------------------------------------------------

describe('JSON with __proto__ / constructor / prototype keys cannot pollute prototypes', () => {
  const HOSTILE = '{"__proto__":{"polluted":"yes","role":"assistant","text":"EVIL","tokensIn":666},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}'
  /** Puts the hostile keys into every object of a JSON text. */
  const hostile = (json: string): string => json.replace(/\{(?!\})/g, `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},`).replace(/\{\}/g, HOSTILE)
  const OBJECT_KEYS = Object.getOwnPropertyNames(Object.prototype).sort()
  const ARRAY_KEYS = Object.getOwnPropertyNames(Array.prototype).sort()
  const FUNCTION_KEYS = Object.getOwnPropertyNames(Function.prototype).sort()

  function expectClean(): void {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(OBJECT_KEYS)
    expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(ARRAY_KEYS)
    expect(Object.getOwnPropertyNames(Function.prototype).sort()).toEqual(FUNCTION_KEYS)
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  }

  it('the helper really puts the keys everywhere (and JSON.parse keeps them as own data)', () => {
    const parsed = JSON.parse(hostile('{"a":{"b":[{"c":1}]},"d":{}}')) as Record<string, Record<string, unknown>>
    expect(Object.keys(parsed)).toEqual(['__proto__', 'constructor', 'prototype', 'a', 'd'])
    expect(Object.keys(parsed.a as object)).toEqual(['__proto__', 'constructor', 'prototype', 'b'])
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
    expectClean()
  })

  it('in every field of every frame, history item, error body and route answer, through the client, the controller and the hook', async () => {
    const key = 'sess-1'
    const historyPage = hostile(
      JSON.stringify({
        agentId: 'main',
        sessionKey: key,
        session: {},
        items: [
          { id: `${key}:1`, role: 'user', text: 'old question', timestamp: 1, attachments: [{ kind: 'image', mediaType: 'image/png', dataUrl: 'data:image/png;base64,iVBORw==' }] },
          {
            id: `${key}:2`, role: 'assistant', text: 'old answer', timestamp: 2, costUsd: 0.1, tokensIn: 1, tokensOut: 2,
            reasoning: { text: 'why', durationMs: 5 },
            toolCalls: [{ toolCallId: 'h1', toolName: 'search', status: 'completed', input: { q: {} }, output: {} }],
          },
          {},
        ],
        page: { hasMore: false, limit: 50 },
      }),
    )
    const frames = [
      { type: 'lifecycle', data: { phase: 'start', runId: 'r1' } },
      { type: 'reasoning-delta', data: { text: 'hmm' } },
      { type: 'text-delta', data: { text: 'Hello' } },
      { type: 'tool-start', data: { toolCallId: 't1', toolName: 'x', label: 'L', subject: 'S', arguments: { nested: { deep: {} } } } },
      { type: 'tool-end', data: { toolCallId: 't1', isError: false, output: { result: [{}] }, durationMs: 3 } },
      { type: 'tool-output', data: { toolCallId: 't1', isError: false, meta: {} } },
      { type: 'usage', data: { tokensIn: 3, tokensOut: 4, costUsd: 0.5 } },
      { type: 'mystery', data: {} },
      { type: 'done', data: { text: 'Hello' } },
    ]
    const encoded = frames.map((f) => `data: ${hostile(JSON.stringify(f))}\n\n`)
    // a frame that is nothing but the hostile keys (no string `type`), before the terminal `done`
    encoded.splice(-1, 0, `data: ${HOSTILE}\n\n`)
    const sse = `${encoded.join('')}data: [DONE]\n\n`
    const routes: Record<string, () => Response> = {
      history: () => new Response(historyPage, { headers: { 'content-type': 'application/json' } }),
      chat: () => new Response(sse, { headers: { 'content-type': 'text/event-stream' } }),
      stop: () => new Response(hostile('{"ok":true,"aborted":true,"runIds":["r1"]}'), { headers: { 'content-type': 'application/json' } }),
      agents: () => new Response(hostile('{"agents":[{"agentId":"main","name":"Main"}]}')),
      status: () => new Response(hostile('{"status":"running","controlPlaneStatus":"connected"}')),
      session: () => new Response(hostile('{"agentId":"main","exists":true,"sessionKey":"k","session":{}}')),
      sessions: () => new Response(hostile('{"agentId":"main","sessions":[{"key":"k","source":"user-chat"}]}')),
      error: () => new Response(hostile('{"error":{"name":"E","message":"broken","code":"C","statusCode":500}}'), { status: 500 }),
    }
    let failChat = false
    const fetch: typeof globalThis.fetch = async (input) => {
      const path = new URL(String(input), 'http://x').pathname
      if (path.endsWith('/chat') && failChat) return routes.error!()
      const route = path.endsWith('/chat/stop') ? 'stop' : path.endsWith('/chat') ? 'chat' : (path.split('/').pop() as string)
      return (routes[route] ?? routes.error!)()
    }

    // the hook loads the hostile history page, then streams a hostile turn
    const diagnostics: unknown[] = []
    const unknown: unknown[] = []
    const { result } = renderHook(
      () => useOpenClawChat({ agentId: 'main', fetch, sessionKey: key, onDiagnostic: (d) => diagnostics.push(d), onUnknownEvent: (u) => unknown.push(u) }),
      { wrapper: wrapperFor() },
    )
    await waitFor(() => expect(result.current.messages).toHaveLength(2))
    expectClean()
    const [oldQuestion, oldAnswer] = result.current.messages as [ChatMessage, ChatMessage]
    expect(messageText(oldQuestion)).toBe('old question')
    expect(oldAnswer.usage).toEqual({ tokensIn: 1, tokensOut: 2, costUsd: 0.1 })
    expect(oldAnswer.parts.map((p) => p.type)).toEqual(['reasoning', 'tool', 'text'])
    await act(() => result.current.send('new question'))
    await waitFor(() => expect(result.current.status).toBe('ready'))
    expectClean()
    const answer = result.current.messages.at(-1) as ChatMessage
    expect(answer.finish).toBe('done')
    expect(messageText(answer)).toBe('Hello')
    expect(answer.usage).toEqual({ tokensIn: 3, tokensOut: 4, costUsd: 0.5 })
    // the hostile keys are plain data where data is kept as given (tool arguments and output), and nowhere else
    const toolPart = answer.parts.find((p) => p.type === 'tool')
    expect(toolPart).toMatchObject({ type: 'tool', toolCallId: 't1', name: 'x', state: 'done', durationMs: 3 })
    expect(Object.getPrototypeOf((toolPart as { arguments: object }).arguments)).toBe(Object.prototype)
    const defined = (o: object): string[] => Object.entries(o).filter(([, v]) => v !== undefined).map(([k]) => k).sort()
    expect(defined(answer)).toEqual(['createdAt', 'finish', 'id', 'parts', 'role', 'usage'])
    expect(Object.keys(answer.usage as object).sort()).toEqual(['costUsd', 'tokensIn', 'tokensOut'])
    expect(unknown.map((u) => (u as { type: string }).type)).toEqual(['mystery'])
    expect(diagnostics).toHaveLength(1) // the HOSTILE frame has no string `type`

    // every other route, straight through the client, and an error body
    const client = createOpenClawClient({ fetch })
    expect((await client.stop({ agentId: 'main', sessionKey: key })).runIds).toEqual(['r1'])
    await client.agents()
    await client.status()
    await client.agentSession('main')
    await client.sessions('main')
    await client.history({ agentId: 'main', sessionKey: key })
    failChat = true
    const chat = new ChatController({ agentId: 'main', transport: client })
    controllers.push(chat)
    await chat.send('fail')
    expect(chat.store.getState().error).toMatchObject({ kind: 'http', status: 500, message: 'broken', code: 'C' })
    expectClean()
  })
})

// ---------------------------------------------------------------------------------------------------------------

describe('values from the headers callback never leak', () => {
  const SECRET = 'sk-live-7f3a9c2e-SECRET'

  /** Whether `secret` appears anywhere in `value`: strings, own properties (enumerable or not: message, stack, cause), Map/Set entries. */
  function contains(value: unknown, secret: string, seen = new Set<unknown>()): boolean {
    if (typeof value === 'string') return value.includes(secret)
    if (typeof value !== 'object' || value === null || seen.has(value)) return false
    seen.add(value)
    if (value instanceof Map || value instanceof Set) for (const entry of value) if (contains(entry, secret, seen)) return true
    if (value instanceof Headers) for (const entry of value) if (contains(entry, secret, seen)) return true
    for (const key of Reflect.ownKeys(value)) {
      let v: unknown
      try {
        v = (value as Record<PropertyKey, unknown>)[key]
      } catch {
        continue
      }
      if (contains(v, secret, seen)) return true
    }
    return false
  }

  it('the probe finds a secret hidden in an error cause', () => {
    const e = new ChatError({ kind: 'network', message: 'x', cause: new Error(`inner ${SECRET}`) })
    expect(contains(e, SECRET)).toBe(true)
    expect(contains({ a: [new Map([['k', SECRET]])] }, SECRET)).toBe(true)
    expect(contains(new ChatError({ kind: 'network', message: 'x' }), SECRET)).toBe(false)
  })

  type Case = [name: string, token: string, respond: (url: string, server: { stream: (body: ReadableStream<Uint8Array>) => Response }) => Response | Promise<Response>, options?: Partial<UseOpenClawChatOptions>]
  const sse = (text: string): ReadableStream<Uint8Array> => new Response(text).body as ReadableStream<Uint8Array>
  const cases: Case[] = [
    ['offline', `Bearer ${SECRET}`, () => Promise.reject(new TypeError('Failed to fetch'))],
    ['a 500 HTML page', `Bearer ${SECRET}`, () => new Response('<html><head><title>500 Internal Server Error</title></head></html>', { status: 500 })],
    ['a 401 JSON', `Bearer ${SECRET}`, () => new Response('{"error":"Unauthorized"}', { status: 401 })],
    ['malformed and unknown frames, then a drop', `Bearer ${SECRET}`, (_url, s) =>
      s.stream(
        new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new TextEncoder().encode('data: {bad json\n\ndata: {"type":"odd","data":{}}\n\ndata: {"type":"text-delta","data":{"text":5}}\n\ndata: {"type":"text-delta","data":{"text":"a"}}\n\n'))
            setTimeout(() => c.error(new TypeError('network error')), 20)
          },
        }),
      )],
    ['a stall', `Bearer ${SECRET}`, (_url, s) => s.stream(new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new TextEncoder().encode('data: {"type":"text-delta","data":{"text":"a"}}\n\n')) } })), { stallTimeoutMs: 60 }],
    ['a server error event', `Bearer ${SECRET}`, (_url, s) => s.stream(sse('data: {"type":"error","data":{"message":"refused","errorKind":"refusal"}}\n\ndata: [DONE]\n\n'))],
    ['a token with a newline (an invalid header value: the platform quotes it in its error)', `Bearer ${SECRET}\nX-Injected: 1`, () => new Response('{}')],
    ['a token with a NUL', `Bearer ${SECRET}\u0000`, () => new Response('{}')],
  ]

  it.each(cases)('%s: not in URLs, errors, diagnostics, callbacks, the state or the console', async (_name, token, respond, options) => {
    const historyFails = _name === 'offline'
    const logged: unknown[] = []
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) vi.spyOn(console, method).mockImplementation((...args) => void logged.push(args))
    const urls: string[] = []
    const sentHeaders: Headers[] = []
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = String(input)
      urls.push(url)
      sentHeaders.push(new Headers(init?.headers))
      if (url.endsWith('/chat/stop')) return new Response('{"ok":false,"aborted":false,"runIds":[]}', { status: 500 })
      if (url.includes('/history')) {
        // one case fails the history load too (its error is checked below); it costs the query's 1 s retry
        if (historyFails) throw new TypeError('Failed to fetch')
        return new Response('{"agentId":"main","sessionKey":"sess-secret-test","items":[],"page":{"hasMore":false,"limit":50}}')
      }
      return respond(url, { stream: (body) => new Response(body, { headers: { 'content-type': 'text/event-stream' } }) })
    }
    const seen: unknown[] = []
    const { result } = renderHook(
      () =>
        useOpenClawChat({
          agentId: 'main',
          fetch,
          sessionKey: 'sess-secret-test',
          headers: () => ({ authorization: token }),
          onError: (e) => seen.push(e),
          onDiagnostic: (d) => seen.push(d),
          onUnknownEvent: (u) => seen.push(u),
          onFinish: (f) => seen.push(f),
          onEvent: (e) => seen.push(e),
          ...options,
        }),
      { wrapper: wrapperFor() },
    )
    await waitFor(() => expect(historyFails ? result.current.history.error !== undefined : !result.current.history.isLoading).toBe(true), { timeout: 3_000 })
    await act(() => result.current.send('hello'))
    await waitFor(() => expect(result.current.isBusy).toBe(false))
    await act(() => tick(20))
    expect(result.current.status).toBe('error')
    expect(seen.length).toBeGreaterThan(0)
    const valid = !token.includes('\n') && !token.includes('\u0000')
    if (valid) expect(sentHeaders.some((h) => h.get('authorization') === token)).toBe(true) // the probe is meaningful
    else expect(result.current.error).toMatchObject({ kind: 'network', message: 'A request header has an invalid name or value; the request was not sent' })
    // an invalid header value is refused before any request (the history load fails the same way)
    expect(urls.length > 0).toBe(valid)
    for (const url of urls) expect(url).not.toContain(SECRET)
    expect(contains(seen, SECRET)).toBe(false)
    expect(contains(result.current.error, SECRET)).toBe(false)
    expect(contains(result.current.history.error, SECRET)).toBe(false)
    expect(contains(result.current.store.getState(), SECRET)).toBe(false)
    expect(contains(logged, SECRET)).toBe(false)
  })
})

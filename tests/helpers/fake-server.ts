/** A hand-driven `/claw` server for tests: each chat POST gets a stream the test writes into frame by frame. */

export interface ControlledStream {
  /** The chat request's body, parsed. */
  body: Record<string, unknown>
  signal: AbortSignal | undefined
  /** Writes raw SSE text. */
  write(text: string): void
  /** Writes one `{type, data}` frame. */
  frame(type: string, data?: Record<string, unknown>): void
  /** Writes `[DONE]`. */
  end(): void
  close(): void
  /** Errors the body, as a dropped connection does. */
  drop(error?: unknown): void
  /** Whether the client cancelled the body or aborted the request. */
  readonly cancelled: boolean
}

export interface RecordedRequest {
  url: string
  method: string
  body: unknown
  headers: Headers
}

export interface FakeServer {
  fetch: typeof fetch
  requests: RecordedRequest[]
  /** Resolves with the next chat stream once the client has POSTed (its headers are sent at once unless `holdHeaders`). */
  nextStream(): Promise<ControlledStream>
  streams: ControlledStream[]
  /** What `/chat/stop` answers (default: confirms with the stopped stream's runId). */
  onStop: (body: Record<string, unknown>) => unknown
  /** Delays the chat response headers until `releaseHeaders()` is called. */
  holdHeaders: boolean
  releaseHeaders(): void
  /** Answers the next chat POST with this instead of a stream. */
  failNext: (() => Response | Promise<Response>) | undefined
  sessionKeyHeader: string | undefined
}

const encoder = new TextEncoder()

export function createFakeServer(): FakeServer {
  const waiting: Array<(s: ControlledStream) => void> = []
  const ready: ControlledStream[] = []
  let releaseHeaders: (() => void) | undefined

  const server: FakeServer = {
    requests: [],
    streams: [],
    holdHeaders: false,
    failNext: undefined,
    sessionKeyHeader: undefined,
    onStop: (body) => ({ ok: true, aborted: true, runIds: typeof body.runId === 'string' ? [body.runId] : [] }),
    releaseHeaders: () => releaseHeaders?.(),
    nextStream() {
      const s = ready.shift()
      if (s !== undefined) return Promise.resolve(s)
      return new Promise((resolve) => waiting.push(resolve))
    },
    fetch: async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
      const method = init?.method ?? 'GET'
      const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined
      server.requests.push({ url, method, body, headers: new Headers(init?.headers) })
      const signal = init?.signal ?? undefined
      if (signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError')
      if (url.endsWith('/chat/stop')) {
        return new Response(JSON.stringify(server.onStop(body as Record<string, unknown>)), { headers: { 'content-type': 'application/json' } })
      }
      if (!url.endsWith('/chat')) return new Response(JSON.stringify({ error: 'Not found' }), { status: 404 })
      const fail = server.failNext
      if (fail !== undefined) {
        server.failNext = undefined
        return fail()
      }
      let controller!: ReadableStreamDefaultController<Uint8Array>
      let cancelled = false
      let closed = false
      const stream = new ReadableStream<Uint8Array>({
        start: (c) => {
          controller = c
        },
        cancel: () => {
          cancelled = true
        },
      })
      const safe = (f: () => void): void => {
        if (closed) return
        try {
          f()
        } catch {
          closed = true
        }
      }
      const handle: ControlledStream = {
        body: body as Record<string, unknown>,
        signal,
        write: (text) => safe(() => controller.enqueue(encoder.encode(text))),
        frame: (type, data) => handle.write(`data: ${JSON.stringify(data === undefined ? { type } : { type, data })}\n\n`),
        end: () => handle.write('data: [DONE]\n\n'),
        close: () => safe(() => {
          closed = true
          controller.close()
        }),
        drop: (error = new TypeError('network error')) => safe(() => {
          closed = true
          controller.error(error)
        }),
        get cancelled() {
          return cancelled || signal?.aborted === true
        },
      }
      signal?.addEventListener('abort', () => handle.drop(new DOMException('The operation was aborted.', 'AbortError')), { once: true })
      server.streams.push(handle)
      if (server.holdHeaders) {
        await new Promise<void>((resolve, reject) => {
          releaseHeaders = resolve
          signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')), { once: true })
        })
      }
      const headers: Record<string, string> = { 'content-type': 'text/event-stream' }
      if (server.sessionKeyHeader !== undefined) headers['x-session-key'] = server.sessionKeyHeader
      const response = new Response(stream, { status: 200, headers })
      const waiter = waiting.shift()
      if (waiter !== undefined) waiter(handle)
      else ready.push(handle)
      return response
    },
  }
  return server
}

export const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `check` passes (or fails the test after `timeoutMs`). */
export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time')
    await tick(2)
  }
}

import { createSseDataParser } from 'openclaw-chat'

/** One raw SSE frame as it came over the wire, for the demo's event log. */
export interface RawFrame {
  at: number
  /** The `data:` payload exactly as sent (`[DONE]`, JSON, or whatever a broken server sends). */
  data: string
}

/**
 * Wraps `fetch` so every SSE frame of a chat response is reported as it arrives, while the hook reads the very
 * same bytes (the body is teed, not consumed).
 */
export function tapFetch(onFrame: (frame: RawFrame) => void, base: typeof fetch = (...args) => globalThis.fetch(...args)): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init)
    const type = response.headers.get('content-type') ?? ''
    if (!type.includes('text/event-stream') || response.body === null) return response
    const [forHook, forLog] = response.body.tee()
    void readFrames(forLog, onFrame)
    return new Response(forHook, { status: response.status, statusText: response.statusText, headers: response.headers })
  }
}

async function readFrames(body: ReadableStream<Uint8Array>, onFrame: (frame: RawFrame) => void): Promise<void> {
  const parser = createSseDataParser((data) => onFrame({ at: Date.now(), data }))
  const decoder = new TextDecoder()
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      parser.feed(decoder.decode(value, { stream: true }))
    }
  } catch {
    // the hook reports what went wrong; the log just stops
  }
}

import { decodeFrame, type FrameResult } from './decode'
import { createSseDataParser } from './sse-parser'

export interface ReadFramesOptions {
  /** Called for every chunk of bytes received (keep-alive comments included). */
  onActivity?: () => void
  /**
   * Aborting it cancels the body, even while a read is pending or before iteration started: a `fetch` that
   * ignores its own `signal` (an app's wrapper that rebuilds `init`) must not leave the connection open.
   */
  signal?: AbortSignal
}

/**
 * Reads an SSE byte stream and yields, per network chunk, the decoded frames it completed.
 * SSE parsing (CRLF / CR / LF, comments, multi-line `data:`, split frames) is `createSseDataParser`'s;
 * UTF-8 split across chunks is handled by a streaming TextDecoder. A frame left incomplete when the
 * stream closes is still decoded (and reported as malformed if it was cut), never silently lost.
 * The body is locked at once; it is released when iteration ends, and cancelled when `signal` aborts.
 */
export function readSseFrames(
  body: ReadableStream<Uint8Array>,
  options: ReadFramesOptions = {},
): AsyncGenerator<FrameResult[], void, undefined> {
  const reader = body.getReader()
  const { signal } = options
  const onAbort = (): void => {
    reader.cancel(signal?.reason).catch(() => undefined)
  }
  if (signal?.aborted) onAbort()
  else signal?.addEventListener('abort', onAbort, { once: true })
  return frames(reader, options, () => signal?.removeEventListener('abort', onAbort))
}

async function* frames(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  options: ReadFramesOptions,
  cleanup: () => void,
): AsyncGenerator<FrameResult[], void, undefined> {
  const decoder = new TextDecoder('utf-8')
  let batch: FrameResult[] = []
  const parser = createSseDataParser((data) => {
    batch.push(decodeFrame(data))
  })
  const take = (): FrameResult[] => {
    const out = batch
    batch = []
    return out
  }
  let finished = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      options.onActivity?.()
      parser.feed(decoder.decode(value, { stream: true }))
      if (batch.length > 0) yield take()
    }
    finished = true
    // Cancelled through the signal: what is buffered is a cut, not the end of the stream.
    if (options.signal?.aborted) return
    const rest = decoder.decode()
    if (rest) parser.feed(rest)
    // A last frame the server did not terminate with a blank line (or cut mid-line) is dispatched, not dropped.
    parser.feed('\n\n')
    if (batch.length > 0) yield take()
  } finally {
    cleanup()
    if (!finished) reader.cancel().catch(() => undefined)
    reader.releaseLock()
  }
}

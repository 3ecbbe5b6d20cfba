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
  { onActivity, signal }: ReadFramesOptions = {},
): AsyncGenerator<FrameResult[], void, undefined> {
  // Locked and listened to now: a generator's body only starts on the first `next()`.
  const reader = body.getReader()
  const cancel = (): void => {
    reader.cancel(signal?.reason).catch(() => undefined)
  }
  if (signal?.aborted) cancel()
  // `once`: a generator never iterated (a turn stopped before its headers) has no `finally` to remove it.
  else signal?.addEventListener('abort', cancel, { once: true })

  async function* frames(): AsyncGenerator<FrameResult[], void, undefined> {
    const decoder = new TextDecoder()
    let batch: FrameResult[] = []
    const parser = createSseDataParser((data) => {
      batch.push(decodeFrame(data))
    })
    try {
      for (let chunk; !(chunk = await reader.read()).done; ) {
        onActivity?.()
        parser.feed(decoder.decode(chunk.value, { stream: true }))
        if (batch.length > 0) {
          yield batch
          batch = []
        }
      }
      // Cancelled through the signal: what is buffered is a cut, not the end of the stream.
      if (signal?.aborted) return
      // A last frame the server did not end with a blank line (or cut mid-line) is dispatched, not dropped.
      parser.feed(`${decoder.decode()}\n\n`)
      if (batch.length > 0) yield batch
    } finally {
      signal?.removeEventListener('abort', cancel)
      // Left early or failed: the body is cancelled (a no-op once it has ended).
      cancel()
      reader.releaseLock()
    }
  }
  return frames()
}

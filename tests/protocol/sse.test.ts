import { describe, expect, it, vi } from 'vitest'
import { readSseFrames } from '../../src/protocol'
import type { FrameResult, ReadFramesOptions } from '../../src/protocol'

const encoder = new TextEncoder()

/** A stream that serves the given byte chunks one per pull, then closes. */
function streamOf(chunks: readonly Uint8Array[], onCancel?: (reason: unknown) => void): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++]
      if (chunk === undefined) controller.close()
      else controller.enqueue(chunk)
    },
    cancel(reason) {
      onCancel?.(reason)
    },
  })
}

const textChunks = (...chunks: string[]): Uint8Array[] => chunks.map((c) => encoder.encode(c))

/** Splits bytes into chunks of `size` bytes. */
function splitBytes(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size))
  return out
}

async function collectBatches(body: ReadableStream<Uint8Array>, options?: ReadFramesOptions): Promise<FrameResult[][]> {
  const batches: FrameResult[][] = []
  for await (const batch of readSseFrames(body, options)) batches.push(batch)
  return batches
}

async function collect(body: ReadableStream<Uint8Array>, options?: ReadFramesOptions): Promise<FrameResult[]> {
  return (await collectBatches(body, options)).flat()
}

const line = (type: string, data: unknown): string => `data: ${JSON.stringify({ type, data })}\n\n`

const HELLO_STREAM =
  'data: {"type":"text-delta","data":{"text":"Hello"}}\n\ndata: {"type":"done","data":{"text":"Hello"}}\n\ndata: [DONE]\n\n'
const HELLO_EVENTS: FrameResult[] = [
  { ok: true, event: { type: 'text-delta', text: 'Hello' } },
  { ok: true, event: { type: 'done', text: 'Hello' } },
  { ok: true, end: true },
]

describe('readSseFrames: framing', () => {
  it('reads the byte-exact example stream of the protocol', async () => {
    expect(await collect(streamOf(textChunks(HELLO_STREAM)))).toStrictEqual(HELLO_EVENTS)
  })

  it('several frames in one chunk come in one batch', async () => {
    const batches = await collectBatches(streamOf(textChunks(HELLO_STREAM)))
    expect(batches).toStrictEqual([HELLO_EVENTS])
  })

  it('one batch per chunk that completes frames, in order', async () => {
    const batches = await collectBatches(
      streamOf(textChunks(line('text-delta', { text: 'a' }), line('text-delta', { text: 'b' }) + line('text-delta', { text: 'c' }), 'data: [DONE]\n\n')),
    )
    expect(batches).toStrictEqual([
      [{ ok: true, event: { type: 'text-delta', text: 'a' } }],
      [
        { ok: true, event: { type: 'text-delta', text: 'b' } },
        { ok: true, event: { type: 'text-delta', text: 'c' } },
      ],
      [{ ok: true, end: true }],
    ])
  })

  it('a chunk that completes no frame yields no (empty) batch', async () => {
    const batches = await collectBatches(streamOf(textChunks('data: {"type":"text-de', 'lta","data":{"text":"x"}}', '\n\n')))
    expect(batches).toStrictEqual([[{ ok: true, event: { type: 'text-delta', text: 'x' } }]])
  })

  it('CRLF line endings', async () => {
    expect(await collect(streamOf(textChunks(HELLO_STREAM.replace(/\n/g, '\r\n'))))).toStrictEqual(HELLO_EVENTS)
  })

  it('bare CR line endings', async () => {
    // (a CR as the very last byte of a stream is held to see whether an LF follows: end with a comment line)
    expect(await collect(streamOf(textChunks(HELLO_STREAM.replace(/\n/g, '\r'), ': end\n')))).toStrictEqual(HELLO_EVENTS)
  })

  it('CRLF split between chunks', async () => {
    const events = await collect(streamOf(textChunks('data: {"type":"text-delta","data":{"text":"a"}}\r', '\n\r', '\ndata: [DONE]\r\n\r\n')))
    expect(events).toStrictEqual([{ ok: true, event: { type: 'text-delta', text: 'a' } }, { ok: true, end: true }])
  })

  it('1-byte chunks give the same events (LF)', async () => {
    expect(await collect(streamOf(splitBytes(encoder.encode(HELLO_STREAM), 1)))).toStrictEqual(HELLO_EVENTS)
  })

  it('1-byte chunks give the same events (CRLF)', async () => {
    expect(await collect(streamOf(splitBytes(encoder.encode(HELLO_STREAM.replace(/\n/g, '\r\n')), 1)))).toStrictEqual(HELLO_EVENTS)
  })

  it('every chunk size gives the same events', async () => {
    const bytes = encoder.encode(HELLO_STREAM + line('text-delta', { text: 'Grüße 😀 €' }))
    const expected = [...HELLO_EVENTS, { ok: true, event: { type: 'text-delta', text: 'Grüße 😀 €' } }]
    for (let size = 1; size <= 17; size++) {
      expect(await collect(streamOf(splitBytes(bytes, size)))).toStrictEqual(expected)
    }
  })

  it('comment lines produce no frame', async () => {
    const events = await collect(streamOf(textChunks(': keepalive\n\n', line('text-delta', { text: 'x' }), ':\n', ': ping\n\n', 'data: [DONE]\n\n')))
    expect(events).toStrictEqual([{ ok: true, event: { type: 'text-delta', text: 'x' } }, { ok: true, end: true }])
  })

  it('a comment line inside a frame does not break it', async () => {
    const events = await collect(streamOf(textChunks(': hi\ndata: {"type":"text-delta","data":{"text":"x"}}\n: again\n\n')))
    expect(events).toStrictEqual([{ ok: true, event: { type: 'text-delta', text: 'x' } }])
  })

  it('event: and id: lines are ignored', async () => {
    const events = await collect(streamOf(textChunks('event: message\nid: 7\ndata: {"type":"text-delta","data":{"text":"x"}}\n\n')))
    expect(events).toStrictEqual([{ ok: true, event: { type: 'text-delta', text: 'x' } }])
  })

  it('blank lines without data yield nothing', async () => {
    expect(await collect(streamOf(textChunks('\n\n\n\r\n\r\n')))).toStrictEqual([])
  })

  it('an empty stream yields nothing', async () => {
    expect(await collectBatches(streamOf([]))).toStrictEqual([])
  })

  it('multi-line data is joined with \\n, so a JSON split over two data lines decodes', async () => {
    const events = await collect(streamOf(textChunks('data: {"type":"text-delta",\ndata: "data":{"text":"joined"}}\n\n')))
    expect(events).toStrictEqual([{ ok: true, event: { type: 'text-delta', text: 'joined' } }])
  })

  it('multi-line data is joined with \\n (the newline is visible inside a JSON string split)', async () => {
    // A JSON string cannot hold a raw newline, so this proves the separator is exactly "\n": the frame is malformed,
    // and its raw value shows the join.
    const events = await collect(streamOf(textChunks('data: {"type":"text-delta","data":{"text":"a\ndata: b"}}\n\n')))
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ ok: false, reason: 'malformed', value: '{"type":"text-delta","data":{"text":"a\nb"}}' })
  })

  it('multi-line data with CRLF', async () => {
    const events = await collect(streamOf(textChunks('data: {"type":"done",\r\ndata: "data":{"text":"ok"}}\r\n\r\n')))
    expect(events).toStrictEqual([{ ok: true, event: { type: 'done', text: 'ok' } }])
  })

  it('"data:" without a space is read the same', async () => {
    expect(await collect(streamOf(textChunks('data:{"type":"text-delta","data":{"text":"n"}}\n\ndata:[DONE]\n\n')))).toStrictEqual([
      { ok: true, event: { type: 'text-delta', text: 'n' } },
      { ok: true, end: true },
    ])
  })

  it('[DONE] yields the end marker', async () => {
    expect(await collectBatches(streamOf(textChunks('data: [DONE]\n\n')))).toStrictEqual([[{ ok: true, end: true }]])
  })

  it('frames after [DONE] are still read (the reader does not stop by itself)', async () => {
    const events = await collect(streamOf(textChunks('data: [DONE]\n\n', line('text-delta', { text: 'late' }))))
    expect(events).toStrictEqual([{ ok: true, end: true }, { ok: true, event: { type: 'text-delta', text: 'late' } }])
  })

  it('malformed and unknown frames are yielded in place, between good ones', async () => {
    const events = await collect(
      streamOf(textChunks(line('text-delta', { text: 'a' }), 'data: {not json\n\n', line('heartbeat', {}), line('text-delta', { text: 'b' }))),
    )
    expect(events).toHaveLength(4)
    expect(events[0]).toStrictEqual({ ok: true, event: { type: 'text-delta', text: 'a' } })
    expect(events[1]).toMatchObject({ ok: false, reason: 'malformed', value: '{not json' })
    expect(events[2]).toMatchObject({ ok: false, reason: 'unknown-type', type: 'heartbeat' })
    expect(events[3]).toStrictEqual({ ok: true, event: { type: 'text-delta', text: 'b' } })
  })
})

describe('readSseFrames: UTF-8', () => {
  it.each([
    ['€', 3],
    ['😀', 4],
    ['é', 2],
  ])('%s split inside its bytes decodes correctly', async (char, byteLength) => {
    const text = `a${char}b`
    const bytes = encoder.encode(line('text-delta', { text }))
    const at = new TextDecoder().decode(bytes).indexOf(char)
    // byte offset of the character = byte length of the prefix
    const offset = encoder.encode(new TextDecoder().decode(bytes).slice(0, at)).length
    expect(encoder.encode(char).length).toBe(byteLength)
    for (let cut = 1; cut < byteLength; cut++) {
      const split = offset + cut
      const events = await collect(streamOf([bytes.slice(0, split), bytes.slice(split)]))
      expect(events).toStrictEqual([{ ok: true, event: { type: 'text-delta', text } }])
    }
  })

  it('a 4-byte character spread over four 1-byte chunks', async () => {
    const head = encoder.encode('data: {"type":"text-delta","data":{"text":"')
    const emoji = encoder.encode('😀')
    const tail = encoder.encode('"}}\n\n')
    const chunks = [head, ...splitBytes(emoji, 1), tail]
    expect(chunks).toHaveLength(6)
    expect(await collect(streamOf(chunks))).toStrictEqual([{ ok: true, event: { type: 'text-delta', text: '😀' } }])
  })

  it('no replacement characters appear', async () => {
    const text = '€😀€😀'
    const events = await collect(streamOf(splitBytes(encoder.encode(line('reasoning-delta', { text })), 1)))
    expect(events).toStrictEqual([{ ok: true, event: { type: 'reasoning-delta', text } }])
    expect(JSON.stringify(events)).not.toContain('\uFFFD')
  })
})

describe('readSseFrames: onActivity', () => {
  it('is called once per chunk, comments included', async () => {
    const onActivity = vi.fn()
    const events = await collect(streamOf(textChunks(': keepalive\n\n', ': keepalive\n\n', line('text-delta', { text: 'x' }))), { onActivity })
    expect(onActivity).toHaveBeenCalledTimes(3)
    expect(events).toStrictEqual([{ ok: true, event: { type: 'text-delta', text: 'x' } }])
  })

  it('a keep-alive-only stream calls onActivity and yields nothing', async () => {
    const onActivity = vi.fn()
    const batches = await collectBatches(streamOf(textChunks(': keepalive\n\n', ':\n\n')), { onActivity })
    expect(batches).toStrictEqual([])
    expect(onActivity).toHaveBeenCalledTimes(2)
  })

  it('is called before the batch of that chunk is yielded', async () => {
    const log: string[] = []
    for await (const batch of readSseFrames(streamOf(textChunks(line('text-delta', { text: 'x' }), line('text-delta', { text: 'y' }))), {
      onActivity: () => log.push('activity'),
    })) {
      log.push(`batch:${batch.length}`)
    }
    expect(log).toStrictEqual(['activity', 'batch:1', 'activity', 'batch:1'])
  })

  it('is called once per 1-byte chunk', async () => {
    const onActivity = vi.fn()
    const bytes = encoder.encode(': k\n\n')
    await collect(streamOf(splitBytes(bytes, 1)), { onActivity })
    expect(onActivity).toHaveBeenCalledTimes(bytes.length)
  })
})

describe('readSseFrames: end of stream', () => {
  it('a truncated final frame does not throw and does not lose the frames before it', async () => {
    const events = await collect(streamOf(textChunks(line('text-delta', { text: 'kept' }), 'data: {"type":"text-delta","data":{"text":"cu')))
    expect(events[0]).toStrictEqual({ ok: true, event: { type: 'text-delta', text: 'kept' } })
    for (const e of events.slice(1)) expect(e).toMatchObject({ ok: false, reason: 'malformed' })
  })

  it.each([
    ['one newline', 'data: {"type":"done","data":{"text":"x"}}\n'],
    ['no newline', 'data: {"type":"done","data":{"text":"x"}}'],
    ['CRLF only', 'data: {"type":"done","data":{"text":"x"}}\r\n'],
  ])('a final frame with %s before EOF is still decoded', async (_name, tail) => {
    expect(await collect(streamOf(textChunks(line('text-delta', { text: 'a' }), tail)))).toStrictEqual([
      { ok: true, event: { type: 'text-delta', text: 'a' } },
      { ok: true, event: { type: 'done', text: 'x' } },
    ])
  })

  it('a final frame cut mid-JSON is reported as malformed, not silently lost', async () => {
    const events = await collect(streamOf(textChunks('data: {"type":"text-delta","data":{"text":"He')))
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ ok: false, reason: 'malformed' })
  })

  it('a bare-CR stream whose last byte is CR keeps its [DONE]', async () => {
    expect(await collect(streamOf(textChunks('data: {"type":"done","data":{}}\r\rdata: [DONE]\r')))).toStrictEqual([
      { ok: true, event: { type: 'done' } },
      { ok: true, end: true },
    ])
  })

  it('a stream cut after the last blank line keeps every frame (no [DONE])', async () => {
    expect(await collect(streamOf(textChunks(line('text-delta', { text: 'a' }), line('text-delta', { text: 'b' }))))).toStrictEqual([
      { ok: true, event: { type: 'text-delta', text: 'a' } },
      { ok: true, event: { type: 'text-delta', text: 'b' } },
    ])
  })
})

describe('readSseFrames: cancellation and errors', () => {
  it('a reader never iterated leaves no abort listener behind once the signal fires (a turn stopped before its headers)', async () => {
    const { EventEmitter } = await import('node:events')
    const listeners = (): number => EventEmitter.getEventListeners(abort.signal, 'abort').length
    const cancelled = vi.fn()
    const abort = new AbortController()
    const frames = readSseFrames(streamOf(textChunks('data: {"type":"done"}\n\n'), cancelled), { signal: abort.signal })
    await frames.return(undefined)
    expect(listeners()).toBe(1)
    abort.abort()
    await Promise.resolve()
    expect(cancelled).toHaveBeenCalled()
    expect(listeners()).toBe(0)
  })

  it('return() early cancels the underlying stream', async () => {
    const onCancel = vi.fn()
    const stream = streamOf(textChunks(line('text-delta', { text: 'a' }), line('text-delta', { text: 'b' }), line('text-delta', { text: 'c' })), onCancel)
    const iterator = readSseFrames(stream)
    const first = await iterator.next()
    expect(first).toStrictEqual({ done: false, value: [{ ok: true, event: { type: 'text-delta', text: 'a' } }] })
    expect(onCancel).not.toHaveBeenCalled()
    const returned = await iterator.return(undefined)
    expect(returned).toStrictEqual({ done: true, value: undefined })
    // let the cancel algorithm run
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(onCancel).toHaveBeenCalledTimes(1)
    expect(stream.locked).toBe(false)
    expect(await iterator.next()).toStrictEqual({ done: true, value: undefined })
  })

  it('breaking out of for-await cancels the stream', async () => {
    const onCancel = vi.fn()
    const stream = streamOf(textChunks(line('text-delta', { text: 'a' }), line('text-delta', { text: 'b' })), onCancel)
    const seen: FrameResult[] = []
    for await (const batch of readSseFrames(stream)) {
      seen.push(...batch)
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(seen).toStrictEqual([{ ok: true, event: { type: 'text-delta', text: 'a' } }])
    expect(onCancel).toHaveBeenCalledTimes(1)
  })

  it('reading to the end does not cancel the stream and releases it', async () => {
    const onCancel = vi.fn()
    const stream = streamOf(textChunks(HELLO_STREAM), onCancel)
    expect(await collect(stream)).toStrictEqual(HELLO_EVENTS)
    expect(onCancel).not.toHaveBeenCalled()
    expect(stream.locked).toBe(false)
  })

  it('a stream that errors mid-way rejects with that error after the earlier frames', async () => {
    const failure = new TypeError('network connection lost')
    let n = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        n++
        if (n === 1) controller.enqueue(encoder.encode(line('text-delta', { text: 'one' })))
        else if (n === 2) controller.enqueue(encoder.encode(line('text-delta', { text: 'two' })))
        else controller.error(failure)
      },
    })
    const seen: FrameResult[] = []
    let caught: unknown
    try {
      for await (const batch of readSseFrames(stream)) seen.push(...batch)
    } catch (error) {
      caught = error
    }
    expect(seen).toStrictEqual([
      { ok: true, event: { type: 'text-delta', text: 'one' } },
      { ok: true, event: { type: 'text-delta', text: 'two' } },
    ])
    expect(caught).toBe(failure)
  })

  it('an error mid-way rejects next() with that error', async () => {
    const failure = new Error('boom')
    let n = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (n++ === 0) controller.enqueue(encoder.encode(line('done', { text: 'x' })))
        else controller.error(failure)
      },
    })
    const iterator = readSseFrames(stream)
    expect(await iterator.next()).toStrictEqual({ done: false, value: [{ ok: true, event: { type: 'done', text: 'x' } }] })
    await expect(iterator.next()).rejects.toBe(failure)
    expect(await iterator.next()).toStrictEqual({ done: true, value: undefined })
  })
})

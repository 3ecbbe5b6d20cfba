/**
 * The stream corpus (tests/fixtures/streams): raw SSE transcripts, each with the final state it must produce.
 * Every transcript is replayed through the real `createOpenClawClient` + `ChatController`, whole and in random
 * chunkings (fast-check). For every chunking: no exception escapes, no text is lost, the body is fully read or
 * cancelled (never left open or locked), the controller is idle, and the final state is the same as for one chunk
 * and equal to the `.expected.json` file.
 *
 * File format (see tests/fixtures/streams/README.md): `NN-name.sse` holds the bytes exactly as a server sends them;
 * `NN-name.expected.json` holds `end` (`eof` by default; `reset`: the body errors after the last byte; `silence`:
 * the stream stays open), or `generate` for the big transcripts built at test time, and the expected state.
 *
 * The fake fetch deliberately ignores the AbortSignal: closing the body is the client's job, not the fetch's.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpenClawClient } from '../../src/client'
import { createChatStore, messageText, type ChatMessage, type ChatState, type FinishReason, type MessagePart } from '../../src/core'
import type { ChatEvent } from '../../src/protocol'
import { chunksAt, midCharacterCuts } from '../helpers/chunks'
import { disposedAfterEach, recordingController } from '../helpers/controllers'

const DIR = fileURLToPath(new URL('../fixtures/streams/', import.meta.url))
/** The stall timeout of every replay; `silence` transcripts expect its message. */
const STALL_MS = 50
const encoder = new TextEncoder()

type End = 'eof' | 'reset' | 'silence'
type Delivery = 'eager' | 'pull'

interface Generate {
  kind: 'huge-delta' | 'tiny-deltas'
  unit: string
  count: number
}

interface Expected {
  description: string
  end?: End
  generate?: Generate
  status: ChatState['status']
  runId: string | null
  error: { kind: string; message: string; errorKind?: string; code?: string } | null
  usage: ChatState['usage']
  messages: unknown[]
  diagnostics: number
  unknown: string[]
}

interface Entry {
  id: string
  bytes: Uint8Array
  end: End
  expected: Expected
  generated: boolean
}

// ---------------------------------------------------------------------------------------------------------------
// Loading the corpus

/** `{ "$repeat": unit, "count": n }` anywhere in an expected file stands for `unit` repeated `n` times. */
function expand(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expand)
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    if (typeof record.$repeat === 'string' && typeof record.count === 'number') return record.$repeat.repeat(record.count)
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(record)) Object.defineProperty(out, key, { value: expand(record[key]), enumerable: true, writable: true, configurable: true })
    return out
  }
  return value
}

const frame = (type: string, data: Record<string, unknown>): string => `data: ${JSON.stringify({ type, data })}\n\n`

function generate(spec: Generate): Uint8Array {
  const full = spec.unit.repeat(spec.count)
  if (spec.kind === 'huge-delta') {
    return encoder.encode(frame('lifecycle', { phase: 'start', runId: 'run-huge' }) + frame('text-delta', { text: full }) + frame('done', { text: full }) + 'data: [DONE]\n\n')
  }
  const parts: string[] = [frame('lifecycle', { phase: 'start', runId: 'run-tiny' })]
  for (const char of Array.from(full)) parts.push(frame('text-delta', { text: char }))
  parts.push(frame('done', { text: full }), 'data: [DONE]\n\n')
  return encoder.encode(parts.join(''))
}

function loadCorpus(): Entry[] {
  const ids = readdirSync(DIR)
    .filter((name) => name.endsWith('.expected.json'))
    .map((name) => name.slice(0, -'.expected.json'.length))
    .sort()
  return ids.map((id) => {
    const expected = expand(JSON.parse(readFileSync(`${DIR}${id}.expected.json`, 'utf8'))) as Expected
    const ssePath = `${DIR}${id}.sse`
    let bytes: Uint8Array
    if (existsSync(ssePath)) bytes = new Uint8Array(readFileSync(ssePath))
    else if (expected.generate !== undefined) bytes = generate(expected.generate)
    else throw new Error(`${id}: neither a .sse file nor a generate spec`)
    return { id, bytes, end: expected.end ?? 'eof', expected, generated: expected.generate !== undefined }
  })
}

const corpus = loadCorpus()

// ---------------------------------------------------------------------------------------------------------------
// Replaying one transcript

interface BodyProbe {
  stream: ReadableStream<Uint8Array>
  cancelled: boolean
}

/** A response body serving `chunks` (all at once, or one per read), then closing, erroring, or staying open. */
function bodyOf(chunks: readonly Uint8Array[], delivery: Delivery, end: End): BodyProbe {
  let i = 0
  let release: (() => void) | undefined
  const probe: BodyProbe = {
    cancelled: false,
    stream: new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          await Promise.resolve()
          if (i < chunks.length) {
            if (delivery === 'eager') while (i < chunks.length) controller.enqueue(chunks[i++] as Uint8Array)
            else controller.enqueue(chunks[i++] as Uint8Array)
            return
          }
          // Erroring only once everything was read: an errored stream discards what is still queued.
          if (end === 'eof') controller.close()
          else if (end === 'reset') controller.error(new TypeError('network error: connection reset'))
          else await new Promise<void>((resolve) => (release = resolve))
        },
        cancel() {
          probe.cancelled = true
          release?.()
        },
      },
      { highWaterMark: 0 },
    ),
  }
  return probe
}

interface Outcome {
  state: ChatState
  busy: boolean
  events: ChatEvent[]
  unknown: Array<{ type: string; value: unknown }>
  diagnostics: Array<{ message: string; value: unknown }>
  finishes: Array<{ finish: FinishReason; text: string | undefined; error: string | undefined }>
  requests: string[]
  probe: BodyProbe
}

const controllers = disposedAfterEach()

async function replay(entry: Entry, chunks: readonly Uint8Array[], delivery: Delivery): Promise<Outcome> {
  const probe = bodyOf(chunks, delivery, entry.end)
  const requests: string[] = []
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = String(input)
    requests.push(url)
    if (url.endsWith('/chat/stop')) return new Response(JSON.stringify({ ok: true, aborted: true, runIds: [] }), { headers: { 'content-type': 'application/json' } })
    return new Response(probe.stream, { status: 200, headers: { 'content-type': 'text/event-stream' } })
  }
  const { chat, log } = recordingController({
    agentId: 'main',
    transport: createOpenClawClient({ fetch }),
    // The stall timer needs a real clock; message timestamps are normalized below.
    now: entry.end === 'silence' ? Date.now : () => 1000,
    store: createChatStore({ now: () => 1000 }),
    stallTimeoutMs: entry.end === 'silence' ? STALL_MS : 10_000,
  })
  controllers.push(chat)
  await chat.send('q') // an exception escaping the client or the controller fails the test here
  await new Promise((resolve) => setTimeout(resolve, 0)) // let a stop POST (stall) go out
  const state = chat.store.getState()
  return {
    state: { ...state, messages: state.messages.map((m) => ({ ...m, createdAt: 0 })) },
    busy: chat.busy,
    events: log.events,
    unknown: log.unknown,
    diagnostics: log.diagnostics,
    finishes: log.finishes.map((info) => ({ finish: info.finish, text: info.message === undefined ? undefined : messageText(info.message), error: info.error?.message })),
    requests,
    probe,
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The expected-file view of a state

function partSummary(part: MessagePart): Record<string, unknown> {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text }
    case 'reasoning':
      return { type: 'reasoning', text: part.text, state: part.state }
    case 'attachment':
      return { type: 'attachment', attachment: part.attachment }
    case 'tool': {
      const out: Record<string, unknown> = { type: 'tool', toolCallId: part.toolCallId, name: part.name, state: part.state }
      for (const key of ['label', 'subject', 'arguments', 'durationMs', 'output'] as const) if (part[key] !== undefined) out[key] = part[key]
      return out
    }
  }
}

function messageSummary(m: ChatMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { role: m.role }
  if (m.finish !== undefined) out.finish = m.finish
  if (m.usage !== undefined) out.usage = m.usage
  if (m.error !== undefined) out.error = m.error.errorKind === undefined ? { kind: m.error.kind, message: m.error.message } : { ...m.error }
  out.parts = m.parts.map(partSummary)
  return out
}

function summary(o: Outcome): Omit<Expected, 'description' | 'end' | 'generate'> {
  const s = o.state
  let error: Expected['error'] = null
  if (s.error !== undefined) {
    error = { kind: s.error.kind, message: s.error.message }
    if (s.error.errorKind !== undefined) error.errorKind = s.error.errorKind
    if (s.error.code !== undefined) error.code = s.error.code
  }
  return {
    status: s.status,
    runId: s.runId ?? null,
    error,
    usage: s.usage,
    messages: s.messages.map(messageSummary),
    diagnostics: o.diagnostics.length,
    unknown: o.unknown.map((u) => u.type),
  }
}

const assistantText = (messages: readonly unknown[]): string =>
  messages
    .filter((m): m is { role: string; parts: Array<{ type: string; text?: unknown }> } => (m as { role?: unknown }).role === 'assistant')
    .flatMap((m) => m.parts)
    .map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : ''))
    .join('')

/** Nothing reached a prototype (the corpus holds `__proto__`, `constructor` and `prototype` keys). */
function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>
  expect(probe.polluted).toBeUndefined()
  expect(Object.prototype).not.toHaveProperty('polluted')
  expect(Object.prototype).not.toHaveProperty('text')
  expect(Object.prototype).not.toHaveProperty('tokensIn')
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(OBJECT_PROTO_KEYS)
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(ARRAY_PROTO_KEYS)
}
const OBJECT_PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort()
const ARRAY_PROTO_KEYS = Object.getOwnPropertyNames(Array.prototype).sort()

/** Every invariant of one replay, against the expected file and (when given) the one-chunk reference. */
async function check(entry: Entry, o: Outcome, reference?: Outcome): Promise<void> {
  // the controller is idle, nothing is left streaming
  expect(o.busy).toBe(false)
  expect(o.state.live).toBeUndefined()
  expect(['ready', 'error']).toContain(o.state.status)
  expect(o.finishes).toHaveLength(1)
  // the body was read to its end or cancelled, and released: a fresh reader sees it closed (or errored: reset)
  expect(o.probe.stream.locked).toBe(false)
  const reader = o.probe.stream.getReader()
  const read = await Promise.race([
    reader.read().then(
      (r) => (r.done ? 'closed' : 'data left'),
      () => 'errored',
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('open'), 200)),
  ])
  reader.releaseLock()
  expect(read).toBe(entry.end === 'reset' && !o.probe.cancelled ? 'errored' : 'closed')
  if (entry.end === 'silence') expect(o.probe.cancelled).toBe(true)
  // no text lost: the answer is exactly the expected text
  expect(assistantText(summary(o).messages)).toBe(assistantText(entry.expected.messages))
  // the expected final state
  const { description: _d, end: _e, generate: _g, ...expected } = entry.expected
  expectSame(summary(o), expected)
  expect(o.requests[0]).toBe('/claw/agents/main/chat')
  expectNoPollution()
  if (reference !== undefined) {
    const { probe: _p, ...rest } = o
    const { probe: _r, ...ref } = reference
    expectSame(rest, ref)
  }
}

/**
 * Strict deep equality. Not `toStrictEqual`: it compares `a.constructor === b.constructor`, which an own
 * `constructor` key (the prototype-keys transcript) turns into an identity check. `toEqual` first for a readable
 * diff, then a canonical form that keeps what `toEqual` forgives (undefined vs missing keys, classes, error fields).
 */
function expectSame(actual: unknown, expected: unknown): void {
  expect(actual).toEqual(expected)
  expect(canonical(actual)).toBe(canonical(expected))
}

function canonical(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? String(value)
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  const proto: unknown = Object.getPrototypeOf(value)
  const ctor = proto === null ? 'null' : (Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as { name?: string } | undefined)?.name ?? '?'
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).sort()
  if (value instanceof Error) keys.unshift('message')
  return `${ctor}{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(',')}}`
}

// ---------------------------------------------------------------------------------------------------------------
// Chunkings



/** Offsets between a `\r` and a `\n`. */
function crLfCuts(bytes: Uint8Array): number[] {
  const out: number[] = []
  for (let i = 1; i < bytes.length; i++) if (bytes[i - 1] === 0x0d && bytes[i] === 0x0a) out.push(i)
  return out
}

/** Random cuts (duplicates give empty chunks) or fixed-size chunks, plus one cut inside a character and one inside a CRLF when there are any. */
function cutsArbitrary(bytes: Uint8Array, big: boolean): fc.Arbitrary<number[]> {
  const len = bytes.length
  const random = fc.array(fc.integer({ min: 0, max: len }), { maxLength: big ? 120 : 60 })
  const dense = fc
    .tuple(fc.integer(big ? { min: 512, max: 65_536 } : { min: 1, max: 16 }), fc.integer({ min: 0, max: 15 }))
    .map(([size, offset]) => Array.from({ length: Math.floor(len / size) + 1 }, (_, k) => Math.min(len, offset + k * size)))
  const special = [...midCharacterCuts(bytes).slice(0, 5000), ...crLfCuts(bytes)]
  const extra = special.length === 0 ? fc.constant<number[]>([]) : fc.array(fc.constantFrom(...special), { minLength: 1, maxLength: 3 })
  return fc.tuple(fc.oneof(random, dense), extra).map(([a, b]) => [...a, ...b])
}

// ---------------------------------------------------------------------------------------------------------------

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason)
}
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled)
})
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
  expect(unhandled).toEqual([])
})

describe('the stream corpus', () => {
  it('holds at least 40 committed transcripts, each with an expected state, and the generated big ones', () => {
    const committed = corpus.filter((e) => !e.generated)
    expect(committed.length).toBeGreaterThanOrEqual(40)
    expect(corpus.filter((e) => e.generated).map((e) => e.id)).toEqual(expect.arrayContaining([expect.stringContaining('huge-delta'), expect.stringContaining('100k-tiny-deltas')]))
    const huge = corpus.find((e) => e.id.endsWith('huge-delta'))
    expect(huge?.bytes.length).toBeGreaterThanOrEqual(1 << 20)
    const tiny = corpus.find((e) => e.id.endsWith('100k-tiny-deltas'))
    expect(new TextDecoder().decode(tiny?.bytes).split('"type":"text-delta"')).toHaveLength(100_001)
    // every end mode is represented
    expect(new Set(corpus.map((e) => e.end))).toEqual(new Set(['eof', 'reset', 'silence']))
  })

  for (const entry of corpus) {
    describe(`${entry.id}: ${entry.expected.description}`, () => {
      it('whole, as one chunk: the expected state', async () => {
        await check(entry, await replay(entry, [entry.bytes], 'eager'))
      })

      if (!entry.generated) {
        it('one byte per read, cut inside every character and every CRLF: the same state', async () => {
          const reference = await replay(entry, [entry.bytes], 'eager')
          await check(entry, await replay(entry, chunksAt(entry.bytes, Array.from({ length: entry.bytes.length }, (_, i) => i)), 'pull'), reference)
          const special = [...midCharacterCuts(entry.bytes), ...crLfCuts(entry.bytes)]
          if (special.length > 0) await check(entry, await replay(entry, chunksAt(entry.bytes, special), 'eager'), reference)
        })
      }

      it('any chunking (property): the same state', async () => {
        const reference = await replay(entry, [entry.bytes], 'eager')
        await fc.assert(
          fc.asyncProperty(cutsArbitrary(entry.bytes, entry.generated), fc.constantFrom<Delivery>('eager', 'pull'), async (cuts, delivery) => {
            await check(entry, await replay(entry, chunksAt(entry.bytes, cuts), delivery), reference)
          }),
          { numRuns: entry.generated ? 3 : entry.end === 'silence' ? 6 : 12 },
        )
      })
    })
  }
})

/**
 * Chunking invariance: however the network cuts a recorded SSE transcript into chunks (1 byte each, inside a
 * multi-byte character, between `\r` and `\n`, empty chunks), a turn ends in exactly the state it reaches when the
 * whole transcript arrives as one chunk.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createOpenClawClient } from '../../src/client'
import { messageText, type ChatMessage, type ChatState, type FinishReason } from '../../src/core'
import type { ChatEvent } from '../../src/protocol'
import { chunksAt, oneBytePerChunk, midCharacterCuts } from '../helpers/chunks'
import { disposedAfterEach, recordingController } from '../helpers/controllers'

const encoder = new TextEncoder()

const controllers = disposedAfterEach()

// ---------------------------------------------------------------------------------------------------------------
// Transcripts: exact bytes, as a server writes them.

/** One `{type, data}` frame with LF line endings. JSON.stringify keeps non-ASCII characters as raw UTF-8. */
const f = (type: string, data?: Record<string, unknown>): string => `data: ${JSON.stringify(data === undefined ? { type } : { type, data })}\n\n`
const DONE = 'data: [DONE]\n\n'

const PLAIN_DELTAS = [
  'Héllo', ' wörld', ', ', 'the price ', 'is 5 €', ' (or 4,5', '0 €)', '. A smile: ', '😀', '😀 ', 'and ', '漢字',
  'とかな', ' 中文', '字符', '. Ça ', 'va? ', 'Naïve ', 'café', ' — ', 'fin', '.',
]
const PLAIN_TEXT = PLAIN_DELTAS.join('')

const PLAIN =
  f('lifecycle', { phase: 'start', runId: 'run-plain' }) +
  PLAIN_DELTAS.map((text) => f('text-delta', { text })).join('') +
  f('lifecycle', { phase: 'end', runId: 'run-plain' }) +
  f('usage', { tokensIn: 120, tokensOut: 34, costUsd: 0.0021 }) +
  f('done', { text: PLAIN_TEXT }) +
  DONE

const REASONING_TEXT = 'Überlegung → erst suchen, dann 検索結果 lesen. then check the notes.'
const TOOLS =
  f('lifecycle', { phase: 'start', runId: 'run-tools' }) +
  f('reasoning-delta', { text: 'Überlegung → ' }) +
  f('reasoning-delta', { text: 'erst suchen, dann 検索' }) +
  f('reasoning-delta', { text: '結果 lesen.' }) +
  // legacy name for the same thing, and `delta` instead of `text`
  f('thinking', { delta: ' then check the notes.' }) +
  f('text-delta', { text: 'Checking… ' }) +
  f('tool-start', { toolCallId: 't1', toolName: 'web_search', label: 'Searched the web', subject: 'café € prices', arguments: { query: 'café € prices', limit: 3 } }) +
  // overlapping: t2 starts before t1 ends, and ends after it
  f('tool-start', { toolCallId: 't2', toolName: 'fetch_url', label: 'Read a page', subject: 'https://例え.jp/', args: { url: 'https://例え.jp/' } }) +
  f('tool-end', { toolCallId: 't1', isError: false, output: '3 results 😀', durationMs: 640 }) +
  f('tool-end', { toolCallId: 't2', status: 'failed', result: 'getaddrinfo ENOTFOUND 例え.jp', durationMs: 210 }) +
  // a numeric id, a status-style end without output, then the legacy `tool-output` adding it
  f('tool-start', { id: 42, name: 'read', input: { path: 'notes.txt' } }) +
  f('tool-end', { toolCallId: 42, status: 'completed', durationMs: 120 }) +
  f('tool-output', { toolCallId: '42', isError: false, meta: 'notes.txt: 2 lines' }) +
  // a failing tool without a duration
  f('tool-start', { toolCallId: 't4', toolName: 'exec', label: 'Ran a command', arguments: { cmd: 'false' } }) +
  f('tool-end', { toolCallId: 't4', isError: true, output: { code: 1, stderr: 'boom ✗' } }) +
  f('text-delta', { text: 'Found it: ' }) +
  f('text-delta', { text: 'ünïcödé ✓' }) +
  f('lifecycle', { phase: 'end', runId: 'run-tools' }) +
  f('usage', { inputTokens: 500, outputTokens: 80 }) +
  // only the last text segment, as some servers send it: nothing is appended
  f('done', { text: 'Found it: ünïcödé ✓' }) +
  DONE

const CRLF =
  ': keep-alive\r\n\r\n' +
  'data: {"type":"lifecycle","data":{"phase":"start","runId":"run-crlf"}}\r\n\r\n' +
  'data: {"type":"text-delta","data":{"text":"Zeile eins – "}}\r\n\r\n' +
  ': keep-alive\r\n' +
  // one JSON value over two `data:` lines (joined with "\n", which JSON allows between tokens)
  'data: {"type":"text-delta",\r\n' +
  'data: "data":{"text":"über zwei Zeilen € "}}\r\n\r\n' +
  'data: {"type":"heartbeat","data":{"at":1}}\r\n\r\n' +
  'data: {"type":"text-delta","data":{"text":\r\n\r\n' +
  'retry: 1000\r\n\r\n' +
  'event: message\r\nid: 7\r\ndata: {"type":"text-delta","data":{"text":"😀 ok"}}\r\n\r\n' +
  ': keep-alive\r\n\r\n' +
  'data: {"type":"lifecycle","data":{"phase":"end"}}\r\n\r\n' +
  'data: {"type":"done"}\r\n\r\n' +
  'data: [DONE]\r\n\r\n'

const ERROR_MESSAGE = 'Das Modell hat abgelehnt — 拒否されました'
const ERROR =
  f('lifecycle', { phase: 'start', runId: 'run-err' }) +
  f('text-delta', { text: 'Ich habe angefangen, ' }) +
  f('text-delta', { text: 'und dann… 💥' }) +
  f('lifecycle', { phase: 'error', runId: 'run-err' }) +
  f('error', { message: ERROR_MESSAGE, errorKind: 'refusal', code: 451 }) +
  // a misbehaving server keeps talking after the terminal event: never read
  f('text-delta', { text: 'ignored after the error' }) +
  DONE

/** Cut off mid-frame, and mid-character: the last two bytes are the first two of the three of "€". */
const CUT_PREFIX =
  f('lifecycle', { phase: 'start', runId: 'run-cut' }) +
  f('reasoning-delta', { text: 'Hmm 🤔' }) +
  f('text-delta', { text: 'Das ist ein ' }) +
  f('text-delta', { text: 'abgeschnittener Sat' }) +
  f('tool-start', { toolCallId: 't9', toolName: 'search', subject: 'naïve' }) +
  'data: {"type":"text-delta","data":{"text":"5 '
const CUT_BYTES = concat(encoder.encode(CUT_PREFIX), encoder.encode('€').subarray(0, 2))

/** `[DONE]` without a `done` event (and no trailing blank line after it). */
const BARE_DONE = f('text-delta', { text: 'Nur ' }) + f('text-delta', { text: 'Text ✓' }) + 'data: [DONE]'

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// Running one turn over a chunked transcript.

interface Outcome {
  messages: ChatMessage[]
  live: ChatMessage | undefined
  status: ChatState['status']
  error: { kind: string; message: string; errorKind: string | undefined; code: string | undefined } | undefined
  usage: ChatState['usage']
  runId: string | undefined
  sessionKey: string | undefined
  queue: ChatState['queue']
  busy: boolean
  events: ChatEvent[]
  unknown: Array<{ type: string; value: unknown }>
  diagnostics: Array<{ message: string; value: unknown }>
  finishes: Array<{ finish: FinishReason; messageId: string | undefined; errorKind: string | undefined }>
  requests: Array<{ url: string; method: string; body: unknown }>
}

type Delivery = 'eager' | 'pull'



/** A fetch answering the chat POST with the given chunks (all enqueued at once, or one per pull). */
function fakeFetch(chunks: readonly Uint8Array[], delivery: Delivery, requests: Outcome['requests']): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    requests.push({ url, method: init?.method ?? 'GET', body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined })
    if (!url.endsWith('/chat')) throw new Error(`unexpected request to ${url}`)
    let i = 0
    const body = new ReadableStream<Uint8Array>(
      delivery === 'eager'
        ? {
            start(controller) {
              for (const chunk of chunks) controller.enqueue(chunk)
              controller.close()
            },
          }
        : {
            async pull(controller) {
              await Promise.resolve()
              const chunk = chunks[i++]
              if (chunk === undefined) controller.close()
              else controller.enqueue(chunk)
            },
          },
      { highWaterMark: 0 },
    )
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } })
  }
}

async function runTurn(chunks: readonly Uint8Array[], delivery: Delivery = 'eager'): Promise<Outcome> {
  const requests: Outcome['requests'] = []
  const { chat, log } = recordingController({
    agentId: 'main',
    transport: createOpenClawClient({ fetch: fakeFetch(chunks, delivery, requests) }),
    now: () => 1000, // stamps messages and times parts (the controller hands it to its store)
  })
  controllers.push(chat)
  await chat.send('q')
  const s = chat.store.getState()
  return {
    messages: s.messages,
    live: s.live,
    status: s.status,
    error: s.error === undefined ? undefined : { kind: s.error.kind, message: s.error.message, errorKind: s.error.errorKind, code: s.error.code },
    usage: s.usage,
    runId: s.runId,
    sessionKey: s.sessionKey,
    queue: s.queue,
    busy: chat.busy,
    events: log.events,
    unknown: log.unknown,
    diagnostics: log.diagnostics,
    finishes: log.finishes.map((info) => ({ finish: info.finish, messageId: info.message?.id, errorKind: info.error?.kind })),
    requests,
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Expected reference outcomes (the whole transcript in one chunk).

const USER: ChatMessage = { id: 'id-1', role: 'user', parts: [{ type: 'text', text: 'q' }], createdAt: 1000 }
const REQUESTS: Outcome['requests'] = [{ url: '/claw/agents/main/chat', method: 'POST', body: { message: 'q', sessionKey: 'id-2' } }]

interface Case {
  name: string
  bytes: Uint8Array
  check: (o: Outcome) => void
}

const cases: Case[] = [
  {
    name: 'plain answer with multi-byte text',
    bytes: encoder.encode(PLAIN),
    check(o) {
      expect(o.messages).toEqual([
        USER,
        { id: 'id-3', role: 'assistant', parts: [{ type: 'text', text: PLAIN_TEXT }], finish: 'done', usage: { tokensIn: 120, tokensOut: 34, costUsd: 0.0021 }, createdAt: 1000 },
      ])
      expect(messageText(o.messages[1] as ChatMessage)).toBe('Héllo wörld, the price is 5 € (or 4,50 €). A smile: 😀😀 and 漢字とかな 中文字符. Ça va? Naïve café — fin.')
      expect(o.status).toBe('ready')
      expect(o.error).toBeUndefined()
      expect(o.usage).toEqual({ tokensIn: 120, tokensOut: 34, costUsd: 0.0021 })
      expect(o.runId).toBe('run-plain')
      expect(o.events).toHaveLength(PLAIN_DELTAS.length + 4)
      expect(o.events.filter((e) => e.type === 'text-delta').map((e) => (e.type === 'text-delta' ? e.text : ''))).toEqual(PLAIN_DELTAS)
      expect(o.unknown).toEqual([])
      expect(o.diagnostics).toEqual([])
      expect(o.finishes).toEqual([{ finish: 'done', messageId: 'id-3', errorKind: undefined }])
    },
  },
  {
    name: 'reasoning, overlapping and failing tools, legacy names',
    bytes: encoder.encode(TOOLS),
    check(o) {
      const assistant = o.messages[1] as ChatMessage
      expect(assistant.parts.map((p) => p.type)).toEqual(['reasoning', 'text', 'tool', 'tool', 'tool', 'tool', 'text'])
      expect(assistant.parts).toEqual([
        { type: 'reasoning', text: REASONING_TEXT, state: 'done', startedAt: 1000, durationMs: 0 },
        { type: 'text', text: 'Checking… ' },
        {
          type: 'tool', toolCallId: 't1', name: 'web_search', label: 'Searched the web', subject: 'café € prices',
          arguments: { query: 'café € prices', limit: 3 }, state: 'done', startedAt: 1000, durationMs: 640, output: '3 results 😀',
        },
        {
          type: 'tool', toolCallId: 't2', name: 'fetch_url', label: 'Read a page', subject: 'https://例え.jp/',
          arguments: { url: 'https://例え.jp/' }, state: 'error', startedAt: 1000, durationMs: 210, output: 'getaddrinfo ENOTFOUND 例え.jp',
        },
        { type: 'tool', toolCallId: '42', name: 'read', arguments: { path: 'notes.txt' }, state: 'done', startedAt: 1000, durationMs: 120, output: 'notes.txt: 2 lines' },
        {
          type: 'tool', toolCallId: 't4', name: 'exec', label: 'Ran a command', arguments: { cmd: 'false' },
          state: 'error', startedAt: 1000, durationMs: 0, output: { code: 1, stderr: 'boom ✗' },
        },
        { type: 'text', text: 'Found it: ünïcödé ✓' },
      ])
      expect(o.messages).toEqual([USER, { id: 'id-3', role: 'assistant', parts: assistant.parts, finish: 'done', usage: { tokensIn: 500, tokensOut: 80 }, createdAt: 1000 }])
      expect(o.status).toBe('ready')
      expect(o.error).toBeUndefined()
      expect(o.usage).toEqual({ tokensIn: 500, tokensOut: 80, costUsd: 0 })
      expect(o.runId).toBe('run-tools')
      expect(o.diagnostics).toEqual([])
      expect(o.unknown).toEqual([])
    },
  },
  {
    name: 'CRLF, comments, multi-line data, unknown and malformed frames',
    bytes: encoder.encode(CRLF),
    check(o) {
      expect(o.messages).toEqual([
        USER,
        { id: 'id-3', role: 'assistant', parts: [{ type: 'text', text: 'Zeile eins – über zwei Zeilen € 😀 ok' }], finish: 'done', createdAt: 1000 },
      ])
      expect(o.messages[1]?.usage).toBeUndefined()
      expect(o.status).toBe('ready')
      expect(o.error).toBeUndefined()
      expect(o.usage).toEqual({ tokensIn: 0, tokensOut: 0, costUsd: 0 })
      expect(o.runId).toBe('run-crlf')
      expect(o.unknown).toEqual([{ type: 'heartbeat', value: { type: 'heartbeat', data: { at: 1 } } }])
      expect(o.diagnostics).toEqual([
        { message: 'frame is not valid JSON: "{\\"type\\":\\"text-delta\\",\\"data\\":{\\"text\\":"', value: '{"type":"text-delta","data":{"text":' },
      ])
      expect(o.events.map((e) => e.type)).toEqual(['lifecycle', 'text-delta', 'text-delta', 'text-delta', 'lifecycle', 'done'])
    },
  },
  {
    name: 'an error event after partial text',
    bytes: encoder.encode(ERROR),
    check(o) {
      expect(o.messages).toEqual([
        USER,
        {
          id: 'id-3', role: 'assistant', parts: [{ type: 'text', text: 'Ich habe angefangen, und dann… 💥' }], finish: 'error',
          error: { kind: 'server', message: ERROR_MESSAGE, errorKind: 'refusal' }, createdAt: 1000,
        },
      ])
      expect(o.status).toBe('error')
      expect(o.error).toEqual({ kind: 'server', message: ERROR_MESSAGE, errorKind: 'refusal', code: '451' })
      expect(o.runId).toBe('run-err')
      expect(o.events.map((e) => e.type)).toEqual(['lifecycle', 'text-delta', 'text-delta', 'lifecycle', 'error'])
      expect(o.finishes).toEqual([{ finish: 'error', messageId: 'id-3', errorKind: 'server' }])
    },
  },
  {
    name: 'a stream cut off mid-frame and mid-character (no done, no [DONE])',
    bytes: CUT_BYTES,
    check(o) {
      expect(o.messages).toEqual([
        USER,
        {
          id: 'id-3', role: 'assistant', finish: 'interrupted', createdAt: 1000,
          parts: [
            { type: 'reasoning', text: 'Hmm 🤔', state: 'done', startedAt: 1000, durationMs: 0 },
            { type: 'text', text: 'Das ist ein abgeschnittener Sat' },
            { type: 'tool', toolCallId: 't9', name: 'search', subject: 'naïve', state: 'interrupted', startedAt: 1000, durationMs: 0 },
          ],
          error: { kind: 'network', message: 'The connection closed before the answer finished' },
        },
      ])
      expect(o.status).toBe('error')
      expect(o.error).toEqual({ kind: 'network', message: 'The connection closed before the answer finished', errorKind: undefined, code: undefined })
      expect(o.runId).toBe('run-cut')
      // the half frame is dispatched at the end of the stream (a truncated UTF-8 sequence decodes to U+FFFD)
      expect(o.diagnostics).toEqual([
        { message: 'frame is not valid JSON: "{\\"type\\":\\"text-delta\\",\\"data\\":{\\"text\\":\\"5 \uFFFD"', value: '{"type":"text-delta","data":{"text":"5 \uFFFD' },
      ])
      expect(o.finishes).toEqual([{ finish: 'interrupted', messageId: 'id-3', errorKind: 'network' }])
    },
  },
  {
    name: '[DONE] without a done event',
    bytes: encoder.encode(BARE_DONE),
    check(o) {
      expect(o.messages).toEqual([USER, { id: 'id-3', role: 'assistant', parts: [{ type: 'text', text: 'Nur Text ✓' }], finish: 'done', createdAt: 1000 }])
      expect(o.status).toBe('ready')
      expect(o.error).toBeUndefined()
      expect(o.runId).toBeUndefined()
      expect(o.events).toEqual([{ type: 'text-delta', text: 'Nur ' }, { type: 'text-delta', text: 'Text ✓' }])
    },
  },
]

/** Cut points: random positions (duplicates give empty chunks), always at least one inside a character. */
function cutsArbitrary(bytes: Uint8Array): fc.Arbitrary<number[]> {
  const inside = midCharacterCuts(bytes)
  const random = fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 80 })
  const dense = fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 11 }))
    .map(([size, offset]) => Array.from({ length: Math.floor(bytes.length / size) + 1 }, (_, k) => Math.min(bytes.length, offset + k * size)))
  return fc.tuple(fc.oneof(random, dense), fc.constantFrom(...inside)).map(([cuts, mid]) => [...cuts, mid])
}

describe('chunking invariance: the final state does not depend on where the bytes were cut', () => {
  for (const c of cases) {
    describe(c.name, () => {
      it('the one-chunk reference state is the expected one', async () => {
        const o = await runTurn([c.bytes])
        expect(o.busy).toBe(false)
        expect(o.live).toBeUndefined()
        expect(o.queue).toEqual([])
        expect(o.sessionKey).toBe('id-2')
        expect(o.requests).toEqual(REQUESTS)
        c.check(o)
      })

      it('1 byte per chunk gives the same state', async () => {
        const reference = await runTurn([c.bytes])
        const chunks = oneBytePerChunk(c.bytes)
        expect(chunks).toHaveLength(c.bytes.length)
        const o = await runTurn(chunks, 'pull')
        expect(o).toStrictEqual(reference)
        c.check(o)
      })

      it('cuts inside every multi-byte character give the same state', async () => {
        const reference = await runTurn([c.bytes])
        const inside = midCharacterCuts(c.bytes)
        expect(inside.length).toBeGreaterThanOrEqual(2)
        expect(await runTurn(chunksAt(c.bytes, inside))).toStrictEqual(reference)
      })

      it('any split gives the same state (property)', async () => {
        const reference = await runTurn([c.bytes])
        c.check(reference)
        await fc.assert(
          fc.asyncProperty(cutsArbitrary(c.bytes), fc.constantFrom<Delivery>('eager', 'pull'), async (cuts, delivery) => {
            const chunks = chunksAt(c.bytes, cuts)
            expect(concat(...chunks)).toEqual(c.bytes)
            const o = await runTurn(chunks, delivery)
            expect(o).toStrictEqual(reference)
          }),
          { numRuns: 100 },
        )
      })
    })
  }

  it('the CRLF transcript also survives a cut between every `\\r` and its `\\n`', async () => {
    const bytes = encoder.encode(CRLF)
    const reference = await runTurn([bytes])
    const betweenCrLf: number[] = []
    for (let i = 1; i < bytes.length; i++) if (bytes[i - 1] === 0x0d && bytes[i] === 0x0a) betweenCrLf.push(i)
    expect(betweenCrLf).toHaveLength(28)
    expect(await runTurn(chunksAt(bytes, betweenCrLf), 'pull')).toStrictEqual(reference)
  })
})

/**
 * Deterministic data of the browser benchmarks (runs in the page): a settled history, one streamed answer as a script
 * of events, and that script encoded in both protocols — ours (`/claw` SSE `{type, data}` frames) and the AI SDK's UI
 * message stream (SSE of `start`, `text-*`, `reasoning-*`, `tool-*`, `finish`, `[DONE]`) — delivered by an in-page
 * `fetch` at the same pace.
 */
import type { UIMessage } from 'ai'
import type { ChatMessage, MessagePart } from '../../src/core/types'

/** A small LCG: every page load builds the same transcript. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff)
}

const WORDS = 'the agent reads a file runs the tests and explains why the store keeps its identity while a delta arrives caf\u00e9 ok `code` **bold** value'.split(' ')

function words(rand: () => number, n: number): string {
  let s = ''
  for (let i = 0; i < n; i++) s += (i === 0 ? '' : ' ') + (WORDS[Math.floor(rand() * WORDS.length)] as string)
  return s
}

/** Markdown of the kinds an agent writes: paragraphs, a list, sometimes a heading or a code block. */
function markdown(rand: () => number, paragraphs: number): string {
  const blocks: string[] = []
  for (let p = 0; p < paragraphs; p++) {
    const r = rand()
    if (r < 0.15) blocks.push(`## ${words(rand, 4)}`)
    else if (r < 0.3) blocks.push(['- ' + words(rand, 6), '- ' + words(rand, 8), '- ' + words(rand, 5)].join('\n'))
    else if (r < 0.4) blocks.push(['```ts', `const value = ${Math.floor(rand() * 100)}`, 'export function read(path: string) {', '  return path.length', '}', '```'].join('\n'))
    blocks.push(words(rand, 20 + Math.floor(rand() * 40)))
  }
  return blocks.join('\n\n')
}

/** `n` settled messages, alternating user / assistant; some answers carry reasoning and a tool call. */
export function buildHistory(n: number, seed = 7): ChatMessage[] {
  const rand = rng(seed)
  const out: ChatMessage[] = []
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      out.push({ id: `h${i}`, role: 'user', parts: [{ type: 'text', text: words(rand, 5 + Math.floor(rand() * 15)) }], createdAt: 1_700_000_000_000 + i })
      continue
    }
    const parts: MessagePart[] = []
    if (rand() < 0.3) parts.push({ type: 'reasoning', text: words(rand, 30), state: 'done', durationMs: 1200 })
    if (rand() < 0.3) parts.push({ type: 'tool', toolCallId: `hc${i}`, name: 'read_file', arguments: { path: `src/file${i}.ts` }, state: 'done', durationMs: 40, output: { lines: 12, ok: true } })
    parts.push({ type: 'text', text: markdown(rand, 1 + Math.floor(rand() * 3)) })
    out.push({ id: `h${i}`, role: 'assistant', parts, createdAt: 1_700_000_000_000 + i, finish: 'done', usage: { tokensIn: 100, tokensOut: 200, costUsd: 0.001 } })
  }
  return out
}

/** The same history as AI SDK UI messages (tools as dynamic tool parts). */
export function toUIMessages(messages: ChatMessage[]): UIMessage[] {
  return messages.map((m) => ({
    id: m.id,
    role: m.role,
    parts: m.parts.flatMap((p): UIMessage['parts'] => {
      if (p.type === 'text') return [{ type: 'text', text: p.text, state: 'done' }]
      if (p.type === 'reasoning') return [{ type: 'reasoning', text: p.text, state: 'done' }]
      if (p.type === 'tool') return [{ type: 'dynamic-tool', toolName: p.name, toolCallId: p.toolCallId, state: 'output-available', input: p.arguments, output: p.output }]
      return []
    }),
  }))
}

/** One event of the streamed answer, protocol-neutral. */
export type ScriptEvent =
  | { kind: 'reasoning'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'tool'; toolCallId: string; toolName: string; input: unknown; output: unknown }

/** The answer: a reasoning block, then text with tool calls between its sections — `deltas` text/reasoning deltas. */
export function buildScript(deltas: number, seed = 11): ScriptEvent[] {
  const rand = rng(seed)
  const out: ScriptEvent[] = []
  const reasoningDeltas = Math.round(deltas * 0.1)
  const sections = 6
  const perSection = Math.floor((deltas - reasoningDeltas) / sections)
  const split = (text: string, count: number): string[] => {
    const size = Math.max(1, Math.ceil(text.length / count))
    const pieces: string[] = []
    for (let i = 0; i < count; i++) pieces.push(text.slice(i * size, (i + 1) * size) || ' ')
    return pieces
  }
  for (const t of split(words(rand, reasoningDeltas * 2), reasoningDeltas)) out.push({ kind: 'reasoning', text: t })
  let textDeltas = 0
  for (let s = 0; s < sections; s++) {
    const count = s === sections - 1 ? deltas - reasoningDeltas - textDeltas : perSection
    const text = markdown(rand, Math.ceil(count / 40))
    for (const t of split(text, count)) out.push({ kind: 'text', text: t })
    textDeltas += count
    if (s < sections - 1) out.push({ kind: 'tool', toolCallId: `call_${s}`, toolName: 'read_file', input: { path: `src/core/file${s}.ts`, limit: 200 }, output: { lines: 40 + s, ok: true } })
  }
  return out
}

const sse = (payload: string): string => `data: ${payload}\n\n`

/** Our `/claw` protocol: one SSE frame per event. */
export function encodeOurs(script: ScriptEvent[]): string[] {
  const frames = [sse(JSON.stringify({ type: 'lifecycle', data: { phase: 'start', runId: 'run_bench' } }))]
  for (const e of script) {
    if (e.kind === 'text') frames.push(sse(JSON.stringify({ type: 'text-delta', data: { text: e.text } })))
    else if (e.kind === 'reasoning') frames.push(sse(JSON.stringify({ type: 'reasoning-delta', data: { text: e.text } })))
    else {
      frames.push(sse(JSON.stringify({ type: 'tool-start', data: { toolCallId: e.toolCallId, toolName: e.toolName, arguments: e.input } })))
      frames.push(sse(JSON.stringify({ type: 'tool-end', data: { toolCallId: e.toolCallId, isError: false, output: e.output, durationMs: 40 } })))
    }
  }
  frames.push(sse(JSON.stringify({ type: 'usage', data: { tokensIn: 1200, tokensOut: 3400, costUsd: 0.02 } })))
  frames.push(sse(JSON.stringify({ type: 'done', data: {} })))
  frames.push(sse('[DONE]'))
  return frames
}

/** The AI SDK's UI message stream protocol (v1): the same events as its chunks. */
export function encodeAiSdk(script: ScriptEvent[]): string[] {
  const frames = [sse(JSON.stringify({ type: 'start', messageId: 'ai_live' }))]
  let open: { kind: 'text' | 'reasoning'; id: string } | undefined
  let n = 0
  const close = (): void => {
    if (open !== undefined) frames.push(sse(JSON.stringify({ type: `${open.kind}-end`, id: open.id })))
    open = undefined
  }
  for (const e of script) {
    if (e.kind === 'tool') {
      close()
      frames.push(sse(JSON.stringify({ type: 'tool-input-available', toolCallId: e.toolCallId, toolName: e.toolName, input: e.input, dynamic: true })))
      frames.push(sse(JSON.stringify({ type: 'tool-output-available', toolCallId: e.toolCallId, output: e.output, dynamic: true })))
      continue
    }
    if (open?.kind !== e.kind) {
      close()
      open = { kind: e.kind, id: `${e.kind}_${++n}` }
      frames.push(sse(JSON.stringify({ type: `${e.kind}-start`, id: open.id })))
    }
    frames.push(sse(JSON.stringify({ type: `${e.kind}-delta`, id: open.id, delta: e.text })))
  }
  close()
  frames.push(sse(JSON.stringify({ type: 'finish', finishReason: 'stop' })))
  frames.push(sse('[DONE]'))
  return frames
}

export interface Pace {
  /** SSE frames per network chunk. */
  framesPerChunk: number
  /** Delay between chunks (ms); 0 = every chunk at once (as fast as the reader takes them). */
  intervalMs: number
}

/** Pre-encodes the frames into network chunks (outside any measured window). */
export function toChunks(frames: string[], pace: Pace): Uint8Array[] {
  const encoder = new TextEncoder()
  const chunks: Uint8Array[] = []
  for (let i = 0; i < frames.length; i += pace.framesPerChunk) chunks.push(encoder.encode(frames.slice(i, i + pace.framesPerChunk).join('')))
  return chunks
}

/**
 * An SSE response whose body delivers `chunks` on a fixed schedule: chunk i is due `i * intervalMs` after the first
 * read, as a network would deliver them — a page that falls behind finds several chunks waiting (and reads them in one
 * go), it does not slow the sender down. Both sides therefore get the same bytes at the same times.
 */
export function pacedResponse(chunks: Uint8Array[], pace: Pace, headers: Record<string, string>, signal?: AbortSignal | null): Response {
  let i = 0
  let start = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i === 0) start = performance.now()
      const push = (): void => {
        const chunk = chunks[i++]
        if (chunk === undefined) controller.close()
        else controller.enqueue(chunk)
      }
      const wait = start + i * pace.intervalMs - performance.now()
      if (pace.intervalMs === 0 || wait <= 0) return push()
      return new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          push()
          resolve()
        }, wait)
      })
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer)
    },
  })
  signal?.addEventListener('abort', () => {
    if (timer !== undefined) clearTimeout(timer)
  })
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', ...headers } })
}

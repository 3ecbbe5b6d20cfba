import type { ChatEvent, LifecyclePhase, ServerErrorKind, ToolEndEvent } from './events'
import { isRecord } from './is-record'

/** Result of decoding one frame's JSON value. Never throws. */
export type DecodeResult =
  | { ok: true; event: ChatEvent }
  | { ok: false; reason: 'unknown-type'; type: string; value: unknown }
  | { ok: false; reason: 'malformed'; message: string; value: unknown }

type Fields = Record<string, unknown>

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)


/** First own property among `keys` that is present and not null/undefined. */
function pick(o: Fields, keys: readonly string[]): unknown {
  for (const k of keys) {
    if (hasOwn(o, k)) {
      const v = o[k]
      if (v !== undefined && v !== null) return v
    }
  }
  return undefined
}

class FieldError extends Error {}

function str(o: Fields, keys: readonly string[], required: true): string
function str(o: Fields, keys: readonly string[], required?: false): string | undefined
function str(o: Fields, keys: readonly string[], required = false): string | undefined {
  const v = pick(o, keys)
  if (v === undefined) {
    if (required) throw new FieldError(`missing field "${keys[0]}"`)
    return undefined
  }
  if (typeof v === 'string') return v
  throw new FieldError(`field "${keys[0]}" must be a string, got ${typeName(v)}`)
}

/** An id may come as a string or a number; it is kept as a string. */
function id(o: Fields, keys: readonly string[]): string {
  const v = pick(o, keys)
  if (typeof v === 'string' && v !== '') return v
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  throw new FieldError(
    v === undefined ? `missing field "${keys[0]}"` : `field "${keys[0]}" must be a string, got ${typeName(v)}`,
  )
}

/** A non-negative finite number, or undefined (a wrong type is dropped, not fatal: the field is advisory). */
function num(o: Fields, keys: readonly string[]): number | undefined {
  const v = pick(o, keys)
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) >= 0) return Number(v)
  return undefined
}

function typeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v
}

const TEXT = ['text', 'delta'] as const
const TOOL_CALL_ID = ['toolCallId', 'id', 'callId'] as const
const TOOL_NAME = ['toolName', 'name'] as const
const ARGUMENTS = ['arguments', 'args', 'input'] as const
const OUTPUT = ['output', 'result'] as const
const PHASES: readonly LifecyclePhase[] = ['start', 'end', 'error', 'aborted']
const ERROR_KINDS: readonly ServerErrorKind[] = ['refusal', 'timeout', 'rate_limit', 'context_length', 'unknown']

function toolEnd(d: Fields, isError: boolean, output: unknown): ToolEndEvent {
  const event: ToolEndEvent = { type: 'tool-end', toolCallId: id(d, TOOL_CALL_ID), isError }
  if (output !== undefined) event.output = output
  const durationMs = num(d, ['durationMs'])
  if (durationMs !== undefined) event.durationMs = durationMs
  const toolName = str(d, TOOL_NAME)
  if (toolName !== undefined) event.toolName = toolName
  return event
}

function isErrorFlag(d: Fields): boolean {
  const flag = pick(d, ['isError'])
  if (typeof flag === 'boolean') return flag
  const status = pick(d, ['status'])
  return status === 'failed' || status === 'error'
}

function decodeKnown(type: string, d: Fields): ChatEvent | 'unknown' {
  switch (type) {
    case 'text-delta':
      return { type: 'text-delta', text: str(d, TEXT, true) }
    case 'reasoning-delta':
    case 'thinking':
      return { type: 'reasoning-delta', text: str(d, TEXT, true) }
    case 'lifecycle': {
      const phase = str(d, ['phase'], true)
      if (!(PHASES as readonly string[]).includes(phase)) return 'unknown'
      const runId = str(d, ['runId'])
      return runId === undefined ? { type: 'lifecycle', phase: phase as LifecyclePhase } : { type: 'lifecycle', phase: phase as LifecyclePhase, runId }
    }
    case 'tool-start': {
      const event: ChatEvent = { type: 'tool-start', toolCallId: id(d, TOOL_CALL_ID), toolName: str(d, TOOL_NAME) ?? 'tool' }
      const label = str(d, ['label', 'title'])
      const subject = str(d, ['subject'])
      const args = pick(d, ARGUMENTS)
      if (label !== undefined) event.label = label
      if (subject !== undefined) event.subject = subject
      if (args !== undefined) event.arguments = args
      return event
    }
    case 'tool-end':
      return toolEnd(d, isErrorFlag(d), pick(d, OUTPUT))
    case 'tool-output':
      return toolEnd(d, isErrorFlag(d), pick(d, ['meta', ...OUTPUT]))
    case 'usage': {
      const event: ChatEvent = { type: 'usage' }
      const tokensIn = num(d, ['tokensIn', 'inputTokens'])
      const tokensOut = num(d, ['tokensOut', 'outputTokens'])
      const costUsd = num(d, ['costUsd', 'estimatedCostUsd'])
      if (tokensIn !== undefined) event.tokensIn = tokensIn
      if (tokensOut !== undefined) event.tokensOut = tokensOut
      if (costUsd !== undefined) event.costUsd = costUsd
      return event
    }
    case 'done': {
      const text = pick(d, TEXT)
      return typeof text === 'string' ? { type: 'done', text } : { type: 'done' }
    }
    case 'error': {
      const message = str(d, ['message', 'error', 'errorMessage']) ?? 'The run failed'
      const kind = pick(d, ['errorKind'])
      const errorKind: ServerErrorKind =
        typeof kind === 'string' && (ERROR_KINDS as readonly string[]).includes(kind) ? (kind as ServerErrorKind) : 'unknown'
      const code = pick(d, ['code'])
      return typeof code === 'string' || typeof code === 'number'
        ? { type: 'error', message, errorKind, code: String(code) }
        : { type: 'error', message, errorKind }
    }
    default:
      return 'unknown'
  }
}

/**
 * Validates and normalizes one frame's parsed JSON (`{ type, data }`) into a canonical `ChatEvent`.
 * Legacy names (`thinking`, `tool-output`, `status`-style `tool-end`) and field aliases are accepted.
 * Fields are read from `data`, or from the frame itself when it has no `data` object.
 */
export function decodeEvent(value: unknown): DecodeResult {
  if (!isRecord(value)) return { ok: false, reason: 'malformed', message: `frame is ${typeName(value)}, not an object`, value }
  const type = pick(value, ['type'])
  if (typeof type !== 'string') {
    return { ok: false, reason: 'malformed', message: 'frame has no string "type"', value }
  }
  let data: Fields = value
  if (hasOwn(value, 'data') && value.data !== undefined && value.data !== null) {
    if (!isRecord(value.data)) {
      return { ok: false, reason: 'malformed', message: `"${type}" data is ${typeName(value.data)}, not an object`, value }
    }
    data = value.data
  }
  try {
    const event = decodeKnown(type, data)
    if (event === 'unknown') return { ok: false, reason: 'unknown-type', type: type === 'lifecycle' ? `lifecycle:${String(data.phase)}` : type, value }
    return { ok: true, event }
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, reason: 'malformed', message: `"${type}": ${error.message}`, value }
    throw error
  }
}

/** Result of reading one SSE frame's `data` text. */
export type FrameResult = DecodeResult | { ok: true; end: true }

export const DONE_MARKER = '[DONE]'

/**
 * The byte-exact shape servers write for deltas (PROTOCOL.md), `{"type":"text-delta","data":{"text":"…"}}`, with
 * exactly one JSON string as the text: such a frame can only mean that delta, so it is read without building the
 * frame object (the bulk of every stream). Anything else — extra fields, duplicate keys, spaces, another order —
 * takes the general path.
 */
const CANONICAL_DELTA = /^\{"type":"(text|reasoning)-delta","data":\{"text":("(?:[^"\\]|\\.)*")\}\}$/

function canonicalDelta(data: string): DecodeResult | undefined {
  const match = CANONICAL_DELTA.exec(data)
  if (match === null) return undefined
  try {
    return { ok: true, event: { type: match[1] === 'text' ? 'text-delta' : 'reasoning-delta', text: JSON.parse(match[2] as string) as string } }
  } catch {
    return undefined // an invalid escape or control character: the general path reports it
  }
}

/** Parses one SSE `data` payload: the `[DONE]` marker, or JSON decoded with `decodeEvent`. */
export function decodeFrame(data: string): FrameResult {
  // JSON.parse skips whitespace itself; only a payload that does not open an object can be the marker.
  if (data.charCodeAt(0) !== 0x7b && data.trim() === DONE_MARKER) return { ok: true, end: true }
  const delta = canonicalDelta(data)
  if (delta !== undefined) return delta
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    const trimmed = data.trim()
    return { ok: false, reason: 'malformed', message: `frame is not valid JSON: ${preview(trimmed)}`, value: data }
  }
  return decodeEvent(value)
}

function preview(s: string): string {
  return s.length > 80 ? `${JSON.stringify(s.slice(0, 80))}…` : JSON.stringify(s)
}

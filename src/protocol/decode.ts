import type { ChatEvent, LifecyclePhase, ServerErrorKind } from './events'
import { isRecord } from './is-record'

/** Result of decoding one frame's JSON value. Never throws. */
export type DecodeResult =
  | { ok: true; event: ChatEvent }
  | { ok: false; reason: 'unknown-type'; type: string; value: unknown }
  | { ok: false; reason: 'malformed'; message: string; value: unknown }

type Fields = Record<string, unknown>

/** The other names a canonical field may come under across server versions (PROTOCOL.md), in order of preference. */
const ALIASES: Record<string, readonly string[]> = {
  text: ['delta'],
  toolCallId: ['id', 'callId'],
  toolName: ['name'],
  label: ['title'],
  arguments: ['args', 'input'],
  output: ['result'],
  // the legacy `tool-output` frame carries its output as `meta`
  meta: ['output', 'result'],
  tokensIn: ['inputTokens'],
  tokensOut: ['outputTokens'],
  costUsd: ['estimatedCostUsd'],
  message: ['error', 'errorMessage'],
}

const PHASES: readonly LifecyclePhase[] = ['start', 'end', 'error', 'aborted']
const ERROR_KINDS: readonly ServerErrorKind[] = ['refusal', 'timeout', 'rate_limit', 'context_length', 'unknown']

const isOneOf = <T>(values: readonly T[], value: unknown): value is T => values.includes(value as T)

const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value)

/** A field's value under its own name or else an alias: the first own, non-null one (inherited entries never count). */
function read(d: Fields, name: string): unknown {
  for (const key of [name, ...(ALIASES[name] ?? [])]) {
    if (Object.hasOwn(d, key) && d[key] != null) return d[key]
  }
  return undefined
}

class FieldError extends Error {}

/** Rejects the frame: `name` is missing (`value` undefined) or not a string. */
function fail(name: string, value?: unknown): never {
  throw new FieldError(value === undefined ? `missing field "${name}"` : `field "${name}" must be a string, got ${typeName(value)}`)
}

/** An optional string field; another type rejects the frame. */
function str(d: Fields, name: string): string | undefined {
  const value = read(d, name)
  return value === undefined || typeof value === 'string' ? value : fail(name, value)
}

/** The tool call id: a non-empty string, or a finite number kept as a string. */
function toolCallId(d: Fields): string {
  const value = read(d, 'toolCallId')
  return (typeof value === 'string' && value !== '') || Number.isFinite(value) ? String(value) : fail('toolCallId', value)
}

/** A non-negative finite number (numeric strings converted), or undefined: the field is advisory, a wrong type is dropped. */
function num(d: Fields, name: string): number | undefined {
  const value = read(d, name)
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined
}

/** A string field that must be present. */
const required = (d: Fields, name: string): string => str(d, name) ?? fail(name)

/** Reads field `name` of a frame's fields (under its aliases too); `undefined` leaves it out of the event. */
type Reader = (d: Fields, name: string) => unknown

const TOOL_END: Record<string, Reader> = {
  toolCallId,
  isError: (d) => {
    const flag = read(d, 'isError')
    return typeof flag === 'boolean' ? flag : isOneOf(['failed', 'error'], read(d, 'status'))
  },
  output: read,
  durationMs: num,
  toolName: str,
}

/**
 * Each known frame type: its fields in the event's key order (an earlier field's error wins), and how each is read.
 * A field read as `undefined` is left out of the event.
 */
const EVENTS: Record<string, Record<string, Reader>> = {
  'text-delta': { text: required },
  'reasoning-delta': { text: required },
  thinking: { text: required },
  lifecycle: { phase: required, runId: str },
  'tool-start': {
    toolCallId,
    toolName: (d) => str(d, 'toolName') ?? 'tool',
    label: str,
    subject: str,
    arguments: read,
  },
  'tool-end': TOOL_END,
  'tool-output': { ...TOOL_END, output: (d) => read(d, 'meta') },
  usage: { tokensIn: num, tokensOut: num, costUsd: num },
  done: {
    text: (d) => {
      const text = read(d, 'text')
      return typeof text === 'string' ? text : undefined
    },
  },
  error: {
    message: (d) => str(d, 'message') ?? 'The run failed',
    errorKind: (d) => {
      const kind = read(d, 'errorKind')
      return isOneOf(ERROR_KINDS, kind) ? kind : 'unknown'
    },
    code: (d) => {
      const code = read(d, 'code')
      return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined
    },
  },
}

/** The canonical names of legacy frame types. */
const LEGACY_TYPES: Record<string, string> = { thinking: 'reasoning-delta', 'tool-output': 'tool-end' }

/** The canonical event of a frame, or the name to report it under as an unknown type. */
function decodeKnown(type: string, d: Fields): ChatEvent | string {
  const fields = Object.hasOwn(EVENTS, type) ? EVENTS[type] : undefined
  if (fields === undefined) return type
  if (type === 'lifecycle') {
    const phase = required(d, 'phase')
    if (!isOneOf(PHASES, phase)) return `lifecycle:${phase}`
  }
  const event = { type: LEGACY_TYPES[type] ?? type } as ChatEvent & Fields
  for (const [name, reader] of Object.entries(fields)) {
    const value = reader(d, name)
    if (value !== undefined) event[name] = value
  }
  return event
}

const malformed = (message: string, value: unknown): DecodeResult => ({ ok: false, reason: 'malformed', message, value })

/**
 * Validates and normalizes one frame's parsed JSON (`{ type, data }`) into a canonical `ChatEvent`.
 * Legacy names (`thinking`, `tool-output`, `status`-style `tool-end`) and field aliases are accepted.
 * Fields are read from `data`, or from the frame itself when it has no `data` object.
 */
export function decodeEvent(value: unknown): DecodeResult {
  if (!isRecord(value)) return malformed(`frame is ${typeName(value)}, not an object`, value)
  const type = read(value, 'type')
  if (typeof type !== 'string') return malformed('frame has no string "type"', value)
  const data = read(value, 'data') ?? value
  if (!isRecord(data)) return malformed(`"${type}" data is ${typeName(data)}, not an object`, value)
  try {
    const event = decodeKnown(type, data)
    return typeof event === 'string' ? { ok: false, reason: 'unknown-type', type: event, value } : { ok: true, event }
  } catch (error) {
    if (error instanceof FieldError) return malformed(`"${type}": ${error.message}`, value)
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

/** Parses one SSE `data` payload: the `[DONE]` marker, or JSON decoded with `decodeEvent`. */
export function decodeFrame(data: string): FrameResult {
  const delta = CANONICAL_DELTA.exec(data)
  let value: unknown
  try {
    // A text that does not parse (an invalid escape, a control character) would not parse as the whole frame either.
    if (delta) return { ok: true, event: { type: delta[1] === 'text' ? 'text-delta' : 'reasoning-delta', text: JSON.parse(delta[2] as string) as string } }
    value = JSON.parse(data)
  } catch {
    // The marker is the one payload that is not JSON.
    const trimmed = data.trim()
    if (trimmed === DONE_MARKER) return { ok: true, end: true }
    return malformed(`frame is not valid JSON: ${JSON.stringify(trimmed.slice(0, 80))}${trimmed.length > 80 ? '…' : ''}`, data)
  }
  return decodeEvent(value)
}

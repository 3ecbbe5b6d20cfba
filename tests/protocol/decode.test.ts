import { describe, expect, it } from 'vitest'
import { decodeEvent, decodeFrame, isTerminalEvent } from '../../src/protocol'
import type { ChatEvent, DecodeResult, FrameResult } from '../../src/protocol'

const frame = (type: string, data?: unknown): string =>
  JSON.stringify(data === undefined ? { type } : { type, data })

/** Decodes one frame and asserts it is an ok event; returns that event. */
function ok(result: FrameResult | DecodeResult): ChatEvent {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`)
  if ('end' in result) throw new Error('expected an event, got the end marker')
  return result.event
}

function malformed(result: FrameResult | DecodeResult): string {
  expect(result.ok).toBe(false)
  if (result.ok || result.reason !== 'malformed') throw new Error(`expected malformed, got ${JSON.stringify(result)}`)
  expect(typeof result.message).toBe('string')
  expect(result.message.length).toBeGreaterThan(0)
  return result.message
}

describe('decodeFrame: canonical event types', () => {
  it('text-delta', () => {
    expect(decodeFrame(frame('text-delta', { text: 'Hel' }))).toEqual({ ok: true, event: { type: 'text-delta', text: 'Hel' } })
  })

  it('text-delta keeps an empty string and whitespace exactly', () => {
    expect(ok(decodeFrame(frame('text-delta', { text: '' })))).toEqual({ type: 'text-delta', text: '' })
    expect(ok(decodeFrame(frame('text-delta', { text: '  a\n ' })))).toEqual({ type: 'text-delta', text: '  a\n ' })
  })

  it('reasoning-delta', () => {
    expect(ok(decodeFrame(frame('reasoning-delta', { text: 'hmm' })))).toEqual({ type: 'reasoning-delta', text: 'hmm' })
  })

  it.each(['start', 'end', 'error', 'aborted'] as const)('lifecycle %s with runId', (phase) => {
    expect(ok(decodeFrame(frame('lifecycle', { phase, runId: 'r1' })))).toEqual({ type: 'lifecycle', phase, runId: 'r1' })
  })

  it('lifecycle without runId has no runId key', () => {
    const event = ok(decodeFrame(frame('lifecycle', { phase: 'start' })))
    expect(event).toStrictEqual({ type: 'lifecycle', phase: 'start' })
    expect('runId' in event).toBe(false)
  })

  it('tool-start with all fields', () => {
    expect(
      ok(
        decodeFrame(
          frame('tool-start', {
            toolCallId: 'c1',
            toolName: 'web_search',
            label: 'Searched the web',
            subject: 'hono sse',
            arguments: { q: 'hono sse', n: 3 },
          }),
        ),
      ),
    ).toStrictEqual({
      type: 'tool-start',
      toolCallId: 'c1',
      toolName: 'web_search',
      label: 'Searched the web',
      subject: 'hono sse',
      arguments: { q: 'hono sse', n: 3 },
    })
  })

  it('tool-start with only an id gets the default tool name and no optional keys', () => {
    expect(ok(decodeFrame(frame('tool-start', { toolCallId: 'c1' })))).toStrictEqual({
      type: 'tool-start',
      toolCallId: 'c1',
      toolName: 'tool',
    })
  })

  it('tool-end with all fields', () => {
    expect(
      ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', isError: false, output: 'found 3', durationMs: 120, toolName: 'web_search' }))),
    ).toStrictEqual({ type: 'tool-end', toolCallId: 'c1', isError: false, output: 'found 3', durationMs: 120, toolName: 'web_search' })
  })

  it('tool-end with isError true', () => {
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', isError: true, output: 'boom' })))).toStrictEqual({
      type: 'tool-end',
      toolCallId: 'c1',
      isError: true,
      output: 'boom',
    })
  })

  it('tool-end with only an id is not an error and has no optional keys', () => {
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1' })))).toStrictEqual({ type: 'tool-end', toolCallId: 'c1', isError: false })
  })

  it('tool-end: legacy status failed/error is an error, completed is not', () => {
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', status: 'failed', durationMs: 5 })))).toStrictEqual({
      type: 'tool-end',
      toolCallId: 'c1',
      isError: true,
      durationMs: 5,
    })
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', status: 'error' })))).toMatchObject({ isError: true })
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', status: 'completed' })))).toMatchObject({ isError: false })
  })

  it('tool-end: an explicit boolean isError wins over status', () => {
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', isError: false, status: 'failed' })))).toMatchObject({ isError: false })
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', isError: true, status: 'completed' })))).toMatchObject({ isError: true })
  })

  it('tool-end: a non-boolean isError falls back to status', () => {
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', isError: 'yes' })))).toMatchObject({ isError: false })
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', isError: 'yes', status: 'failed' })))).toMatchObject({ isError: true })
  })

  it('tool-end keeps a non-string output as is', () => {
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', output: { rows: [1, 2] } })))).toMatchObject({ output: { rows: [1, 2] } })
  })

  it('tool-end durationMs: zero kept, negative and non-numeric dropped, numeric string converted', () => {
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', durationMs: 0 })))).toStrictEqual({
      type: 'tool-end',
      toolCallId: 'c1',
      isError: false,
      durationMs: 0,
    })
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', durationMs: -3 })))).toStrictEqual({ type: 'tool-end', toolCallId: 'c1', isError: false })
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', durationMs: 'fast' })))).toStrictEqual({ type: 'tool-end', toolCallId: 'c1', isError: false })
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'c1', durationMs: '42' })))).toMatchObject({ durationMs: 42 })
  })

  it('usage with all fields', () => {
    expect(ok(decodeFrame(frame('usage', { tokensIn: 10, tokensOut: 20, costUsd: 0.0012 })))).toStrictEqual({
      type: 'usage',
      tokensIn: 10,
      tokensOut: 20,
      costUsd: 0.0012,
    })
  })

  it('usage with no fields', () => {
    expect(ok(decodeFrame(frame('usage', {})))).toStrictEqual({ type: 'usage' })
  })

  it('usage keeps zeros and converts numeric strings', () => {
    expect(ok(decodeFrame(frame('usage', { tokensIn: 0, tokensOut: '7', costUsd: '0.5' })))).toStrictEqual({
      type: 'usage',
      tokensIn: 0,
      tokensOut: 7,
      costUsd: 0.5,
    })
  })

  it('usage drops negative, non-finite and non-numeric fields', () => {
    expect(ok(decodeFrame(frame('usage', { tokensIn: -1, tokensOut: 'lots', costUsd: -0.5 })))).toStrictEqual({ type: 'usage' })
    // NaN/Infinity cannot be written in JSON: check them through decodeEvent on a value.
    expect(ok(decodeEvent({ type: 'usage', data: { tokensIn: Number.NaN, tokensOut: Number.POSITIVE_INFINITY, costUsd: 3 } }))).toStrictEqual({
      type: 'usage',
      costUsd: 3,
    })
    expect(ok(decodeFrame(frame('usage', { tokensIn: 'NaN', tokensOut: '', costUsd: '  ' })))).toStrictEqual({ type: 'usage' })
  })

  it('done with text', () => {
    expect(ok(decodeFrame(frame('done', { text: 'Hello' })))).toStrictEqual({ type: 'done', text: 'Hello' })
  })

  it('done with empty text keeps the empty string', () => {
    expect(ok(decodeFrame(frame('done', { text: '' })))).toStrictEqual({ type: 'done', text: '' })
  })

  it('done without text (or with a non-string text) has no text key', () => {
    expect(ok(decodeFrame(frame('done', {})))).toStrictEqual({ type: 'done' })
    expect(ok(decodeFrame(frame('done')))).toStrictEqual({ type: 'done' })
    expect(ok(decodeFrame(frame('done', { text: 5 })))).toStrictEqual({ type: 'done' })
  })

  it.each(['refusal', 'timeout', 'rate_limit', 'context_length', 'unknown'] as const)('error with errorKind %s', (errorKind) => {
    expect(ok(decodeFrame(frame('error', { message: 'nope', errorKind })))).toStrictEqual({ type: 'error', message: 'nope', errorKind })
  })

  it('error with an unknown or missing errorKind is unknown', () => {
    expect(ok(decodeFrame(frame('error', { message: 'x', errorKind: 'meteor' })))).toStrictEqual({ type: 'error', message: 'x', errorKind: 'unknown' })
    expect(ok(decodeFrame(frame('error', { message: 'x', errorKind: 3 })))).toStrictEqual({ type: 'error', message: 'x', errorKind: 'unknown' })
    expect(ok(decodeFrame(frame('error', { message: 'x' })))).toStrictEqual({ type: 'error', message: 'x', errorKind: 'unknown' })
  })

  it('error keeps a legacy code as a string (numbers converted)', () => {
    expect(ok(decodeFrame(frame('error', { message: 'x', code: 'GATEWAY_DOWN' })))).toStrictEqual({
      type: 'error',
      message: 'x',
      errorKind: 'unknown',
      code: 'GATEWAY_DOWN',
    })
    expect(ok(decodeFrame(frame('error', { message: 'x', code: 503 })))).toStrictEqual({
      type: 'error',
      message: 'x',
      errorKind: 'unknown',
      code: '503',
    })
    expect(ok(decodeFrame(frame('error', { message: 'x', code: { a: 1 } })))).toStrictEqual({ type: 'error', message: 'x', errorKind: 'unknown' })
  })

  it('error message aliases and default', () => {
    expect(ok(decodeFrame(frame('error', { error: 'via error' })))).toMatchObject({ message: 'via error' })
    expect(ok(decodeFrame(frame('error', { errorMessage: 'via errorMessage' })))).toMatchObject({ message: 'via errorMessage' })
    expect(ok(decodeFrame(frame('error', {})))).toStrictEqual({ type: 'error', message: 'The run failed', errorKind: 'unknown' })
  })

  it('error with a non-string message is malformed', () => {
    expect(malformed(decodeFrame(frame('error', { message: 42 })))).toContain('"message" must be a string')
  })
})

describe('isTerminalEvent', () => {
  it('done, error and lifecycle aborted end a run; nothing else does, whatever fields it carries', () => {
    expect([{ type: 'done' }, { type: 'error', message: 'x', errorKind: 'unknown' }, { type: 'lifecycle', phase: 'aborted' }].map((e) => isTerminalEvent(e as ChatEvent))).toEqual([true, true, true])
    const others = [{ type: 'lifecycle', phase: 'end' }, { type: 'usage', phase: 'aborted' }, { type: 'text-delta', text: '' }]
    expect(others.map((e) => isTerminalEvent(e as ChatEvent))).toEqual([false, false, false])
  })
})

describe('decodeFrame: legacy names', () => {
  it('thinking becomes reasoning-delta', () => {
    expect(ok(decodeFrame(frame('thinking', { text: 'let me see' })))).toStrictEqual({ type: 'reasoning-delta', text: 'let me see' })
    expect(ok(decodeFrame(frame('thinking', { delta: 'd' })))).toStrictEqual({ type: 'reasoning-delta', text: 'd' })
  })

  it('tool-output becomes tool-end with meta as output', () => {
    expect(ok(decodeFrame(frame('tool-output', { toolCallId: 'c1', isError: false, meta: 'took 3 steps' })))).toStrictEqual({
      type: 'tool-end',
      toolCallId: 'c1',
      isError: false,
      output: 'took 3 steps',
    })
  })

  it('tool-output with output/result instead of meta', () => {
    expect(ok(decodeFrame(frame('tool-output', { toolCallId: 'c1', output: 'out' })))).toMatchObject({ type: 'tool-end', output: 'out' })
    expect(ok(decodeFrame(frame('tool-output', { toolCallId: 'c1', result: 'res' })))).toMatchObject({ type: 'tool-end', output: 'res' })
  })

  it('tool-output prefers meta over output', () => {
    expect(ok(decodeFrame(frame('tool-output', { toolCallId: 'c1', meta: 'm', output: 'o' })))).toMatchObject({ output: 'm' })
  })

  it('tool-output isError from isError or status', () => {
    expect(ok(decodeFrame(frame('tool-output', { toolCallId: 'c1', isError: true, meta: 'x' })))).toStrictEqual({
      type: 'tool-end',
      toolCallId: 'c1',
      isError: true,
      output: 'x',
    })
    expect(ok(decodeFrame(frame('tool-output', { toolCallId: 'c1', status: 'failed' })))).toStrictEqual({ type: 'tool-end', toolCallId: 'c1', isError: true })
    expect(ok(decodeFrame(frame('tool-output', { toolCallId: 'c1', status: 'error' })))).toStrictEqual({ type: 'tool-end', toolCallId: 'c1', isError: true })
    expect(ok(decodeFrame(frame('tool-output', { toolCallId: 'c1' })))).toStrictEqual({ type: 'tool-end', toolCallId: 'c1', isError: false })
  })

  it('legacy tool-start with kind ignores kind', () => {
    expect(ok(decodeFrame(frame('tool-start', { toolCallId: 'c1', toolName: 'browser', kind: 'navigate' })))).toStrictEqual({
      type: 'tool-start',
      toolCallId: 'c1',
      toolName: 'browser',
    })
  })
})

describe('decodeFrame: field aliases', () => {
  it('delta for text', () => {
    expect(ok(decodeFrame(frame('text-delta', { delta: 'abc' })))).toStrictEqual({ type: 'text-delta', text: 'abc' })
    expect(ok(decodeFrame(frame('done', { delta: 'all' })))).toStrictEqual({ type: 'done', text: 'all' })
  })

  it('text wins over delta; a null text falls through to delta', () => {
    expect(ok(decodeFrame(frame('text-delta', { text: 'T', delta: 'D' })))).toStrictEqual({ type: 'text-delta', text: 'T' })
    expect(ok(decodeFrame(frame('text-delta', { text: null, delta: 'D' })))).toStrictEqual({ type: 'text-delta', text: 'D' })
  })

  it('id and callId for toolCallId', () => {
    expect(ok(decodeFrame(frame('tool-start', { id: 'a', name: 'n' })))).toStrictEqual({ type: 'tool-start', toolCallId: 'a', toolName: 'n' })
    expect(ok(decodeFrame(frame('tool-start', { callId: 'b', toolName: 'n' })))).toStrictEqual({ type: 'tool-start', toolCallId: 'b', toolName: 'n' })
    expect(ok(decodeFrame(frame('tool-end', { id: 'a' })))).toStrictEqual({ type: 'tool-end', toolCallId: 'a', isError: false })
    expect(ok(decodeFrame(frame('tool-end', { callId: 'b' })))).toStrictEqual({ type: 'tool-end', toolCallId: 'b', isError: false })
  })

  it('toolCallId wins over id and callId', () => {
    expect(ok(decodeFrame(frame('tool-start', { toolCallId: 'x', id: 'y', callId: 'z' })))).toMatchObject({ toolCallId: 'x' })
    expect(ok(decodeFrame(frame('tool-start', { id: 'y', callId: 'z' })))).toMatchObject({ toolCallId: 'y' })
  })

  it('numeric ids become strings', () => {
    expect(ok(decodeFrame(frame('tool-start', { toolCallId: 7, toolName: 'n' })))).toStrictEqual({ type: 'tool-start', toolCallId: '7', toolName: 'n' })
    expect(ok(decodeFrame(frame('tool-end', { id: 0 })))).toStrictEqual({ type: 'tool-end', toolCallId: '0', isError: false })
    expect(ok(decodeFrame(frame('tool-end', { callId: 1.5 })))).toMatchObject({ toolCallId: '1.5' })
  })

  it('name for toolName', () => {
    expect(ok(decodeFrame(frame('tool-start', { toolCallId: 'a', name: 'fetch_url' })))).toMatchObject({ toolName: 'fetch_url' })
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'a', name: 'fetch_url' })))).toStrictEqual({
      type: 'tool-end',
      toolCallId: 'a',
      isError: false,
      toolName: 'fetch_url',
    })
  })

  it('args and input for arguments', () => {
    expect(ok(decodeFrame(frame('tool-start', { toolCallId: 'a', toolName: 't', args: { x: 1 } })))).toStrictEqual({
      type: 'tool-start',
      toolCallId: 'a',
      toolName: 't',
      arguments: { x: 1 },
    })
    expect(ok(decodeFrame(frame('tool-start', { toolCallId: 'a', toolName: 't', input: 'raw' })))).toMatchObject({ arguments: 'raw' })
    expect(ok(decodeFrame(frame('tool-start', { toolCallId: 'a', toolName: 't', arguments: 1, args: 2, input: 3 })))).toMatchObject({ arguments: 1 })
  })

  it('result for output', () => {
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'a', result: 'done!' })))).toStrictEqual({
      type: 'tool-end',
      toolCallId: 'a',
      isError: false,
      output: 'done!',
    })
    expect(ok(decodeFrame(frame('tool-end', { toolCallId: 'a', output: 'o', result: 'r' })))).toMatchObject({ output: 'o' })
  })

  it('inputTokens, outputTokens, estimatedCostUsd for usage', () => {
    expect(ok(decodeFrame(frame('usage', { inputTokens: 100, outputTokens: 50, estimatedCostUsd: 0.25 })))).toStrictEqual({
      type: 'usage',
      tokensIn: 100,
      tokensOut: 50,
      costUsd: 0.25,
    })
  })

  it('canonical usage names win over aliases', () => {
    expect(ok(decodeFrame(frame('usage', { tokensIn: 1, inputTokens: 2, tokensOut: 3, outputTokens: 4, costUsd: 5, estimatedCostUsd: 6 })))).toStrictEqual({
      type: 'usage',
      tokensIn: 1,
      tokensOut: 3,
      costUsd: 5,
    })
  })

  it('title for label', () => {
    expect(ok(decodeFrame(frame('tool-start', { toolCallId: 'a', toolName: 't', title: 'Opened a page' })))).toStrictEqual({
      type: 'tool-start',
      toolCallId: 'a',
      toolName: 't',
      label: 'Opened a page',
    })
    expect(ok(decodeFrame(frame('tool-start', { toolCallId: 'a', toolName: 't', label: 'L', title: 'T' })))).toMatchObject({ label: 'L' })
  })
})

describe('decodeFrame: fields on the frame itself', () => {
  it('reads fields from the frame when it has no data', () => {
    expect(ok(decodeFrame(JSON.stringify({ type: 'text-delta', text: 'flat' })))).toStrictEqual({ type: 'text-delta', text: 'flat' })
    expect(ok(decodeFrame(JSON.stringify({ type: 'tool-start', toolCallId: 'c', toolName: 'n', label: 'L' })))).toStrictEqual({
      type: 'tool-start',
      toolCallId: 'c',
      toolName: 'n',
      label: 'L',
    })
    expect(ok(decodeFrame(JSON.stringify({ type: 'lifecycle', phase: 'end', runId: 'r' })))).toStrictEqual({ type: 'lifecycle', phase: 'end', runId: 'r' })
    expect(ok(decodeFrame(JSON.stringify({ type: 'usage', tokensIn: 3 })))).toStrictEqual({ type: 'usage', tokensIn: 3 })
  })

  it('reads fields from the frame when data is null', () => {
    expect(ok(decodeFrame(JSON.stringify({ type: 'text-delta', data: null, text: 'flat' })))).toStrictEqual({ type: 'text-delta', text: 'flat' })
  })

  it('uses data (not the frame) when data is an object', () => {
    expect(ok(decodeFrame(JSON.stringify({ type: 'text-delta', text: 'outer', data: { text: 'inner' } })))).toStrictEqual({
      type: 'text-delta',
      text: 'inner',
    })
  })
})

describe('decodeFrame: [DONE]', () => {
  it.each(['[DONE]', ' [DONE]', '[DONE] ', '\n[DONE]\n', '\t [DONE]\r\n'])('%j is the end marker', (data) => {
    expect(decodeFrame(data)).toStrictEqual({ ok: true, end: true })
  })

  it('a lowercase or partial marker is not the end marker', () => {
    expect(decodeFrame('[done]')).toMatchObject({ ok: false, reason: 'malformed' })
    expect(decodeFrame('[DONE')).toMatchObject({ ok: false, reason: 'malformed' })
  })

  it('a frame with surrounding whitespace still decodes', () => {
    expect(ok(decodeFrame(`  ${frame('text-delta', { text: 'x' })}\n`))).toStrictEqual({ type: 'text-delta', text: 'x' })
  })
})

describe('decodeFrame: unknown types', () => {
  it('reports the unknown type with its value', () => {
    const result = decodeFrame(frame('heartbeat', { at: 1 }))
    expect(result).toStrictEqual({ ok: false, reason: 'unknown-type', type: 'heartbeat', value: { type: 'heartbeat', data: { at: 1 } } })
  })

  it('an unknown type needs no data', () => {
    expect(decodeFrame(frame('snapshot'))).toMatchObject({ ok: false, reason: 'unknown-type', type: 'snapshot' })
  })

  it('Object.prototype names are unknown types, not crashes', () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(decodeEvent({ type, data: {} })).toMatchObject({ ok: false, reason: 'unknown-type', type })
    }
  })

  it('an unknown lifecycle phase is reported as lifecycle:<phase>', () => {
    expect(decodeFrame(frame('lifecycle', { phase: 'paused', runId: 'r' }))).toStrictEqual({
      ok: false,
      reason: 'unknown-type',
      type: 'lifecycle:paused',
      value: { type: 'lifecycle', data: { phase: 'paused', runId: 'r' } },
    })
  })

  it('a lifecycle without a phase is malformed', () => {
    expect(malformed(decodeFrame(frame('lifecycle', { runId: 'r' })))).toBe('"lifecycle": missing field "phase"')
  })

  it('a lifecycle with a non-string phase is malformed', () => {
    expect(malformed(decodeFrame(frame('lifecycle', { phase: 1 })))).toBe('"lifecycle": field "phase" must be a string, got number')
  })
})

describe('decodeFrame: malformed frames', () => {
  it('invalid JSON', () => {
    const result = decodeFrame('{"type":"text-delta","data":{"text":"He')
    expect(result).toMatchObject({ ok: false, reason: 'malformed', value: '{"type":"text-delta","data":{"text":"He' })
    expect(malformed(result)).toMatch(/^frame is not valid JSON: /)
    expect(malformed(result)).toContain('text-delta')
  })

  it('invalid JSON preview is truncated for long input', () => {
    const long = `{${'x'.repeat(500)}`
    const message = malformed(decodeFrame(long))
    expect(message.length).toBeLessThan(120)
    expect(message.endsWith('…')).toBe(true)
  })

  it('an empty data payload is malformed', () => {
    expect(malformed(decodeFrame(''))).toBe('frame is not valid JSON: ""')
  })

  it.each([
    ['[]', 'array'],
    ['[{"type":"text-delta"}]', 'array'],
    ['42', 'number'],
    ['null', 'null'],
    ['"text-delta"', 'string'],
    ['true', 'boolean'],
  ])('JSON %s is malformed (%s)', (data, kind) => {
    const result = decodeFrame(data)
    expect(malformed(result)).toBe(`frame is ${kind}, not an object`)
    expect(result).toMatchObject({ value: JSON.parse(data) as unknown })
  })

  it('missing type', () => {
    expect(malformed(decodeFrame(JSON.stringify({ data: { text: 'x' } })))).toBe('frame has no string "type"')
  })

  it('non-string type', () => {
    expect(malformed(decodeFrame(JSON.stringify({ type: 5, data: {} })))).toBe('frame has no string "type"')
    expect(malformed(decodeFrame(JSON.stringify({ type: null, data: {} })))).toBe('frame has no string "type"')
  })

  it.each([
    ['"hello"', 'string'],
    ['[1,2]', 'array'],
    ['3', 'number'],
    ['false', 'boolean'],
  ])('data %s is malformed', (data, kind) => {
    expect(malformed(decodeFrame(`{"type":"text-delta","data":${data}}`))).toBe(`"text-delta" data is ${kind}, not an object`)
  })

  it('text-delta with a number text', () => {
    const result = decodeFrame(frame('text-delta', { text: 42 }))
    expect(malformed(result)).toBe('"text-delta": field "text" must be a string, got number')
    expect(result).toMatchObject({ value: { type: 'text-delta', data: { text: 42 } } })
  })

  it('text-delta with no text', () => {
    expect(malformed(decodeFrame(frame('text-delta', {})))).toBe('"text-delta": missing field "text"')
  })

  it('reasoning-delta and thinking with an object text', () => {
    expect(malformed(decodeFrame(frame('reasoning-delta', { text: {} })))).toBe('"reasoning-delta": field "text" must be a string, got object')
    expect(malformed(decodeFrame(frame('thinking', { text: [] })))).toBe('"thinking": field "text" must be a string, got array')
  })

  it('tool-start without id', () => {
    expect(malformed(decodeFrame(frame('tool-start', { toolName: 'web_search' })))).toBe('"tool-start": missing field "toolCallId"')
  })

  it('tool-end and tool-output without id', () => {
    expect(malformed(decodeFrame(frame('tool-end', { isError: false })))).toBe('"tool-end": missing field "toolCallId"')
    expect(malformed(decodeFrame(frame('tool-output', { meta: 'x' })))).toBe('"tool-output": missing field "toolCallId"')
  })

  it('tool-start with an id of the wrong type or empty', () => {
    expect(malformed(decodeFrame(frame('tool-start', { toolCallId: true })))).toBe('"tool-start": field "toolCallId" must be a string, got boolean')
    expect(malformed(decodeFrame(frame('tool-start', { toolCallId: { a: 1 } })))).toContain('"toolCallId"')
    expect(decodeFrame(frame('tool-start', { toolCallId: '' }))).toMatchObject({ ok: false, reason: 'malformed' })
  })

  it('a non-finite numeric id is malformed', () => {
    expect(decodeEvent({ type: 'tool-start', data: { toolCallId: Number.NaN } })).toMatchObject({ ok: false, reason: 'malformed' })
    expect(decodeEvent({ type: 'tool-end', data: { toolCallId: Number.POSITIVE_INFINITY } })).toMatchObject({ ok: false, reason: 'malformed' })
  })

  it('tool-start with a non-string toolName or label is malformed', () => {
    expect(malformed(decodeFrame(frame('tool-start', { toolCallId: 'a', toolName: 3 })))).toBe('"tool-start": field "toolName" must be a string, got number')
    expect(malformed(decodeFrame(frame('tool-start', { toolCallId: 'a', label: {} })))).toBe('"tool-start": field "label" must be a string, got object')
  })
})

describe('decodeEvent: prototype pollution', () => {
  it('a __proto__ key in arguments and data does not pollute Object.prototype', () => {
    const value: unknown = JSON.parse(
      '{"type":"tool-start","data":{"toolCallId":"a","toolName":"x","arguments":{"__proto__":{"polluted":1}},"__proto__":{"polluted":1}}}',
    )
    const result = decodeEvent(value)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const event = ok(result)
    expect(event.type).toBe('tool-start')
    if (event.type !== 'tool-start') return
    expect(event.toolCallId).toBe('a')
    expect(event.toolName).toBe('x')
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype)
    expect((event as unknown as Record<string, unknown>).polluted).toBeUndefined()
    // a copy of the arguments (as a store might do) must not pollute either
    const copy: Record<string, unknown> = { ...(event.arguments as Record<string, unknown>) }
    expect(copy).toBeDefined()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('a __proto__ key does not stand in for a missing field', () => {
    const value: unknown = JSON.parse('{"type":"tool-start","data":{"__proto__":{"toolCallId":"evil"}}}')
    expect(malformed(decodeEvent(value))).toBe('"tool-start": missing field "toolCallId"')
    expect(({} as Record<string, unknown>).toolCallId).toBeUndefined()
  })

  it('a frame whose __proto__ carries a type is still rejected', () => {
    const value: unknown = JSON.parse('{"__proto__":{"type":"text-delta"},"text":"x"}')
    expect(malformed(decodeEvent(value))).toBe('frame has no string "type"')
  })

  it('a constructor.prototype payload does not pollute Object.prototype', () => {
    const text = '{"type":"tool-end","data":{"toolCallId":"b","output":{"constructor":{"prototype":{"polluted":1}}},"constructor":{"prototype":{"polluted":1}}}}'
    const event = ok(decodeFrame(text))
    // (toStrictEqual compares `.constructor`, which this payload overrides: compare the JSON instead)
    expect(JSON.stringify(event)).toBe(
      JSON.stringify({ type: 'tool-end', toolCallId: 'b', isError: false, output: { constructor: { prototype: { polluted: 1 } } } }),
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('a constructor.prototype payload at the frame level decodes', () => {
    const text = '{"type":"text-delta","constructor":{"prototype":{"polluted":1}},"text":"hi"}'
    expect(ok(decodeFrame(text))).toStrictEqual({ type: 'text-delta', text: 'hi' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('inherited properties are not read as fields', () => {
    const data = Object.create({ text: 'inherited' }) as Record<string, unknown>
    expect(malformed(decodeEvent({ type: 'text-delta', data }))).toBe('"text-delta": missing field "text"')
  })
})

describe('decodeEvent on values', () => {
  it('decodes an already-parsed object', () => {
    expect(decodeEvent({ type: 'text-delta', data: { text: 'v' } })).toStrictEqual({ ok: true, event: { type: 'text-delta', text: 'v' } })
  })

  it('undefined is malformed', () => {
    expect(malformed(decodeEvent(undefined))).toBe('frame is undefined, not an object')
  })

  it('never throws on odd values', () => {
    for (const v of [Symbol('s'), () => 1, new Date(0), new Map(), 10n]) {
      expect(() => decodeEvent(v)).not.toThrow()
    }
    expect(decodeEvent(new Date(0))).toMatchObject({ ok: false, reason: 'malformed', message: 'frame has no string "type"' })
  })
})

describe('decodeFrame: the canonical delta fast path agrees with the general path', () => {
  const general = (data: string) => decodeEvent(JSON.parse(data) as unknown)
  it.each([
    '{"type":"text-delta","data":{"text":"Hello"}}',
    '{"type":"reasoning-delta","data":{"text":"hmm \\"quoted\\" \\\\ back\\nslash \\u00e9 😀"}}',
    '{"type":"text-delta","data":{"text":""}}',
    '{"type":"text-delta","data":{"text":"a","text":"b"}}',
    '{"type":"text-delta","data":{"text":"a"},"type":"error"}',
    '{"type":"text-delta","data":{"text":"a","extra":1}}',
    '{"type":"text-delta", "data":{"text":"spaced"}}',
    '{"type":"text-delta","data":{"text":"a\\"}}"}}',
  ])('%s', (data) => {
    expect(decodeFrame(data)).toEqual(general(data))
  })

  it('an invalid escape inside the canonical shape is reported as malformed, not thrown', () => {
    expect(decodeFrame('{"type":"text-delta","data":{"text":"bad \\x"}}')).toMatchObject({ ok: false, reason: 'malformed' })
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyEvents, createInitialState, messageText, reduce, type ChatAction, type ChatMessage, type ChatState } from '../../src/core'
import { ChatError, type ChatEvent } from '../../src/protocol'

const user = (id: string, text: string): ChatMessage => ({ id, role: 'user', parts: [{ type: 'text', text }], createdAt: 1 })
const assistant = (id = 'a1'): ChatMessage => ({ id, role: 'assistant', parts: [], createdAt: 1 })

/** A state with a running turn: the user's message settled, the assistant's live. */
function running(base: ChatState = createInitialState('s1')): ChatState {
  return reduce(base, { type: 'turn/start', user: user('u1', 'hi'), assistant: assistant() }, 100)
}

const last = (state: ChatState): ChatMessage => {
  const m = state.messages[state.messages.length - 1]
  if (m === undefined) throw new Error('no message')
  return m
}

describe('turn/start', () => {
  it('appends the user message, opens a live assistant message and clears the previous error and runId', () => {
    const failed: ChatState = { ...createInitialState('s1'), status: 'error', error: new ChatError({ kind: 'network', message: 'x' }), runId: 'r0' }
    const s = reduce(failed, { type: 'turn/start', user: user('u1', 'hi'), assistant: assistant() }, 5)
    expect(s.status).toBe('submitted')
    expect(s.messages.map((m) => m.id)).toEqual(['u1'])
    expect(s.live?.id).toBe('a1')
    expect(s.error).toBeUndefined()
    expect(s.runId).toBeUndefined()
  })

  it('a turn still live is kept as interrupted, even empty (its question was asked), its open parts closed', () => {
    let s = running()
    s = reduce(s, { type: 'turn/start', user: user('u2', 'again'), assistant: assistant('a2') }, 120)
    expect(s.messages.map((m) => [m.id, m.finish])).toEqual([['u1', undefined], ['a1', 'interrupted'], ['u2', undefined]])
    s = reduce(s, { type: 'reasoning-delta', text: 'thinking' }, 130)
    s = reduce(s, { type: 'turn/start', user: user('u3', 'once more'), assistant: assistant('a3') }, 150)
    expect(s.messages.find((m) => m.id === 'a2')).toMatchObject({ finish: 'interrupted', parts: [{ type: 'reasoning', state: 'done', durationMs: 20 }] })
    expect(s.live?.id).toBe('a3')
  })

  it('on retry drops the failed assistant message and keeps the user message', () => {
    let s = running()
    s = reduce(s, { type: 'text-delta', text: 'part' }, 110)
    s = reduce(s, { type: 'turn/finish', finish: 'interrupted', error: new ChatError({ kind: 'network', message: 'cut' }) }, 120)
    expect(s.messages.map((m) => m.id)).toEqual(['u1', 'a1'])
    s = reduce(s, { type: 'turn/start', assistant: assistant('a2'), dropMessageId: 'a1' }, 130)
    expect(s.messages.map((m) => m.id)).toEqual(['u1'])
    expect(s.live?.id).toBe('a2')
  })
})

describe('stream events', () => {
  it('keeps parts in stream order: reasoning, tool, text, tool, text', () => {
    const events: ChatEvent[] = [
      { type: 'lifecycle', phase: 'start', runId: 'r1' },
      { type: 'reasoning-delta', text: 'Let me ' },
      { type: 'reasoning-delta', text: 'think.' },
      { type: 'tool-start', toolCallId: 't1', toolName: 'search', label: 'Searching', subject: 'cats', arguments: { q: 'cats' } },
      { type: 'tool-end', toolCallId: 't1', isError: false, output: ['a'], durationMs: 42 },
      { type: 'text-delta', text: 'Cats ' },
      { type: 'text-delta', text: 'are great.' },
      { type: 'tool-start', toolCallId: 't2', toolName: 'fetch' },
      { type: 'text-delta', text: ' More.' },
    ]
    const s = applyEvents(running(), events, 200)
    expect(s.status).toBe('streaming')
    expect(s.runId).toBe('r1')
    const parts = s.live?.parts ?? []
    expect(parts.map((p) => p.type)).toEqual(['reasoning', 'tool', 'text', 'tool', 'text'])
    expect(parts[0]).toMatchObject({ type: 'reasoning', text: 'Let me think.', state: 'done' })
    expect(parts[1]).toMatchObject({ name: 'search', label: 'Searching', subject: 'cats', arguments: { q: 'cats' }, state: 'done', durationMs: 42, output: ['a'] })
    expect(parts[2]).toEqual({ type: 'text', text: 'Cats are great.' })
    expect(parts[3]).toMatchObject({ name: 'fetch', state: 'running' })
  })

  it('measures reasoning and tool durations from the clock when the server does not send them', () => {
    let s = reduce(running(), { type: 'reasoning-delta', text: 'hmm' }, 1000)
    s = reduce(s, { type: 'tool-start', toolCallId: 't', toolName: 'x' }, 1500)
    s = reduce(s, { type: 'tool-end', toolCallId: 't', isError: true, output: 'boom' }, 1800)
    const [reasoning, tool] = s.live?.parts ?? []
    expect(reasoning).toMatchObject({ state: 'done', durationMs: 500 })
    expect(tool).toMatchObject({ state: 'error', durationMs: 300, output: 'boom' })
  })

  it('overlapping tool calls each keep their card', () => {
    const s = applyEvents(running(), [
      { type: 'tool-start', toolCallId: 'a', toolName: 'one' },
      { type: 'tool-start', toolCallId: 'b', toolName: 'two' },
      { type: 'tool-end', toolCallId: 'b', isError: false, output: 2 },
      { type: 'tool-end', toolCallId: 'a', isError: true, output: 1 },
    ], 10)
    expect(s.live?.parts).toMatchObject([
      { toolCallId: 'a', name: 'one', state: 'error', output: 1 },
      { toolCallId: 'b', name: 'two', state: 'done', output: 2 },
    ])
  })

  it('a tool-end without a start creates the card; a duplicated start never resets it', () => {
    const s = applyEvents(running(), [
      { type: 'tool-end', toolCallId: 'x', isError: false, output: 'r', toolName: 'late' },
      { type: 'tool-start', toolCallId: 'y', toolName: 'y', arguments: { a: 1 } },
      { type: 'tool-end', toolCallId: 'y', isError: false, output: 'ok' },
      { type: 'tool-start', toolCallId: 'y', toolName: 'y', label: 'Label later' },
    ], 10)
    expect(s.live?.parts).toMatchObject([
      { toolCallId: 'x', name: 'late', state: 'done', output: 'r' },
      { toolCallId: 'y', state: 'done', output: 'ok', arguments: { a: 1 }, label: 'Label later' },
    ])
    expect(s.live?.parts).toHaveLength(2)
  })

  it('a legacy second end adds output and can only turn a card into an error', () => {
    const s = applyEvents(running(), [
      { type: 'tool-start', toolCallId: 't', toolName: 'x' },
      { type: 'tool-end', toolCallId: 't', isError: true },
      { type: 'tool-end', toolCallId: 't', isError: false, output: { meta: 1 } },
    ], 10)
    expect(s.live?.parts[0]).toMatchObject({ state: 'error', output: { meta: 1 } })
  })

  it('ignores empty deltas and events when no turn is live', () => {
    const s = running()
    expect(reduce(s, { type: 'text-delta', text: '' }, 1).live).toBe(s.live)
    const idle = createInitialState()
    expect(reduce(idle, { type: 'text-delta', text: 'x' }, 1)).toBe(idle)
    expect(reduce(idle, { type: 'done', text: 'x' }, 1)).toBe(idle)
  })

  it('done settles the message: open reasoning closed, running tools interrupted', () => {
    let s = applyEvents(running(), [
      { type: 'tool-start', toolCallId: 't', toolName: 'x' },
      { type: 'reasoning-delta', text: 'still thinking' },
    ], 10)
    s = reduce(s, { type: 'done', text: '' }, 50)
    expect(s.live).toBeUndefined()
    expect(s.status).toBe('ready')
    expect(last(s)).toMatchObject({ id: 'a1', finish: 'done', parts: [{ state: 'interrupted', durationMs: 40 }, { state: 'done', durationMs: 40 }] })
  })

  it('lifecycle aborted finishes the message aborted, even when empty', () => {
    const s = reduce(running(), { type: 'lifecycle', phase: 'aborted', runId: 'r1' }, 10)
    expect(last(s)).toMatchObject({ id: 'a1', finish: 'aborted', parts: [] })
    expect(s.status).toBe('ready')
  })

  it('lifecycle end alone does not finish the message', () => {
    const s = reduce(running(), { type: 'lifecycle', phase: 'end' }, 10)
    expect(s.live?.id).toBe('a1')
  })

  it('an error event keeps the partial text and records a typed server error', () => {
    let s = reduce(running(), { type: 'text-delta', text: 'partial' }, 10)
    s = reduce(s, { type: 'error', message: 'Refused', errorKind: 'refusal', code: 'E1' }, 20)
    expect(s.status).toBe('error')
    expect(s.error).toBeInstanceOf(ChatError)
    expect(s.error).toMatchObject({ kind: 'server', errorKind: 'refusal', code: 'E1', message: 'Refused' })
    expect(last(s)).toMatchObject({ finish: 'error', parts: [{ type: 'text', text: 'partial' }], error: { kind: 'server', errorKind: 'refusal', message: 'Refused' } })
  })

  it('a failed turn that produced nothing leaves no empty bubble, but the error stays', () => {
    const s = reduce(running(), { type: 'error', message: 'Timed out', errorKind: 'timeout' }, 20)
    expect(s.messages.map((m) => m.id)).toEqual(['u1'])
    expect(s.error?.errorKind).toBe('timeout')
  })
})

describe('done.text reconciliation', () => {
  const finish = (streamed: string[], doneText: string | undefined): string => {
    let s = applyEvents(running(), streamed.map((text) => ({ type: 'text-delta', text }) as ChatEvent), 10)
    s = reduce(s, doneText === undefined ? { type: 'done' } : { type: 'done', text: doneText }, 20)
    return messageText(last(s))
  }

  it('a longer done.text that extends the streamed text wins (lost deltas are recovered)', () => {
    expect(finish(['Hel'], 'Hello world')).toBe('Hello world')
  })
  it('a shorter or different done.text never replaces what was streamed', () => {
    expect(finish(['Hello world'], 'Hello')).toBe('Hello world')
    expect(finish(['Hello world'], 'Bonjour le monde, longer')).toBe('Hello world')
    expect(finish(['Hello'], '')).toBe('Hello')
    expect(finish(['Hello'], undefined)).toBe('Hello')
  })
  it('done.text with only the last segment after a tool call extends that segment', () => {
    let s = applyEvents(running(), [
      { type: 'text-delta', text: 'Before. ' },
      { type: 'tool-start', toolCallId: 't', toolName: 'x' },
      { type: 'tool-end', toolCallId: 't', isError: false },
      { type: 'text-delta', text: 'After' },
    ], 10)
    s = reduce(s, { type: 'done', text: 'After the tool.' }, 20)
    expect(messageText(last(s))).toBe('Before. After the tool.')
  })
  it('done.text with nothing streamed becomes the answer', () => {
    expect(finish([], 'Only in done')).toBe('Only in done')
  })
})

describe('usage', () => {
  it('is kept per message and summed into session totals; a second usage event replaces, not adds', () => {
    let s = reduce(running(), { type: 'usage', tokensIn: 10, tokensOut: 5 }, 10)
    s = reduce(s, { type: 'usage', tokensIn: 12, tokensOut: 6, costUsd: 0.01 }, 10)
    s = reduce(s, { type: 'done' }, 10)
    expect(last(s).usage).toEqual({ tokensIn: 12, tokensOut: 6, costUsd: 0.01 })
    expect(s.usage).toEqual({ tokensIn: 12, tokensOut: 6, costUsd: 0.01 })
    s = reduce(s, { type: 'turn/start', user: user('u2', 'again'), assistant: assistant('a2') }, 20)
    s = reduce(s, { type: 'usage', tokensIn: 100, tokensOut: 1, costUsd: 0.02 }, 20)
    expect(s.usage.tokensIn).toBe(112)
    expect(s.usage.costUsd).toBeCloseTo(0.03)
  })

  it('usage/filled completes a settled message and the totals', () => {
    let s = reduce(running(), { type: 'usage', tokensOut: 5 }, 10)
    s = reduce(s, { type: 'done' }, 10)
    s = reduce(s, { type: 'usage/filled', messageId: 'a1', usage: { tokensIn: 7, costUsd: 0.5 } }, 10)
    expect(last(s).usage).toEqual({ tokensIn: 7, tokensOut: 5, costUsd: 0.5 })
    expect(s.usage).toEqual({ tokensIn: 7, tokensOut: 5, costUsd: 0.5 })
    expect(reduce(s, { type: 'usage/filled', messageId: 'nope', usage: { tokensIn: 1 } }, 1)).toBe(s)
  })

  it('history usage is added to the totals', () => {
    const withUsage: ChatMessage = { ...assistant('h1'), finish: 'done', usage: { tokensIn: 3, tokensOut: 4, costUsd: 1 } }
    const s = reduce(createInitialState('s'), { type: 'history/loaded', messages: [user('h0', 'q'), withUsage] }, 1)
    expect(s.usage).toEqual({ tokensIn: 3, tokensOut: 4, costUsd: 1 })
  })
})

describe('local actions', () => {
  it('history is placed before the conversation and loaded once (duplicates by id skipped)', () => {
    let s = running()
    s = reduce(s, { type: 'done' }, 1)
    const page = [user('h1', 'old q'), { ...assistant('h2'), finish: 'done' as const }]
    s = reduce(s, { type: 'history/loaded', messages: page }, 2)
    expect(s.messages.map((m) => m.id)).toEqual(['h1', 'h2', 'u1', 'a1'])
    expect(reduce(s, { type: 'history/loaded', messages: page }, 3)).toBe(s)
  })

  it('stop-requested marks a live run stopping, and only then', () => {
    const s = reduce(running(), { type: 'turn/stop-requested' }, 1)
    expect(s.status).toBe('stopping')
    expect(reduce(s, { type: 'turn/stop-requested' }, 1)).toBe(s)
    const idle = createInitialState()
    expect(reduce(idle, { type: 'turn/stop-requested' }, 1)).toBe(idle)
    // deltas still in flight do not turn `stopping` back into `streaming`
    expect(reduce(s, { type: 'text-delta', text: 'x' }, 1).status).toBe('stopping')
  })

  it('queue add/update/remove', () => {
    let s = reduce(createInitialState(), { type: 'queue/add', item: { id: 'q1', text: 'a', attachments: [], createdAt: 1 } }, 1)
    s = reduce(s, { type: 'queue/update', id: 'q1', text: 'b' }, 1)
    expect(s.queue).toEqual([{ id: 'q1', text: 'b', attachments: [], createdAt: 1 }])
    expect(reduce(s, { type: 'queue/remove', id: 'zz' }, 1)).toBe(s)
    expect(reduce(s, { type: 'queue/remove', id: 'q1' }, 1).queue).toEqual([])
  })

  it('error/clear returns to ready; reset forgets everything but an optional session key', () => {
    let s = reduce(running(), { type: 'error', message: 'x', errorKind: 'unknown' }, 1)
    s = reduce(s, { type: 'error/clear' }, 1)
    expect(s.status).toBe('ready')
    expect(s.error).toBeUndefined()
    expect(reduce(s, { type: 'reset', sessionKey: 'k2' }, 1)).toEqual(createInitialState('k2'))
  })

  it('settled messages keep their identity while a new turn streams', () => {
    let s = reduce(running(), { type: 'done', text: 'first' }, 1)
    const settled = s.messages.slice()
    s = reduce(s, { type: 'turn/start', user: user('u2', 'b'), assistant: assistant('a2') }, 2)
    for (let i = 0; i < 50; i++) s = reduce(s, { type: 'text-delta', text: 'x' }, 3)
    settled.forEach((m, i) => expect(s.messages[i]).toBe(m))
  })
})

// ---- property: the reducer is total ----

const anyJson = fc.jsonValue({ maxDepth: 2 })
const id = fc.constantFrom('t1', 't2', 't3', '', 'a1')
const text = fc.string({ maxLength: 6 })
const eventArb: fc.Arbitrary<ChatEvent> = fc.oneof(
  fc.record({ type: fc.constant('text-delta' as const), text }),
  fc.record({ type: fc.constant('reasoning-delta' as const), text }),
  fc.record({ type: fc.constant('tool-start' as const), toolCallId: id, toolName: fc.string({ maxLength: 4 }), arguments: fc.option(anyJson, { nil: undefined }), label: fc.option(text, { nil: undefined }) }, { requiredKeys: ['type', 'toolCallId', 'toolName'] }),
  fc.record({ type: fc.constant('tool-end' as const), toolCallId: id, isError: fc.boolean(), output: fc.option(anyJson, { nil: undefined }), durationMs: fc.option(fc.nat(), { nil: undefined }) }, { requiredKeys: ['type', 'toolCallId', 'isError'] }),
  fc.record({ type: fc.constant('lifecycle' as const), phase: fc.constantFrom('start' as const, 'end' as const, 'error' as const, 'aborted' as const), runId: fc.option(fc.string({ maxLength: 3 }), { nil: undefined }) }, { requiredKeys: ['type', 'phase'] }),
  fc.record({ type: fc.constant('usage' as const), tokensIn: fc.option(fc.nat(), { nil: undefined }), tokensOut: fc.option(fc.nat(), { nil: undefined }), costUsd: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('done' as const), text: fc.option(text, { nil: undefined }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('error' as const), message: text, errorKind: fc.constantFrom('refusal' as const, 'timeout' as const, 'rate_limit' as const, 'context_length' as const, 'unknown' as const) }),
)
const localArb: fc.Arbitrary<ChatAction> = fc.oneof(
  fc.record({ type: fc.constant('turn/start' as const), assistant: fc.constantFrom('a1', 'a2', 'a3').map(assistant), user: fc.option(fc.constantFrom('u1', 'u2').map((u) => user(u, 'q')), { nil: undefined }), dropMessageId: fc.option(fc.constantFrom('a1', 'u1'), { nil: undefined }) }, { requiredKeys: ['type', 'assistant'] }),
  fc.constant({ type: 'turn/stop-requested' as const }),
  fc.record({ type: fc.constant('turn/finish' as const), finish: fc.constantFrom('aborted' as const, 'interrupted' as const, 'error' as const) }),
  fc.record({ type: fc.constant('usage/filled' as const), messageId: fc.constantFrom('a1', 'a2', 'u1'), usage: fc.record({ tokensIn: fc.nat() }) }),
  fc.record({ type: fc.constant('history/loaded' as const), messages: fc.array(fc.constantFrom(user('h1', 'x'), { ...assistant('h2'), finish: 'done' as const }, { ...assistant('a1'), finish: 'done' as const }), { maxLength: 3 }) }),
  fc.constant({ type: 'error/clear' as const }),
  fc.record({ type: fc.constant('session/key' as const), sessionKey: fc.string({ maxLength: 3 }) }),
)

describe('reducer totality (property)', () => {
  it('never throws, and keeps its invariants, for any sequence of events and actions', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof({ arbitrary: eventArb, weight: 4 }, { arbitrary: localArb, weight: 1 }), { maxLength: 60 }), fc.integer({ min: 0, max: 1e9 }), (actions, t0) => {
        let s = createInitialState()
        let now = t0
        for (const action of actions) {
          const before = s
          s = reduce(s, action, (now += 7))
          // invariants
          expect(s.status === 'submitted' || s.status === 'streaming' || s.status === 'stopping').toBe(s.live !== undefined)
          expect(Number.isFinite(s.usage.tokensIn) && Number.isFinite(s.usage.costUsd)).toBe(true)
          // every assistant message that becomes settled carries how it finished
          for (const m of s.messages) if (m.role === 'assistant' && !before.messages.includes(m)) expect(m.finish).toBeDefined()
          expect(new Set(s.messages.map((m) => m.id)).size).toBeLessThanOrEqual(s.messages.length)
        }
      }),
      { numRuns: 500 },
    )
  })
})

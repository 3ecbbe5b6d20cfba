import { describe, expect, it } from 'vitest'
import { RunMapper, errorKindOf, messageText, toolLabel, toolOutput, toolSubject, type GatewayEventFrame } from '../../src/gateway'
import type { ChatEvent } from '../../src/protocol'
import { RECORDINGS, loadRun, type RecordingName } from './fixture-data'

/** Consecutive text / reasoning deltas joined into one entry: the shape a client renders. */
function shape(events: ChatEvent[]): unknown[] {
  const out: unknown[] = []
  for (const e of events) {
    const last = out[out.length - 1] as { text?: string; reasoning?: string } | undefined
    if (e.type === 'text-delta') {
      if (last !== undefined && typeof last.text === 'string' && Object.keys(last).length === 1) last.text += e.text
      else out.push({ text: e.text })
    } else if (e.type === 'reasoning-delta') {
      if (last !== undefined && typeof last.reasoning === 'string') last.reasoning += e.text
      else out.push({ reasoning: e.text })
    } else out.push(e)
  }
  return out
}

function replay(name: RecordingName): { events: ChatEvent[]; runId: string; finalText: string | undefined } {
  const run = loadRun(name)
  const mapper = new RunMapper({ runId: run.runId })
  const events = [...mapper.start()]
  let finalText: string | undefined
  for (const { frame } of run.events) {
    events.push(...mapper.push(frame))
    const p = frame.payload as { state?: string; message?: unknown }
    if (frame.event === 'chat' && (p.state === 'final' || p.state === 'aborted')) finalText = messageText(p.message)
  }
  // frames after the terminal change nothing
  for (const { frame } of run.events) expect(mapper.push(frame)).toEqual([])
  expect(mapper.finished).toBe(true)
  return { events, runId: run.runId, finalText }
}

const chat = (runId: string, state: string, extra: Record<string, unknown> = {}): GatewayEventFrame => ({ type: 'event', event: 'chat', payload: { runId, sessionKey: 'agent:main:x', seq: 1, state, ...extra } })
const agent = (runId: string, stream: string, data: Record<string, unknown>, ts?: number): GatewayEventFrame => ({
  type: 'event',
  event: 'agent',
  payload: { runId, stream, data, sessionKey: 'agent:main:x', ...(ts === undefined ? {} : { ts }) },
})
const msg = (text: string) => ({ role: 'assistant', content: [{ type: 'text', text }] })

describe('RunMapper over the recorded gateway runs', () => {
  it('every recording: starts with lifecycle start, ends with exactly one terminal, streamed text = the gateway’s final message', () => {
    for (const name of RECORDINGS) {
      const { events, runId, finalText } = replay(name)
      expect(events[0], name).toEqual({ type: 'lifecycle', phase: 'start', runId })
      const terminals = events.filter((e) => e.type === 'done' || e.type === 'error' || (e.type === 'lifecycle' && e.phase === 'aborted'))
      expect(terminals, name).toHaveLength(1)
      expect(events[events.length - 1], name).toBe(terminals[0])
      const streamed = events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('')
      expect(streamed, name).toBe(finalText)
      expect(events.filter((e) => e.type === 'lifecycle' && e.phase === 'start'), name).toHaveLength(1)
    }
  })

  it('scenarioA (plain answer): start, text, lifecycle end, done with the full text', () => {
    const { events, runId, finalText } = replay('scenarioA')
    expect(finalText).toMatch(/^w0 w1 .* w39$/)
    expect(shape(events)).toEqual([
      { type: 'lifecycle', phase: 'start', runId },
      { text: finalText },
      { type: 'lifecycle', phase: 'end', runId },
      { type: 'done', text: finalText },
    ])
    // increments, not cumulative
    expect(events.filter((e) => e.type === 'text-delta').length).toBeGreaterThan(20)
  })

  it('scenarioA_reasoning: reasoning from agent thinking first, then the answer held back to one delta', () => {
    const { events, runId, finalText } = replay('scenarioA_reasoning')
    expect(shape(events)).toEqual([
      { type: 'lifecycle', phase: 'start', runId },
      { reasoning: 'thinking step 0. thinking step 1. thinking step 2. thinking step 3. thinking step 4.' },
      { text: finalText },
      { type: 'lifecycle', phase: 'end', runId },
      { type: 'done', text: finalText },
    ])
  })

  it('scenarioB_tool: text before the call, a tool card with label, subject, arguments, duration and output, then text after', () => {
    const { events, runId, finalText } = replay('scenarioB_tool')
    expect(shape(events)).toEqual([
      { type: 'lifecycle', phase: 'start', runId },
      { text: 'Let me read the file.' },
      { type: 'tool-start', toolCallId: 'call_fake_1', toolName: 'read', label: 'Read from hello.txt' },
      { type: 'tool-start', toolCallId: 'call_fake_1', toolName: 'read', label: 'Read from hello.txt', arguments: { path: 'hello.txt' }, subject: 'hello.txt' },
      // startedAt 1795480649831 (item) → result frame ts 1795480649864
      { type: 'tool-end', toolCallId: 'call_fake_1', toolName: 'read', isError: false, durationMs: 33, output: 'hello from workspace file\n' },
      { text: '\n\nThe tool returned: "hello from workspace file ". Done with scenario B.' },
      { type: 'lifecycle', phase: 'end', runId },
      { type: 'done', text: finalText },
    ])
  })

  it('abort_midway: the partial text is kept and the run ends with lifecycle aborted (no done)', () => {
    const { events, runId, finalText } = replay('abort_midway')
    expect(finalText).toMatch(/^w0 .* w33$/)
    expect(shape(events)).toEqual([{ type: 'lifecycle', phase: 'start', runId }, { text: finalText }, { type: 'lifecycle', phase: 'aborted', runId }])
  })
})

describe('RunMapper edge cases', () => {
  it('uses the whole message text when deltas were lost or coalesced', () => {
    const m = new RunMapper({ runId: 'r' })
    const out = [...m.push(chat('r', 'delta', { deltaText: 'Hel', message: msg('Hel') }))]
    // a delta went missing: "lo wor" never arrived
    out.push(...m.push(chat('r', 'delta', { deltaText: 'ld', message: msg('Hello world') })))
    // only a whole-text message, no deltaText
    out.push(...m.push(chat('r', 'delta', { message: msg('Hello world!') })))
    expect(shape(out)).toEqual([{ type: 'lifecycle', phase: 'start', runId: 'r' }, { text: 'Hello world!' }])
    expect(out.filter((e) => e.type === 'text-delta').map((e) => (e as { text: string }).text)).toEqual(['Hel', 'lo world', '!'])
  })

  it('replace: an extension is sent as the difference; a rewrite of sent text is held until the text extends it again; done carries the final text', () => {
    const m = new RunMapper({ runId: 'r' })
    const texts = (events: ChatEvent[]) => events.filter((e) => e.type === 'text-delta').map((e) => (e as { text: string }).text)
    expect(texts(m.push(chat('r', 'delta', { deltaText: 'Draft one' })))).toEqual(['Draft one'])
    expect(texts(m.push(chat('r', 'delta', { deltaText: 'Draft one, two', replace: true })))).toEqual([', two'])
    // rewritten: nothing can be retracted, nothing is duplicated
    expect(texts(m.push(chat('r', 'delta', { deltaText: 'Final answer', replace: true })))).toEqual([])
    expect(texts(m.push(chat('r', 'delta', { deltaText: ' grows' })))).toEqual([])
    expect(m.push(chat('r', 'final', { message: msg('Final answer grows.') }))).toEqual([
      { type: 'lifecycle', phase: 'end', runId: 'r' },
      { type: 'done', text: 'Final answer grows.' },
    ])
    expect(m.text).toBe('Draft one, two')
  })

  it('final adds text the deltas never carried (the reasoning case: the answer arrives with final only)', () => {
    const m = new RunMapper({ runId: 'r' })
    m.start()
    expect(m.push(chat('r', 'final', { message: msg('All at once') }))).toEqual([
      { type: 'text-delta', text: 'All at once' },
      { type: 'lifecycle', phase: 'end', runId: 'r' },
      { type: 'done', text: 'All at once' },
    ])
  })

  it('chat error → error with the gateway’s errorKind (unknown kinds read as unknown)', () => {
    const m = new RunMapper({ runId: 'r' })
    m.start()
    expect(m.push(chat('r', 'error', { errorMessage: 'Rate limited by provider', errorKind: 'rate_limit' }))).toEqual([
      { type: 'error', message: 'Rate limited by provider', errorKind: 'rate_limit' },
    ])
    expect(errorKindOf('context_overflow')).toBe('context_length')
    expect(errorKindOf('weird')).toBe('unknown')
    expect(errorKindOf(undefined)).toBe('unknown')
  })

  it('a lifecycle end without a chat terminal settles as done with the terminal reply; a lifecycle error as an error', () => {
    const a = new RunMapper({ runId: 'a' })
    a.start()
    a.push(chat('a', 'delta', { deltaText: 'Partial' }))
    a.push(agent('a', 'lifecycle', { phase: 'end', terminalReply: { text: 'Partial and rest' } }))
    expect(a.lifecycleEnded).toBe('end')
    expect(a.settle()).toEqual([
      { type: 'text-delta', text: ' and rest' },
      { type: 'lifecycle', phase: 'end', runId: 'a' },
      { type: 'done', text: 'Partial and rest' },
    ])
    const b = new RunMapper({ runId: 'b' })
    b.start()
    b.push(agent('b', 'lifecycle', { phase: 'error', error: 'model exploded' }))
    expect(b.settle()).toEqual([{ type: 'error', message: 'model exploded', errorKind: 'unknown' }])
    // the error that follows an abort is not a failure
    const c = new RunMapper({ runId: 'c' })
    c.push(agent('c', 'lifecycle', { phase: 'error', error: 'This operation was aborted', aborted: true }))
    expect(c.lifecycleEnded).toBeUndefined()
  })

  it('tool events without item events; a failed tool; an item that ends without a tool result; other runs ignored', () => {
    const m = new RunMapper({ runId: 'r', now: () => 0 })
    m.start()
    expect(m.push(agent('r', 'tool', { phase: 'start', name: 'web_search', toolCallId: 't1', args: { query: 'hono sse', count: 3 } }, 1000))).toEqual([
      { type: 'tool-start', toolCallId: 't1', toolName: 'web_search', label: 'Web search', arguments: { query: 'hono sse', count: 3 }, subject: 'hono sse' },
    ])
    expect(m.push(agent('r', 'tool', { phase: 'result', name: 'web_search', toolCallId: 't1', isError: true, result: { content: [{ type: 'text', text: 'network down' }] } }, 1250))).toEqual([
      { type: 'tool-end', toolCallId: 't1', toolName: 'web_search', isError: true, durationMs: 250, output: 'network down' },
    ])
    expect(m.push(agent('r', 'item', { kind: 'tool', phase: 'start', toolCallId: 't2', name: 'exec', title: 'Ran ls', startedAt: 2000 }, 2000))).toEqual([
      { type: 'tool-start', toolCallId: 't2', toolName: 'exec', label: 'Ran ls' },
    ])
    expect(m.push(agent('r', 'item', { kind: 'tool', phase: 'end', toolCallId: 't2', name: 'exec', title: 'Ran ls', status: 'failed', startedAt: 2000, endedAt: 2400 }, 2400))).toEqual([
      { type: 'tool-end', toolCallId: 't2', toolName: 'exec', isError: true, durationMs: 400 },
    ])
    expect(m.push(agent('other', 'tool', { phase: 'start', name: 'x', toolCallId: 't9' }))).toEqual([])
    expect(m.push(agent('r', 'item', { kind: 'preamble', phase: 'update', progressText: 'hm' }))).toEqual([])
  })

  it('thinking given only as cumulative text', () => {
    const m = new RunMapper({ runId: 'r' })
    m.start()
    const out = [...m.push(agent('r', 'thinking', { text: 'Step 1.' })), ...m.push(agent('r', 'thinking', { text: 'Step 1. Step 2.' }))]
    expect(out).toEqual([{ type: 'reasoning-delta', text: 'Step 1.' }, { type: 'reasoning-delta', text: ' Step 2.' }])
  })
})

describe('tool info', () => {
  it('picks a subject from telling arguments', () => {
    expect(toolSubject({ path: 'src/a.ts', content: 'x' })).toBe('src/a.ts')
    expect(toolSubject({ url: 'https://example.com/a' })).toBe('https://example.com/a')
    expect(toolSubject({ command: ['ls', '-la'] })).toBe('ls -la')
    expect(toolSubject({ query: '  hono\n sse ' })).toBe('hono sse')
    expect(toolSubject({ only: 'value', n: 3 })).toBe('value')
    expect(toolSubject({ a: 'x', b: 'y' })).toBeUndefined()
    expect(toolSubject(undefined)).toBeUndefined()
    expect(toolSubject({ path: 'p'.repeat(500) })?.length).toBe(200)
  })

  it('labels and outputs', () => {
    expect(toolLabel('read')).toBe('Read')
    expect(toolLabel('web_search')).toBe('Web search')
    expect(toolLabel('applyPatch')).toBe('Apply patch')
    expect(toolOutput({ content: [{ type: 'text', text: 'a' }, { type: 'image' }, { type: 'text', text: 'b' }] })).toBe('a\n[image]\nb')
    expect(toolOutput({ details: { content: 'd' } })).toBe('d')
    expect(toolOutput({ ok: 1 })).toBe('{"ok":1}')
    expect(toolOutput('x'.repeat(70_000))?.length).toBeLessThan(66_000)
    expect(toolOutput(undefined)).toBeUndefined()
  })
})

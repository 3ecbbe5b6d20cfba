import { WebSocket } from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import { ChatController, messageText, type ChatState, type ToolPart } from '../../src/core'
import { gatewayTransport, type GatewayTransport, type GatewayTransportOptions } from '../../src/gateway'
import { lastMessage as last, liveText, stopMidAnswer, words } from '../helpers/turns'
import { startFakeGateway, type FakeGateway } from './fake-gateway'
import { loadRun } from './fixture-data'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup(options: Partial<GatewayTransportOptions> = {}) {
  const gateway = await startFakeGateway()
  const transport = gatewayTransport({ url: gateway.url, token: 'test-token', WebSocket, disconnectGraceMs: 250, connection: { backoffInitialMs: 20, backoffMaxMs: 100 }, ...options })
  const chat = new ChatController({ agentId: 'main', transport })
  cleanups.push(() => gateway.close())
  cleanups.push(() => transport.close())
  cleanups.push(() => chat.dispose())
  return { gateway, transport, chat, state: (): ChatState => chat.store.getState() }
}

const until = async (check: () => boolean, ms = 4000): Promise<void> => {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}
const finalText = (name: Parameters<typeof loadRun>[0]): string => {
  const run = loadRun(name)
  const final = run.events.find((e) => e.frame.event === 'chat' && (e.frame.payload as { state: string }).state === 'final')
  return ((final?.frame.payload as { message: { content: Array<{ text: string }> } }).message.content[0]?.text) ?? ''
}

describe('gatewayTransport driving the ChatController (fake gateway replaying recorded runs)', () => {
  it('plain answer: the full text, finish done, usage and cost from chat.history, bare session key kept', async () => {
    const { gateway, chat, state } = await setup()
    await chat.send('Hello, please reply (scenario A).')
    const s = state()
    expect(s.status).toBe('ready')
    expect(last(s)).toMatchObject({ role: 'assistant', finish: 'done', usage: { tokensIn: 1234, tokensOut: 56, costUsd: 0.001346 } })
    expect(messageText(last(s))).toBe(finalText('scenarioA'))
    expect(s.runId).toBeDefined()
    const send = gateway.requests.find((r) => r.method === 'chat.send')
    expect(send?.params.sessionKey).toBe(`agent:main:openai-user:browseros:main:${s.sessionKey}`)
    expect(send?.params.idempotencyKey).toBe(s.runId)
    expect(s.sessionKey).not.toMatch(/^agent:/)
  })

  it('reasoning: a reasoning part before the answer', async () => {
    const { chat, state } = await setup()
    await chat.send('REASON then answer')
    const message = last(state())
    expect(message.finish).toBe('done')
    expect(message.parts.map((p) => p.type)).toEqual(['reasoning', 'text'])
    expect(message.parts[0]).toMatchObject({ type: 'reasoning', state: 'done', text: expect.stringMatching(/^thinking step 0\. .*thinking step 4\.$/) })
    expect(messageText(message)).toBe(finalText('scenarioA_reasoning'))
  })

  it('tool call: text, a tool card with label, subject, duration and result, then text', async () => {
    const { chat, state } = await setup()
    await chat.send('SCENARIO_B please read hello.txt')
    const message = last(state())
    expect(message.finish).toBe('done')
    expect(message.parts.map((p) => p.type)).toEqual(['text', 'tool', 'text'])
    expect(message.parts[1]).toMatchObject({
      type: 'tool',
      toolCallId: 'call_fake_1',
      name: 'read',
      label: 'Read from hello.txt',
      subject: 'hello.txt',
      arguments: { path: 'hello.txt' },
      state: 'done',
      durationMs: 33,
      output: 'hello from workspace file\n',
    } satisfies Partial<ToolPart>)
    // two model calls in this run: their usage is summed
    expect(message.usage).toEqual({ tokensIn: 2468, tokensOut: 112, costUsd: 0.002692 })
  })

  it('stop mid-answer: aborted within a second, partial text kept; history shows it', async () => {
    const { gateway, chat, state, transport } = await setup()
    const { elapsedMs, message, partial } = await stopMidAnswer(chat, words(6))
    expect(elapsedMs).toBeLessThan(1000)
    expect(message.finish).toBe('aborted')
    expect(partial).toMatch(/^w0 w1 /)
    expect(gateway.requests.filter((r) => r.method === 'chat.abort')[0]?.params).toEqual({ sessionKey: expect.stringContaining(state().sessionKey as string), runId: state().runId })
    const page = await transport.history({ agentId: 'main', sessionKey: state().sessionKey as string })
    expect(page.items.map((i) => [i.role, i.text])).toEqual([['user', 'SLOW please write a long answer'], ['assistant', partial]])
  })

  it('the gateway dies mid-run: the stream ends with a network error after the grace period (nothing hangs)', async () => {
    const { gateway, chat, state } = await setup()
    const sent = chat.send('SLOW please write a long answer')
    await until(() => liveText(state()).length > 10)
    const t0 = Date.now()
    await gateway.kill()
    await sent
    expect(Date.now() - t0).toBeLessThan(2000)
    const s = state()
    expect(s.status).toBe('error')
    expect(s.error).toMatchObject({ kind: 'network', message: expect.stringMatching(/Lost the connection to the OpenClaw gateway/) })
    expect(last(s)).toMatchObject({ finish: 'interrupted' })
    expect(messageText(last(s)).length).toBeGreaterThan(10)
  })

  it('stop when the gateway cannot be reached: the stream still ends (aborted) at once', async () => {
    const { gateway, chat, state } = await setup({ disconnectGraceMs: 5000 })
    const sent = chat.send('SLOW please write a long answer')
    await until(() => liveText(state()).length > 10)
    await gateway.kill()
    const t0 = Date.now()
    await chat.stop()
    await sent
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(last(state()).finish).toBe('aborted')
  })

  it('stop that the gateway accepts but never confirms: closed locally after abortConfirmMs', async () => {
    const { gateway, chat } = await setup({ abortConfirmMs: 100 })
    gateway.abortBehavior = 'silent'
    const { elapsedMs, message } = await stopMidAnswer(chat, (text) => text.length > 10)
    expect(elapsedMs).toBeLessThan(1000)
    expect(message.finish).toBe('aborted')
  })

  it('a link that drops and comes back after the run finished: the run is recovered from history', async () => {
    const { gateway, chat, state } = await setup({ disconnectGraceMs: 600 })
    const sent = chat.send('Hello, please reply (scenario A).')
    await until(() => liveText(state()).length > 3)
    gateway.dropConnections()
    await sent
    const message = last(state())
    expect(message.finish).toBe('done')
    // the history's text of the run (the fake answers chat.history from the recording)
    expect(messageText(message).trim()).toBe(finalText('scenarioA'))
    expect(message.usage).toMatchObject({ tokensIn: 1234, costUsd: 0.001346 })
  })

  it('history: items mapped from chat.history (usage per run, tool calls with results) and paging', async () => {
    const { transport, chat, state } = await setup()
    await chat.send('Hello, please reply (scenario A).')
    await chat.send('SCENARIO_B please read hello.txt')
    const sessionKey = state().sessionKey as string
    const page = await transport.history({ agentId: 'main', sessionKey })
    expect(page).toMatchObject({ agentId: 'main', sessionKey, page: { hasMore: false, limit: 50 } })
    expect(page.items.map((i) => i.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
    expect(page.items[1]).toMatchObject({ text: finalText('scenarioA'), tokensIn: 1234, tokensOut: 56, costUsd: 0.001346 })
    expect(page.items[3]).toMatchObject({
      text: 'Let me read the file.\n\nThe tool returned: "hello from workspace file ". Done with scenario B.',
      tokensIn: 2468,
      costUsd: 0.002692,
      toolCalls: [{ toolCallId: 'call_fake_1', toolName: 'read', label: 'Read', subject: 'hello.txt', status: 'completed', output: 'hello from workspace file\n', input: { path: 'hello.txt' } }],
    })
    expect(new Set(page.items.map((i) => i.id)).size).toBe(4)
    // 7 gateway rows (user, answer, user, text, tool call, tool result, final): pages of 2 rows are extended
    // back to the turn's user message, so each turn is whole on exactly one page
    const newest = await transport.history({ agentId: 'main', sessionKey, limit: 2 })
    expect(newest.items.map((i) => i.role)).toEqual(['user', 'assistant'])
    expect(newest.items[1]?.toolCalls).toHaveLength(1)
    expect(newest.items[1]?.text).toBe(page.items[3]?.text)
    expect(newest.page).toMatchObject({ hasMore: true, cursor: expect.any(String) })
    const older = await transport.history({ agentId: 'main', sessionKey, limit: 2, cursor: newest.page.cursor as string })
    expect(older.items.map((i) => [i.role, i.text])).toEqual([['user', 'Hello, please reply (scenario A).'], ['assistant', finalText('scenarioA')]])
    expect(older.page).toEqual({ hasMore: false, limit: 2 })
    const none = await transport.history({ agentId: 'main', sessionKey: 'never-used' })
    expect(none.items).toEqual([])
  })

  it('a gateway that is down at send: the turn fails with a network error, the user message is kept', async () => {
    const { gateway, chat, state } = await setup({ sendTimeoutMs: 300 })
    await gateway.kill()
    await chat.send('hello?')
    const s = state()
    expect(s.status).toBe('error')
    expect(s.error).toMatchObject({ kind: 'network' })
    expect(s.messages.map((m) => m.role)).toEqual(['user'])
  })
})

describe('gatewayTransport details', () => {
  it('sends images as gateway attachments and text files inline', async () => {
    const { gateway, transport } = await setup()
    const response = await transport.chat({
      agentId: 'main',
      sessionKey: 's1',
      message: 'look',
      attachments: [
        { kind: 'image', mediaType: 'image/png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=', name: 'a.png' },
        { kind: 'file', mediaType: 'text/plain', name: 'notes "1".txt', text: 'line one' },
      ],
      history: [],
      signal: new AbortController().signal,
      onActivity: () => undefined,
    })
    for await (const batch of response.frames) if (batch.some((f) => 'end' in f)) break
    const params = gateway.requests.find((r) => r.method === 'chat.send')?.params
    expect(params?.attachments).toEqual([{ type: 'image', mimeType: 'image/png', fileName: 'a.png', content: 'iVBORw0KGgo=' }])
    expect(params?.message).toBe('look\n\n<file name="notes &quot;1&quot;.txt" type="text/plain">\nline one\n</file>')
  })

  it('a raw gateway key of the agent (agent:main:main) is used as it is', async () => {
    const { gateway, transport } = await setup()
    const response = await transport.chat({ agentId: 'main', sessionKey: 'agent:main:main', message: 'hi', attachments: [], history: [], signal: new AbortController().signal, onActivity: () => undefined })
    const events: string[] = []
    for await (const batch of response.frames) for (const f of batch) events.push('end' in f ? '[DONE]' : f.ok ? f.event.type : 'bad')
    expect(gateway.requests.find((r) => r.method === 'chat.send')?.params.sessionKey).toBe('agent:main:main')
    expect(events[0]).toBe('lifecycle')
    expect(events.slice(-4)).toEqual(['lifecycle', 'usage', 'done', '[DONE]'])
  })

  it('aborting the signal detaches the stream without stopping the run', async () => {
    const { gateway, transport } = await setup()
    const abort = new AbortController()
    const response = await transport.chat({ agentId: 'main', sessionKey: 's2', message: 'SLOW', attachments: [], history: [], signal: abort.signal, onActivity: () => undefined })
    const it = response.frames[Symbol.asyncIterator]()
    await it.next()
    abort.abort()
    let result = await it.next()
    while (!result.done) result = await it.next()
    expect(result.done).toBe(true)
    expect(gateway.requests.some((r) => r.method === 'chat.abort')).toBe(false)
  })
})

export type { GatewayTransport }

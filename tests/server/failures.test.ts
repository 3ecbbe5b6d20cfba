import { afterEach, describe, expect, it } from 'vitest'
import { createOpenClawClient } from '../../src/client'
import { ChatController, messageText, type ChatMessage, type ChatState } from '../../src/core'
import type { ClawServer, ClawServerOptions } from '../../src/server'
import type { FakeGateway } from '../gateway/fake-gateway'
import { lastMessage as last, liveText, stopMidAnswer } from '../helpers/turns'
import { postJson, raw, sseData, startStack, until, type LogLine } from './helpers'

const stacks: Array<{ gateway: FakeGateway; server: ClawServer }> = []
const controllers: ChatController[] = []
afterEach(async () => {
  for (const c of controllers.splice(0)) c.dispose()
  for (const { gateway, server } of stacks.splice(0)) {
    await server.close()
    await gateway.close()
  }
})

async function setup(options: Partial<ClawServerOptions> = {}): Promise<{ gateway: FakeGateway; server: ClawServer; logs: LogLine[]; chat: ChatController; state: () => ChatState }> {
  const stack = await startStack(options)
  stacks.push(stack)
  const chat = new ChatController({ agentId: 'main', transport: createOpenClawClient({ baseUrl: stack.server.url }) })
  controllers.push(chat)
  return { ...stack, chat, state: () => chat.store.getState() }
}


describe('the server when things go wrong', () => {
  it('the gateway dies mid-run: the stream ends with a clear error frame, then [DONE] (nothing hangs)', async () => {
    const { gateway, server, chat, state, logs } = await setup()
    const sent = chat.send('SLOW please write a long answer')
    await until(() => liveText(state()).length > 10)
    const t0 = Date.now()
    await gateway.kill()
    await sent
    expect(Date.now() - t0).toBeLessThan(2000)
    const s = state()
    expect(s.status).toBe('error')
    expect(s.error).toMatchObject({ kind: 'server', errorKind: 'unknown', message: expect.stringMatching(/^Lost the connection to the OpenClaw gateway during the run/) })
    expect(last(s)).toMatchObject({ finish: 'error' })
    expect(messageText(last(s)).length).toBeGreaterThan(10)
    expect(server.handler.openStreams).toBe(0)
    const status = JSON.parse((await raw(`${server.url}/claw/status`)).body) as Record<string, unknown>
    expect(status).toMatchObject({ status: 'error', controlPlaneStatus: 'reconnecting', lastGatewayError: expect.any(String) })
    expect(logs.some((l) => l.level === 'warn' && /lost the gateway/.test(l.line))).toBe(true)
  })

  it('…and the raw stream: an error frame, then [DONE]', async () => {
    const { gateway, server } = await setup()
    const response = fetch(`${server.url}/claw/agents/main/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'SLOW', sessionKey: 'kill-raw' }) })
    const res = await response
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    let body = ''
    const first = await reader.read()
    body += new TextDecoder().decode(first.value)
    await gateway.kill()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      body += new TextDecoder().decode(value)
    }
    const data = sseData(body)
    expect(data[data.length - 1]).toBe('[DONE]')
    expect(JSON.parse(data[data.length - 2] as string)).toEqual({ type: 'error', data: { message: expect.stringMatching(/Lost the connection/), errorKind: 'unknown' } })
  })

  it('stop when the gateway cannot be reached: the stream still closes (aborted); the stop route answers 500', async () => {
    const { gateway, server, chat, state } = await setup({ gateway: { disconnectGraceMs: 10_000, abortTimeoutMs: 300 } })
    const sent = chat.send('SLOW please write a long answer')
    await until(() => liveText(state()).length > 10)
    await gateway.kill()
    const t0 = Date.now()
    await chat.stop()
    await sent
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(last(state()).finish).toBe('aborted')
    const stop = await postJson(`${server.url}/claw/agents/main/chat/stop`, { sessionKey: state().sessionKey })
    expect(stop.status).toBe(500)
    expect(JSON.parse(stop.body)).toEqual({ error: expect.stringMatching(/Could not stop the run on the gateway/) })
  })

  it('a stop the gateway accepts but never confirms: closed after abortConfirmMs', async () => {
    const { gateway, chat } = await setup({ gateway: { abortConfirmMs: 100 } })
    gateway.abortBehavior = 'silent'
    const { elapsedMs, message } = await stopMidAnswer(chat, (text) => text.length > 10)
    expect(elapsedMs).toBeLessThan(1000)
    expect(message.finish).toBe('aborted')
  })

  it('a gateway that is down before the send: 503 JSON, no stream', async () => {
    const { gateway, server } = await setup({ gateway: { sendTimeoutMs: 300, connectWaitMs: 200 } })
    await gateway.kill()
    const res = await postJson(`${server.url}/claw/agents/main/chat`, { message: 'hi' })
    expect(res.status).toBe(503)
    expect(JSON.parse(res.body)).toEqual({ error: expect.stringMatching(/OpenClaw gateway/) })
    expect((await raw(`${server.url}/claw/agents`)).status).toBe(503)
  })

  it('keep-alive comments flow while a run is quiet', async () => {
    const { server } = await setup({ keepAliveMs: 20 })
    const res = await fetch(`${server.url}/claw/agents/main/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Hello (scenario A)' }) })
    const body = await res.text()
    expect(body).toContain(': keepalive\n\n')
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true)
  })

  it('close(): open streams end with an error frame and [DONE]; the gateway link is closed', async () => {
    const { gateway, server, chat, state } = await setup()
    const sent = chat.send('SLOW please write a long answer')
    await until(() => liveText(state()).length > 10)
    stacks.pop()
    await server.close()
    await sent
    expect(state().error).toMatchObject({ kind: 'server', message: 'The server is shutting down' })
    await until(() => gateway.openSockets === 0)
    await gateway.close()
  })

  it('a client that goes away does not stop the run on the gateway, and the server forgets the stream', async () => {
    const { gateway, server } = await setup()
    const abort = new AbortController()
    const res = await fetch(`${server.url}/claw/agents/main/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'SLOW', sessionKey: 'gone' }), signal: abort.signal })
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    await reader.read()
    abort.abort()
    await until(() => server.handler.openStreams === 0)
    expect(gateway.requests.some((r) => r.method === 'chat.abort')).toBe(false)
  })
})

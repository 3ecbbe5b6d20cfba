/**
 * Against a REAL OpenClaw gateway (openclaw@2026.9.6 on Node 24, installed into .cache/openclaw-it/ on first run):
 * the hook's controller through the /claw server and through gatewayTransport. Skipped, with the reason printed,
 * when Node 24 / openclaw cannot be installed (no registry, not linux-x64) or OPENCLAW_IT=0.
 */
import { WebSocket } from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpenClawClient } from '../../src/client'
import { ChatController, messageText, type ChatState } from '../../src/core'
import type { ChatTransport } from '../../src/protocol'
import { gatewayTransport, type GatewayTransport } from '../../src/gateway'
import { createClawServer, type ClawServer } from '../../src/server'
import { captureLogger, type LogLine } from '../server/helpers'
import { lastMessage as last, liveText, stopMidAnswer, words } from '../helpers/turns'
import { ensureInstalled, startGateway, type RunningGateway } from './real-gateway-env'

const installed = ensureInstalled()
const skipReason = 'skip' in installed ? installed.skip : undefined
if (skipReason !== undefined) console.warn(`[real-gateway] skipped: ${skipReason}`)

let gateway: RunningGateway
let server: ClawServer
let transport: GatewayTransport
let logs: LogLine[]
const controllers: ChatController[] = []

beforeAll(async () => {
  if ('skip' in installed) return
  gateway = await startGateway(installed)
  const capture = captureLogger()
  logs = capture.lines
  server = await createClawServer({ gatewayUrl: gateway.url, token: gateway.token, port: 0, WebSocket, logger: capture.logger, gateway: { disconnectGraceMs: 1000 } })
  await server.handler.connection.ready(20_000)
  transport = gatewayTransport({ url: gateway.url, token: gateway.token, WebSocket, disconnectGraceMs: 1000 })
  console.info(`[real-gateway] gateway pid ${gateway.gatewayPid} ${gateway.isolated ? 'in a private network namespace' : 'on plain loopback (no network namespace here)'}`)
}, 600_000)

afterAll(async () => {
  for (const c of controllers.splice(0)) c.dispose()
  await transport?.close()
  await server?.close()
  await gateway?.stop()
  if (logs !== undefined) expect(logs.some((l) => l.line.includes(gateway.token))).toBe(false)
}, 60_000)

type Via = 'server' | 'transport'
function controller(via: Via): { chat: ChatController; state: () => ChatState } {
  const t: ChatTransport = via === 'server' ? createOpenClawClient({ baseUrl: server.url }) : transport
  const chat = new ChatController({ agentId: 'main', transport: t })
  controllers.push(chat)
  return { chat, state: () => chat.store.getState() }
}

const until = async (check: () => boolean, ms = 20_000): Promise<void> => {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}
const WORDS_40 = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')

describe.skipIf(skipReason !== undefined).each<Via>(['server', 'transport'])('a real OpenClaw gateway, through the %s', (via) => {
  it('plain answer, with usage and cost from history', async () => {
    const { chat, state } = controller(via)
    await chat.send('Hello, please reply (scenario A).')
    const message = last(state())
    expect(state().error).toBeUndefined()
    expect(message.finish).toBe('done')
    expect(messageText(message)).toBe(WORDS_40)
    // 1234 input + 56 output tokens at $1 / $2 per million
    expect(message.usage).toEqual({ tokensIn: 1234, tokensOut: 56, costUsd: 0.001346 })
  }, 60_000)

  it('reasoning before the answer', async () => {
    const { chat, state } = controller(via)
    await chat.send('REASON then answer')
    const message = last(state())
    expect(message.finish).toBe('done')
    expect(message.parts.map((p) => p.type)).toEqual(['reasoning', 'text'])
    expect(message.parts[0]).toMatchObject({ text: 'thinking step 0. thinking step 1. thinking step 2. thinking step 3. thinking step 4.' })
    expect(messageText(message)).toBe(WORDS_40)
  }, 60_000)

  it('a tool call: card with label, subject, duration and result', async () => {
    const { chat, state } = controller(via)
    await chat.send('SCENARIO_B please read hello.txt')
    const message = last(state())
    expect(message.finish).toBe('done')
    expect(message.parts.map((p) => p.type)).toEqual(['text', 'tool', 'text'])
    expect(message.parts[1]).toMatchObject({ type: 'tool', name: 'read', label: 'Read from hello.txt', subject: 'hello.txt', state: 'done', output: 'hello from workspace file\n', durationMs: expect.any(Number) })
    expect(messageText(message)).toBe('Let me read the file.\n\nThe tool returned: "hello from workspace file". Done with scenario B.')
    expect(message.usage).toEqual({ tokensIn: 2468, tokensOut: 112, costUsd: 0.002692 })
  }, 60_000)

  it('Stop mid-answer: aborted within a second, partial text kept, history shows it', async () => {
    const { chat, state } = controller(via)
    const { elapsedMs, message, partial } = await stopMidAnswer(chat, words(8))
    expect(elapsedMs).toBeLessThan(1000)
    expect(message.finish).toBe('aborted')
    expect(partial).toMatch(/^w0 w1 w2 w3 w4 w5 w6 w7/)
    const sessionKey = state().sessionKey as string
    const history = via === 'server' ? await createOpenClawClient({ baseUrl: server.url }).history({ agentId: 'main', sessionKey }) : await transport.history({ agentId: 'main', sessionKey })
    expect(history.items.map((i) => i.role)).toEqual(['user', 'assistant'])
    // the gateway may have written a word or two more before the abort landed
    expect(history.items[1]?.text.startsWith(partial)).toBe(true)
    expect(history.items[1]?.text.split(' ').length).toBeLessThan(60)
  }, 60_000)
})

describe.skipIf(skipReason !== undefined)('a real OpenClaw gateway that dies mid-run', () => {
  it('ends the server stream with an error frame and the transport stream with a network error; nothing hangs', async () => {
    const viaServer = controller('server')
    const viaTransport = controller('transport')
    const sentServer = viaServer.chat.send('SLOW please write a long answer')
    const sentTransport = viaTransport.chat.send('SLOW please write a long answer')
    await until(() => liveText(viaServer.state()).length > 10 && liveText(viaTransport.state()).length > 10)
    const t0 = Date.now()
    gateway.killGateway()
    await Promise.all([sentServer, sentTransport])
    expect(Date.now() - t0).toBeLessThan(5000)
    expect(viaServer.state().error).toMatchObject({ kind: 'server', message: expect.stringMatching(/Lost the connection to the OpenClaw gateway/) })
    expect(viaTransport.state().error).toMatchObject({ kind: 'network', message: expect.stringMatching(/Lost the connection to the OpenClaw gateway/) })
    expect(messageText(last(viaServer.state())).length).toBeGreaterThan(10)
    expect(server.handler.openStreams).toBe(0)
    await gateway.gatewayExited
  }, 60_000)
})

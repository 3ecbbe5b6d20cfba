import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpenClawClient } from '../../src/client'
import { ChatController, messageText, type ChatMessage, type ChatState } from '../../src/core'
import type { ClawServer } from '../../src/server'
import type { FakeGateway } from '../gateway/fake-gateway'
import { loadRun } from '../gateway/fixture-data'
import { lastMessage as last, stopMidAnswer, words } from '../helpers/turns'
import { postJson, raw, sseData, startStack, until, type LogLine } from './helpers'
import { disposedAfterEach } from '../helpers/controllers'

let gateway: FakeGateway
let server: ClawServer
let logs: LogLine[]
beforeAll(async () => {
  ;({ gateway, server, logs } = await startStack())
})
afterAll(async () => {
  await server.close()
  await gateway.close()
  // the token never reaches a log line
  expect(logs.length).toBeGreaterThan(0)
  expect(logs.some((l) => l.line.includes('test-token'))).toBe(false)
})

const controllers = disposedAfterEach()

function controller(url = server.url): { chat: ChatController; state: () => ChatState } {
  const client = createOpenClawClient({ baseUrl: url })
  const chat = new ChatController({
    agentId: 'main',
    transport: client,
    refreshUsage: async ({ agentId, sessionKey }) => {
      const page = await client.history({ agentId, sessionKey, limit: 4 })
      const item = page.items.findLast((i) => i.role === 'assistant')
      return item === undefined ? undefined : { tokensIn: item.tokensIn, tokensOut: item.tokensOut, costUsd: item.costUsd }
    },
  })
  controllers.push(chat)
  return { chat, state: () => chat.store.getState() }
}

const finalText = (name: Parameters<typeof loadRun>[0]): string => {
  const final = loadRun(name).events.find((e) => e.frame.event === 'chat' && (e.frame.payload as { state: string }).state === 'final')
  return (final?.frame.payload as { message: { content: Array<{ text: string }> } }).message.content[0]?.text ?? ''
}

describe('the /claw server over a (fake) gateway, driven by the real client and controller', () => {
  it('plain answer: text, done, usage + cost before done; bare session key', async () => {
    const { chat, state } = controller()
    await chat.send('Hello, please reply (scenario A).')
    const s = state()
    expect(s.status).toBe('ready')
    expect(last(s)).toMatchObject({ finish: 'done', usage: { tokensIn: 1234, tokensOut: 56, costUsd: 0.001346 } })
    expect(messageText(last(s))).toBe(finalText('scenarioA'))
    expect(s.sessionKey).not.toMatch(/^agent:/)
    expect(s.usage).toEqual({ tokensIn: 1234, tokensOut: 56, costUsd: 0.001346 })
    const send = gateway.requests.findLast((r) => r.method === 'chat.send')
    expect(send?.params.sessionKey).toBe(`agent:main:openai-user:browseros:main:${s.sessionKey}`)
  })

  it('the SSE bytes: headers, lifecycle start … lifecycle end, usage, done, [DONE]', async () => {
    const res = await postJson(`${server.url}/claw/agents/main/chat`, { message: 'Hello (scenario A)', sessionKey: 'bytes-1' })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/event-stream')
    expect(res.headers['cache-control']).toBe('no-cache')
    expect(res.headers['x-session-key']).toBe('agent:main:openai-user:browseros:main:bytes-1')
    const data = sseData(res.body)
    expect(data[data.length - 1]).toBe('[DONE]')
    const frames = data.slice(0, -1).map((d) => JSON.parse(d) as { type: string; data: Record<string, unknown> })
    expect(frames[0]).toEqual({ type: 'lifecycle', data: { phase: 'start', runId: expect.any(String) } })
    expect(frames.slice(-3).map((f) => f.type)).toEqual(['lifecycle', 'usage', 'done'])
    expect(frames[frames.length - 3]?.data.phase).toBe('end')
    expect(frames[frames.length - 2]?.data).toEqual({ tokensIn: 1234, tokensOut: 56, costUsd: 0.001346 })
    expect(frames[frames.length - 1]?.data).toEqual({ text: finalText('scenarioA') })
    expect(frames.filter((f) => f.type === 'text-delta').map((f) => f.data.text).join('')).toBe(finalText('scenarioA'))
    // every frame is one data line + blank line
    expect(res.body).toMatch(/^data: \{"type":"lifecycle"/)
    expect(res.body.endsWith('data: [DONE]\n\n')).toBe(true)
  })

  it('reasoning, then the answer', async () => {
    const { chat, state } = controller()
    await chat.send('REASON then answer')
    const message = last(state())
    expect(message.parts.map((p) => p.type)).toEqual(['reasoning', 'text'])
    expect(message.parts[0]).toMatchObject({ text: 'thinking step 0. thinking step 1. thinking step 2. thinking step 3. thinking step 4.' })
    expect(messageText(message)).toBe(finalText('scenarioA_reasoning'))
  })

  it('tool call: a card with label, subject, duration and result between the two texts', async () => {
    const { chat, state } = controller()
    await chat.send('SCENARIO_B please read hello.txt')
    const message = last(state())
    expect(message.parts.map((p) => p.type)).toEqual(['text', 'tool', 'text'])
    expect(message.parts[1]).toMatchObject({ type: 'tool', name: 'read', label: 'Read from hello.txt', subject: 'hello.txt', state: 'done', durationMs: 33, output: 'hello from workspace file\n' })
    expect(message.usage).toEqual({ tokensIn: 2468, tokensOut: 112, costUsd: 0.002692 })
  })

  it('stop mid-answer: aborted within a second with the partial text; history shows it', async () => {
    const { chat, state } = controller()
    const { elapsedMs, message, partial } = await stopMidAnswer(chat, words(6))
    expect(elapsedMs).toBeLessThan(1000)
    expect(message.finish).toBe('aborted')
    expect(partial).toMatch(/^w0 w1 w2/)
    const history = await createOpenClawClient({ baseUrl: server.url }).history({ agentId: 'main', sessionKey: state().sessionKey as string })
    expect(history.items.map((i) => [i.role, i.text])).toEqual([['user', 'SLOW please write a long answer'], ['assistant', partial]])
    expect(history.items[1]).toMatchObject({ costUsd: 0, tokensIn: 0 })
  })

  it('routes: status, agents, sessions, session, history (paged), 404s', async () => {
    const status = JSON.parse((await raw(`${server.url}/claw/status`)).body) as Record<string, unknown>
    expect(status).toMatchObject({ status: 'running', controlPlaneStatus: 'connected', port: gateway.port, error: null, lastGatewayError: null })
    const agents = JSON.parse((await raw(`${server.url}/claw/agents`)).body) as unknown
    expect(agents).toEqual({
      agents: [
        { agentId: 'main', name: 'Main', workspace: '/tmp/workspace', model: 'fake/fake-model' },
        { agentId: 'ops', name: 'Ops' },
      ],
    })
    const { chat, state } = controller()
    await chat.send('SCENARIO_B please read hello.txt')
    const key = state().sessionKey as string
    const sessions = JSON.parse((await raw(`${server.url}/claw/agents/main/sessions?limit=50`)).body) as { agentId: string; sessions: Array<{ key: string; source: string }> }
    expect(sessions.agentId).toBe('main')
    expect(sessions.sessions.map((s) => s.key)).toContain(key)
    expect(sessions.sessions.every((s) => !s.key.startsWith('agent:main:openai-user'))).toBe(true)
    expect(sessions.sessions.find((s) => s.key === key)?.source).toBe('user-chat')
    const session = JSON.parse((await raw(`${server.url}/claw/agents/main/session`)).body) as Record<string, unknown>
    expect(session).toMatchObject({ agentId: 'main', exists: true, sessionKey: key })
    const history = JSON.parse((await raw(`${server.url}/claw/agents/main/history?sessionKey=${encodeURIComponent(key)}&limit=1`)).body) as Record<string, unknown>
    expect(history).toMatchObject({
      agentId: 'main',
      sessionKey: key,
      items: [
        { role: 'user', text: 'SCENARIO_B please read hello.txt', id: expect.stringMatching(new RegExp(`^${key}:`)) },
        { role: 'assistant', toolCalls: [{ toolName: 'read', status: 'completed', output: 'hello from workspace file\n' }], costUsd: 0.002692 },
      ],
      page: { hasMore: false, limit: 1 },
    })
    expect((await raw(`${server.url}/claw/agents/nobody/history?sessionKey=x`)).status).toBe(200)
    expect((await postJson(`${server.url}/claw/agents/nobody/chat`, { message: 'hi' })).status).toBe(404)
    expect((await raw(`${server.url}/claw/nothing`)).status).toBe(404)
    expect((await raw(`${server.url}/claw/agents/main/history`)).status).toBe(400)
    expect((await raw(`${server.url}/claw/agents/main/history?sessionKey=x&cursor=abc`)).status).toBe(400)
    const created = await postJson(`${server.url}/claw/agents`, { name: 'new' })
    expect(created.status).toBe(501)
    expect(JSON.parse(created.body)).toEqual({ error: expect.any(String) })
  })
})

describe('origin guard', () => {
  const chatUrl = () => `${server.url}/claw/agents/main/chat/stop`
  it('refuses a cross-origin browser request, and a foreign Host (DNS rebinding)', async () => {
    const evil = await postJson(chatUrl(), { sessionKey: 'k' }, { origin: 'https://evil.example' })
    expect(evil.status).toBe(403)
    expect(JSON.parse(evil.body)).toEqual({ error: 'Forbidden' })
    const rebinding = await postJson(chatUrl(), { sessionKey: 'k' }, { host: `evil.example:${server.port}`, origin: `http://evil.example:${server.port}` })
    expect(rebinding.status).toBe(403)
    const rebindingGet = await raw(`${server.url}/claw/agents`, { headers: { host: `evil.example:${server.port}` } })
    expect(rebindingGet.status).toBe(403)
    const nullOrigin = await postJson(chatUrl(), { sessionKey: 'k' }, { origin: 'null' })
    expect(nullOrigin.status).toBe(403)
  })

  it('allows no Origin, same-origin, and loopback origins (with CORS headers for other ports)', async () => {
    expect((await postJson(chatUrl(), { sessionKey: 'k' })).status).toBe(200)
    const same = await postJson(chatUrl(), { sessionKey: 'k' }, { origin: server.url })
    expect(same.status).toBe(200)
    expect(same.headers['access-control-allow-origin']).toBeUndefined()
    const vite = await postJson(chatUrl(), { sessionKey: 'k' }, { origin: 'http://localhost:5173' })
    expect(vite.status).toBe(200)
    expect(vite.headers['access-control-allow-origin']).toBe('http://localhost:5173')
    expect(vite.headers['access-control-expose-headers']).toBe('X-Session-Key')
    const preflight = await raw(chatUrl(), { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } })
    expect(preflight.status).toBe(204)
    expect(preflight.headers['access-control-allow-methods']).toContain('POST')
  })

  it('allowedOrigins admits listed origins (patterns with *) and their host names', async () => {
    const { gateway: g2, server: s2 } = await startStack({ allowedOrigins: ['chrome-extension://*', 'https://chat.example.com'] })
    try {
      const url = `${s2.url}/claw/agents/main/chat/stop`
      expect((await postJson(url, { sessionKey: 'k' }, { origin: 'chrome-extension://abcdefgh' })).status).toBe(200)
      expect((await postJson(url, { sessionKey: 'k' }, { origin: 'moz-extension://abcdefgh' })).status).toBe(403)
      const named = await postJson(url, { sessionKey: 'k' }, { host: 'chat.example.com', origin: 'https://chat.example.com' })
      expect(named.status).toBe(200)
    } finally {
      await s2.close()
      await g2.close()
    }
  })
})

describe('request validation and limits', () => {
  const chatUrl = () => `${server.url}/claw/agents/main/chat`
  const error = async (res: Promise<{ status: number; body: string }>) => {
    const r = await res
    return [r.status, (JSON.parse(r.body) as { error: unknown }).error]
  }
  it('answers bad input with 4xx {error}', async () => {
    expect(await error(postJson(chatUrl(), { message: '   ' }))).toEqual([400, 'Message is required'])
    expect(await error(postJson(chatUrl(), ['x']))).toEqual([400, 'Request body must be a JSON object'])
    expect(await error(raw(chatUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":' }))).toEqual([400, 'Invalid JSON body'])
    expect(await error(postJson(chatUrl(), { message: 5 }))).toEqual([400, 'message must be a string'])
    expect(await error(postJson(chatUrl(), { message: 'x', sessionKey: 'k'.repeat(300) }))).toEqual([400, 'sessionKey is longer than 256 characters'])
    expect(await error(postJson(chatUrl(), { message: 'x', attachments: Array.from({ length: 11 }, () => ({ kind: 'file', mediaType: 'text/plain', name: 'a', text: 'a' })) }))).toEqual([400, 'at most 10 attachments are allowed'])
    expect(await error(postJson(chatUrl(), { message: 'x', attachments: [{ kind: 'image', mediaType: 'image/bmp', dataUrl: 'data:image/bmp;base64,AA==' }] }))).toEqual([400, 'attachments[0]: image mediaType must be one of image/png, image/jpeg, image/webp, image/gif'])
    expect(await error(postJson(chatUrl(), { message: 'x', attachments: [{ kind: 'file', mediaType: 'application/pdf', name: 'a.pdf', text: '' }] }))).toEqual([400, 'attachments[0]: file mediaType must be text/… or application/json'])
    expect(await error(postJson(chatUrl(), { message: 'x', history: [{ role: 'system', content: 'x' }] }))).toEqual([400, 'history items must be {role: "user"|"assistant", content: string}'])
    expect(await error(postJson(`${chatUrl()}/stop`, {}))).toEqual([400, 'sessionKey is required'])
    expect(await error(postJson(`${server.url}/claw/agents/bad%20id/chat`, { message: 'x' }))).toEqual([400, 'Invalid agent id'])
  })

  it('an image over 5 MiB decoded → 400; a body over 12 MB → 413 (nothing reaches the gateway)', async () => {
    const sends = gateway.requests.filter((r) => r.method === 'chat.send').length
    const big = 'A'.repeat(Math.ceil(((5 * 1024 * 1024 + 3) * 4) / 3 / 4) * 4)
    expect(await error(postJson(chatUrl(), { message: 'x', attachments: [{ kind: 'image', mediaType: 'image/png', dataUrl: `data:image/png;base64,${big}` }] }))).toEqual([400, 'image exceeds 5242880 bytes'])
    expect(await error(postJson(chatUrl(), { message: 'x', attachments: [{ kind: 'file', mediaType: 'text/plain', name: 'big.txt', text: 'x'.repeat(1024 * 1024 + 1) }] }))).toEqual([400, 'file exceeds 1048576 bytes'])
    const huge = await postJson(chatUrl(), { message: 'x'.repeat(13 * 1024 * 1024) })
    expect(huge.status).toBe(413)
    expect(JSON.parse(huge.body)).toEqual({ error: 'Request body exceeds 12582912 bytes' })
    expect(gateway.requests.filter((r) => r.method === 'chat.send').length).toBe(sends)
  })

  it('a valid image attachment goes to the gateway as an attachment', async () => {
    const res = await postJson(chatUrl(), { message: 'what is this', sessionKey: 'img-1', attachments: [{ kind: 'image', mediaType: 'image/png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=', name: 'p.png' }] })
    expect(res.status).toBe(200)
    expect(gateway.requests.findLast((r) => r.method === 'chat.send')?.params.attachments).toEqual([{ type: 'image', mimeType: 'image/png', fileName: 'p.png', content: 'iVBORw0KGgo=' }])
  })
})

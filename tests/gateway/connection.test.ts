import { WebSocket } from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import { GatewayConnection, GatewayError, type GatewayConnectionStatus, type GatewayEventFrame } from '../../src/gateway'
import { startFakeGateway, type FakeGateway } from './fake-gateway'

const gateways: FakeGateway[] = []
const connections: GatewayConnection[] = []
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close()))
  await Promise.all(gateways.splice(0).map((g) => g.close()))
})

async function setup(token = 'test-token', extra: Partial<ConstructorParameters<typeof GatewayConnection>[0]> = {}) {
  const gateway = await startFakeGateway()
  gateways.push(gateway)
  const connection = new GatewayConnection({ url: gateway.url, token, WebSocket, backoffInitialMs: 20, backoffMaxMs: 100, ...extra })
  connections.push(connection)
  return { gateway, connection }
}

const until = async (check: () => boolean, ms = 3000): Promise<void> => {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('GatewayConnection', () => {
  it('answers the challenge with the operator backend connect and reaches hello-ok', async () => {
    const { gateway, connection } = await setup()
    const statuses: GatewayConnectionStatus[] = []
    connection.onStatus((s) => statuses.push(s))
    await connection.ready()
    expect(connection.status).toBe('connected')
    expect(connection.hello?.type).toBe('hello-ok')
    expect(connection.hello?.protocol).toBe(4)
    expect(gateway.connectParams).toHaveLength(1)
    expect(gateway.connectParams[0]).toEqual({
      minProtocol: 4,
      maxProtocol: 4,
      client: { id: 'gateway-client', version: expect.any(String), platform: process.platform, mode: 'backend' },
      role: 'operator',
      scopes: ['operator.read', 'operator.write'],
      caps: ['tool-events'],
      auth: { token: 'test-token' },
    })
    expect(statuses).toEqual(['connecting', 'connected'])
  })

  it('correlates requests and responses, and rejects gateway errors with their code', async () => {
    const { connection } = await setup()
    const [agents, history] = await Promise.all([
      connection.request<{ agents: unknown[] }>('agents.list', {}),
      connection.request<{ messages: unknown[] }>('chat.history', { sessionKey: 'agent:main:none', limit: 5 }),
    ])
    expect(agents.agents).toHaveLength(2)
    expect(history.messages).toEqual([])
    const error = await connection.request('no.such.method', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ reason: 'rejected', code: 'INVALID_REQUEST' })
  })

  it('times out a request the gateway never answers', async () => {
    const { gateway, connection } = await setup()
    gateway.abortBehavior = 'hang'
    const t0 = Date.now()
    const error = await connection.request('chat.abort', { sessionKey: 'agent:main:x' }, { timeoutMs: 120 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ reason: 'timeout' })
    expect(Date.now() - t0).toBeLessThan(1000)
  })

  it('a wrong token: ready() fails with the refusal (never the token), and keeps retrying', async () => {
    const { connection } = await setup('wrong-secret-token')
    const error = await connection.ready(400).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GatewayError)
    expect(String((error as Error).message)).toMatch(/refused the connection: gateway token mismatch|closed/)
    expect(String((error as Error).message)).not.toContain('wrong-secret-token')
    expect(connection.lastError).not.toContain('wrong-secret-token')
    expect(connection.status).toBe('reconnecting')
  })

  it('reconnects with backoff after a drop; pending requests fail as unavailable', async () => {
    const { gateway, connection } = await setup()
    await connection.ready()
    gateway.abortBehavior = 'hang'
    const pending = connection.request('chat.abort', { sessionKey: 'agent:main:x' }, { timeoutMs: 5000 }).catch((e: unknown) => e)
    const statuses: GatewayConnectionStatus[] = []
    connection.onStatus((s) => statuses.push(s))
    gateway.dropConnections()
    expect(await pending).toMatchObject({ reason: 'unavailable' })
    await until(() => connection.status === 'connected' && connection.connectCount === 2)
    expect(statuses[0]).toBe('reconnecting')
    expect(statuses[statuses.length - 1]).toBe('connected')
    expect(gateway.connectParams).toHaveLength(2)
  })

  it('dispatches run events by runId, and other events to general listeners', async () => {
    const { connection } = await setup()
    await connection.ready()
    const runEvents: GatewayEventFrame[] = []
    const all: string[] = []
    connection.onEvent((f) => all.push(f.event))
    const off = connection.onRunEvent('run-1', (f) => runEvents.push(f))
    await connection.request('chat.send', { sessionKey: 'agent:main:t', message: 'hi', idempotencyKey: 'run-1' })
    await until(() => runEvents.some((f) => (f.payload as { state?: string }).state === 'final'))
    off()
    expect(runEvents.every((f) => (f.payload as { runId: string }).runId === 'run-1')).toBe(true)
    expect(all.length).toBeGreaterThanOrEqual(runEvents.length)
  })

  it('close(): no reconnect, requests fail as closed, the socket is gone', async () => {
    const { gateway, connection } = await setup()
    await connection.ready()
    await connection.close()
    expect(connection.status).toBe('closed')
    await expect(connection.request('agents.list', {})).rejects.toMatchObject({ reason: 'closed' })
    await until(() => gateway.openSockets === 0)
    await new Promise((r) => setTimeout(r, 150))
    expect(gateway.connectParams).toHaveLength(1)
  })

  it('a gateway that is down: ready() rejects as unavailable within its timeout', async () => {
    const { gateway, connection } = await setup()
    await gateway.kill()
    const t0 = Date.now()
    await expect(connection.ready(300)).rejects.toMatchObject({ reason: 'unavailable', message: expect.stringMatching(/ECONNREFUSED/) })
    expect(Date.now() - t0).toBeLessThan(1500)
  })
})

import { request as httpRequest } from 'node:http'
import { WebSocket } from 'ws'
import { createClawServer, type ClawLogger, type ClawServer, type ClawServerOptions } from '../../src/server'
import { startFakeGateway, type FakeGateway } from '../gateway/fake-gateway'

export interface LogLine {
  level: 'info' | 'warn' | 'error'
  line: string
}

export function captureLogger(): { logger: ClawLogger; lines: LogLine[] } {
  const lines: LogLine[] = []
  return {
    lines,
    logger: {
      info: (line) => lines.push({ level: 'info', line }),
      warn: (line) => lines.push({ level: 'warn', line }),
      error: (line) => lines.push({ level: 'error', line }),
    },
  }
}

export async function startStack(options: Partial<ClawServerOptions> = {}): Promise<{ gateway: FakeGateway; server: ClawServer; logs: LogLine[] }> {
  const gateway = await startFakeGateway()
  const { logger, lines } = captureLogger()
  const server = await createClawServer({
    gatewayUrl: gateway.url,
    token: 'test-token',
    port: 0,
    logger,
    WebSocket,
    ...options,
    gateway: { disconnectGraceMs: 250, backoffInitialMs: 20, backoffMaxMs: 100, ...options.gateway },
  })
  await server.handler.connection.ready()
  return { gateway, server, logs: lines }
}

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A request with full control over headers (`Host`, `Origin`), via node:http. */
export function raw(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    if (init.body !== undefined) req.write(init.body)
    req.end()
  })
}

export const postJson = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> =>
  raw(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

/** The `data:` payloads of an SSE body, in order. */
export function sseData(body: string): string[] {
  return body
    .split('\n\n')
    .map((block) => block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n'))
    .filter((d) => d !== '')
}

export const until = async (check: () => boolean, ms = 4000): Promise<void> => {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

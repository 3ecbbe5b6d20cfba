import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createClawHandler, type ClawHandler, type ClawHandlerOptions } from './handler'

export const DEFAULT_PORT = 3100
export const DEFAULT_HOST = '127.0.0.1'

export interface ClawServerOptions extends ClawHandlerOptions {
  /** Default 3100; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1 (loopback only). */
  host?: string
}

export interface ClawServer {
  /** `http://127.0.0.1:3100` */
  readonly url: string
  readonly port: number
  readonly host: string
  readonly server: Server
  readonly handler: ClawHandler
  /** Ends open streams (`error` + `[DONE]`), closes the gateway link and stops listening. */
  close(): Promise<void>
}

/**
 * Starts a `/claw` chat server (PROTOCOL.md) over a real OpenClaw gateway: one persistent gateway connection,
 * SSE chat streams, stop, agents, sessions, history and status. Resolves once listening.
 */
export async function createClawServer(options: ClawServerOptions): Promise<ClawServer> {
  const handler = createClawHandler(options)
  const host = options.host ?? DEFAULT_HOST
  const server = createServer((req, res) => handler.handle(req, res))
  server.requestTimeout = 0 // chat streams last as long as their run
  server.headersTimeout = 30_000
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? DEFAULT_PORT, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    await handler.close()
    throw error
  }
  const port = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    server,
    handler,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      await handler.close()
      server.closeIdleConnections()
      setTimeout(() => server.closeAllConnections(), 1000).unref()
      await closed
    },
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http'
import type { MockServer } from './server'

/**
 * Connect-style middleware (Vite dev server, plain `node:http`) that answers `/claw/*` from a mock server,
 * streaming SSE as it is produced. Other paths go to `next()`.
 */
export function mockMiddleware(server: MockServer) {
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    if (req.url === undefined || !req.url.startsWith('/claw/')) return next()
    void (async () => {
      const abort = new AbortController()
      res.on('close', () => abort.abort())
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value)
        else if (Array.isArray(value)) headers.set(name, value.join(', '))
      }
      const method = req.method ?? 'GET'
      const init: RequestInit = { method, headers, signal: abort.signal }
      if (method !== 'GET' && method !== 'HEAD') init.body = Buffer.concat(chunks)
      const response = await server.handle(new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, init))
      res.statusCode = response.status
      response.headers.forEach((value, name) => res.setHeader(name, value))
      res.flushHeaders()
      if (response.body === null) return void res.end()
      const reader = response.body.getReader()
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          res.write(value)
        }
        res.end()
      } catch {
        // a dropped connection in the scenario: cut the socket as a crashed server would
        res.destroy()
      }
    })().catch(next)
  }
}

/**
 * End-to-end harness: builds the demo with Vite, serves it with the embedded mock `/claw` server on 127.0.0.1
 * (optionally under a strict extension-like CSP), and drives Debian's Chromium through playwright-core.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize, resolve } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { createMockServer, type MockServerOptions } from '../../src/mock'
import { mockMiddleware } from '../../src/mock/node-middleware'

export const ROOT = resolve(import.meta.dirname, '../..')
export const ARTIFACTS = join(ROOT, 'test-artifacts')
const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p)

export const chromiumPath: string | undefined = CHROMIUM_CANDIDATES.find((p) => existsSync(p))

/** An extension-like policy: scripts only from the page's origin, no eval, no inline script. */
export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

/** Builds the demo once into a temporary folder (production mode, mock backend). */
export async function buildDemo(): Promise<string> {
  const { build } = await import('vite')
  const outDir = await mkdtemp(join(tmpdir(), 'openclaw-demo-'))
  await build({ root: ROOT, configFile: join(ROOT, 'vite.config.ts'), configLoader: 'runner', mode: 'production', logLevel: 'error', build: { outDir, emptyOutDir: true } })
  return outDir
}

export interface DemoServer {
  url: string
  close(): Promise<void>
}

/** Serves a built demo and the mock `/claw` routes on 127.0.0.1 (a free port). */
export async function serveDemo(dir: string, options: { csp?: string; mock?: MockServerOptions } = {}): Promise<DemoServer> {
  const mock = mockMiddleware(createMockServer(options.mock))
  const server: Server = createServer((req, res) => {
    mock(req, res, () => {
      void (async () => {
        const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '')
        let file = join(dir, path)
        if (!file.startsWith(dir)) {
          res.statusCode = 403
          return void res.end()
        }
        try {
          if ((await stat(file)).isDirectory()) file = join(file, 'index.html')
        } catch {
          file = join(dir, 'index.html')
        }
        try {
          const body = await readFile(file)
          res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
          if (options.csp !== undefined) res.setHeader('content-security-policy', options.csp)
          res.end(body)
        } catch {
          res.statusCode = 404
          res.end('not found')
        }
      })()
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

export interface Browser {
  context: BrowserContext
  close(): Promise<void>
}

/** Debian's Chromium, headless, in a throwaway profile, with everything that would reach the network off. */
export async function launchChromium(): Promise<Browser> {
  if (chromiumPath === undefined) throw new Error('Chromium is not installed (apt-get install -y chromium)')
  const profile = await mkdtemp(join(tmpdir(), 'openclaw-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 420, height: 760 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  return {
    context,
    close: async () => {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}

export async function artifactPath(name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true })
  return join(ARTIFACTS, name)
}

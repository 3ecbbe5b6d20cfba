import type { IncomingMessage, ServerResponse } from 'node:http'
import { resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vite'
import { createMockServer } from './src/mock'
import { mockMiddleware } from './src/mock/node-middleware'

const here = import.meta.dirname
const external = [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\//, /^zustand($|\/)/, /^eventsource-parser($|\/)/, /^marked($|\/)/, /^dompurify($|\/)/, /^highlight\.js($|\/)/, /^ws($|\/)/, /^node:/]

/** The demo's backend: the embedded mock (default), a real `/claw` server (OPENCLAW_SERVER), or a gateway (OPENCLAW_GATEWAY). */
const backend = process.env.OPENCLAW_GATEWAY ? 'gateway' : process.env.OPENCLAW_SERVER ? 'server' : 'mock'

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void
interface DevServer {
  middlewares: { use: (fn: Middleware) => unknown }
  httpServer?: { once: (event: 'close', listener: () => void) => unknown } | null
}

/**
 * `/claw/*` for the demo: the embedded mock by default; with OPENCLAW_GATEWAY, this package's own `/claw` server
 * over that gateway (token from OPENCLAW_GATEWAY_TOKEN_FILE or OPENCLAW_GATEWAY_TOKEN); with OPENCLAW_SERVER,
 * nothing here (Vite proxies `/claw` to it).
 */
function openClawBackend(): Plugin {
  const mount = async (server: DevServer): Promise<void> => {
    if (backend === 'server') return
    if (backend === 'gateway') {
      const { clawHandlerFromEnv } = await import('./src/server/dev')
      const gateway = clawHandlerFromEnv()
      if (gateway !== undefined) {
        server.middlewares.use(gateway.handle)
        server.httpServer?.once('close', () => void gateway.close())
        return
      }
    }
    server.middlewares.use(mockMiddleware(createMockServer()))
  }
  return { name: 'openclaw-backend', configureServer: mount, configurePreviewServer: mount }
}

const proxyTarget = process.env.OPENCLAW_SERVER
const proxy = proxyTarget ? { '/claw': { target: proxyTarget, changeOrigin: false } } : undefined

// Source aliases: the demo and stories import the package by its public names.
const alias = {
  'openclaw-chat/components': resolve(here, 'src/components/index.ts'),
  'openclaw-chat/styles.css': resolve(here, 'src/components/styles.css'),
  'openclaw-chat/mock': resolve(here, 'src/mock/index.ts'),
  'openclaw-chat': resolve(here, 'src/index.ts'),
}

// `vite` serves the demo (index.html); `vite build` builds it into demo-dist/; `vite build --mode lib` builds the library into dist/.
export default defineConfig(({ mode }) =>
  mode === 'lib'
    ? {
        build: {
          outDir: 'dist',
          emptyOutDir: true,
          sourcemap: true,
          minify: false,
          target: 'es2022',
          cssCodeSplit: true,
          lib: {
            entry: {
              index: resolve(here, 'src/index.ts'),
              components: resolve(here, 'src/components/index.ts'),
              mock: resolve(here, 'src/mock/index.ts'),
              gateway: resolve(here, 'src/gateway/index.ts'),
              server: resolve(here, 'src/server/index.ts'),
              'server-cli': resolve(here, 'src/server/cli.ts'),
            },
            formats: ['es'],
            cssFileName: 'styles',
          },
          rollupOptions: { external },
        },
      }
    : {
        plugins: [openClawBackend()],
        resolve: { alias },
        define: { __OPENCLAW_BACKEND__: JSON.stringify(backend) },
        server: { host: '127.0.0.1', port: 5173, ...(proxy ? { proxy } : {}) },
        preview: { host: '127.0.0.1', port: 4173, ...(proxy ? { proxy } : {}) },
        build: { outDir: 'demo-dist', target: 'es2022' },
      },
)

import { resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vite'
import { createMockServer } from './src/mock'
import { mockMiddleware } from './src/mock/node-middleware'

const here = import.meta.dirname
const external = [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\//, /^zustand($|\/)/, /^eventsource-parser($|\/)/, /^marked($|\/)/, /^dompurify($|\/)/, /^highlight\.js($|\/)/, /^ws($|\/)/, /^node:/]

/** The demo's backend: the embedded mock (default), a real `/claw` server (OPENCLAW_SERVER), or a gateway (OPENCLAW_GATEWAY). */
const backend = process.env.OPENCLAW_GATEWAY ? 'gateway' : process.env.OPENCLAW_SERVER ? 'server' : 'mock'

/** Serves `/claw/*` from the embedded mock server when no real backend is configured. */
function openClawBackend(): Plugin {
  const mount = (server: { middlewares: { use: (fn: ReturnType<typeof mockMiddleware>) => unknown } }) => {
    if (backend === 'mock') server.middlewares.use(mockMiddleware(createMockServer()))
  }
  return { name: 'openclaw-mock-backend', configureServer: mount, configurePreviewServer: mount }
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

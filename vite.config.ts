import { resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vite'
import { createMockServer } from './src/mock'
import { mockMiddleware } from './src/mock/node-middleware'

const external = [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\//, /^zustand($|\/)/, /^eventsource-parser($|\/)/]

/** Serves `/claw/*` from the embedded mock server, unless OPENCLAW_SERVER points at a real one. */
function openClawBackend(): Plugin {
  return {
    name: 'openclaw-mock-backend',
    configureServer(server) {
      if (process.env.OPENCLAW_SERVER) return
      server.middlewares.use(mockMiddleware(createMockServer()))
    },
    configurePreviewServer(server) {
      if (process.env.OPENCLAW_SERVER) return
      server.middlewares.use(mockMiddleware(createMockServer()))
    },
  }
}

const proxy = process.env.OPENCLAW_SERVER ? { '/claw': { target: process.env.OPENCLAW_SERVER, changeOrigin: false } } : undefined

// `vite` serves the demo (index.html) with the mock backend; `vite build --mode lib` builds the library into dist/.
export default defineConfig(({ mode }) =>
  mode === 'lib'
    ? {
        build: {
          outDir: 'dist',
          emptyOutDir: true,
          sourcemap: true,
          minify: false,
          target: 'es2022',
          lib: { entry: { index: resolve(import.meta.dirname, 'src/index.ts'), mock: resolve(import.meta.dirname, 'src/mock/index.ts') }, formats: ['es'] },
          rollupOptions: { external },
        },
      }
    : {
        plugins: [openClawBackend()],
        server: { host: '127.0.0.1', port: 5173, ...(proxy ? { proxy } : {}) },
        preview: { host: '127.0.0.1', port: 4173, ...(proxy ? { proxy } : {}) },
        build: { outDir: 'demo-dist', target: 'es2022' },
      },
)

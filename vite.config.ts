import { resolve } from 'node:path'
import { defineConfig } from 'vite'

const external = [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\//, /^zustand($|\/)/, /^eventsource-parser($|\/)/]

// `vite` serves the demo (index.html); `vite build` builds the library entries into dist/.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    lib: {
      entry: { index: resolve(import.meta.dirname, 'src/index.ts') },
      formats: ['es'],
    },
    rollupOptions: { external },
  },
})

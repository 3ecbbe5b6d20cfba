import type { InlineConfig } from 'vite'

/**
 * Vite's `build` as `npm run build` runs it: with NODE_ENV `production`. Under a test runner NODE_ENV is `test`, and
 * the JSX transform would then emit the development runtime (jsxDEV with source locations). Restored afterwards.
 */
export async function productionBuild(config: InlineConfig): Promise<void> {
  const { build } = await import('vite')
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build(config)
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = nodeEnv
  }
}

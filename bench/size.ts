/**
 * Size budgets: builds the library (Vite lib mode, as `npm run build`) into a temp folder and measures each check of
 * `.size-limit.cjs` there with size-limit's own plugins (esbuild bundle, minified, min+gzip), so the budgets in that
 * file are the single source of truth for `npx size-limit` (after a build), `npm test` and `npm run bench`.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { productionBuild } from './production-build'

const ROOT = resolve(import.meta.dirname, '..')
const require = createRequire(import.meta.url)

export interface SizeCheckConfig {
  name: string
  path: string
  limit?: string
  gzip?: boolean
  ignore?: string[]
  /** Measure only what this import statement pulls in (tree-shaken), e.g. `{ useOpenClawChat }`; default: everything. */
  import?: string
}

export interface SizeResult {
  name: string
  path: string
  /** Bytes, min+gzip. */
  size: number
  /** Bytes; undefined when the check has no budget. */
  limit: number | undefined
  /** The import measured, when not the whole entry. */
  import?: string
  passed: boolean
}

/** `8 kB` / `8 KB` → 8000, `8 KiB` → 8192, `900 B` → 900 (as size-limit's bytes-iec reads them). */
export function parseLimit(limit: string): number {
  const m = /^\s*([\d.]+)\s*(B|kB|KB|KiB)?\s*$/.exec(limit)
  if (m === null) throw new Error(`size limit not understood: ${limit}`)
  const unit = m[2] ?? 'B'
  return Math.round(Number(m[1]) * (unit === 'B' ? 1 : unit === 'KiB' ? 1024 : 1000))
}

export async function measureSizes(): Promise<SizeResult[]> {
  const checks = require(join(ROOT, '.size-limit.cjs')) as SizeCheckConfig[]
  const peers = Object.keys((require(join(ROOT, 'package.json')) as { peerDependencies?: Record<string, string> }).peerDependencies ?? {})
  const { default: sizeLimit } = await import('size-limit')
  const { default: preset } = await import('@size-limit/preset-small-lib')
  const outDir = await mkdtemp(join(tmpdir(), 'openclaw-size-'))
  try {
    await productionBuild({
      root: ROOT,
      configFile: join(ROOT, 'vite.config.ts'),
      mode: 'lib',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    })
    const config = {
      checks: checks.map((c) => {
        const file = join(outDir, c.path.replace(/^dist\//, ''))
        return {
          files: [file],
          ...(c.import === undefined ? {} : { import: { [file]: c.import } }),
          gzip: c.gzip === true,
          ignore: [...new Set([...peers, ...(c.ignore ?? [])])],
          // The build is outside the project: resolve bundled dependencies from the project's node_modules.
          modifyEsbuildConfig: (esbuildConfig: Record<string, unknown>) => ({ ...esbuildConfig, nodePaths: [join(ROOT, 'node_modules')] }),
        }
      }),
    }
    // The API takes the plugin list and a config of checks; it answers one `{ size }` per check, in order.
    const measured = (await sizeLimit(preset as Parameters<typeof sizeLimit>[0], config as unknown as string[])) as Array<{ size?: number }>
    return checks.map((c, i) => {
      const size = measured[i]?.size ?? Number.NaN
      const limit = c.limit === undefined ? undefined : parseLimit(c.limit)
      return { name: c.name, path: c.path, size, limit, passed: limit === undefined || size <= limit, ...(c.import === undefined ? {} : { import: c.import }) }
    })
  } finally {
    await rm(outDir, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const results = await measureSizes()
  for (const r of results) {
    const budget = r.limit === undefined ? '' : ` / ${r.limit} B ${r.passed ? 'ok' : 'OVER BUDGET'}`
    console.log(`${r.name}: ${r.size} B min+gzip${budget}`)
  }
  if (results.some((r) => !r.passed)) process.exitCode = 1
}

/**
 * Where the headless entry's bytes come from: `npx tsx bench/size-breakdown.ts [entry]` (default src/index.ts).
 * Bundles the entry as size-limit does (esbuild, minified, peers external) and prints the total min+gzip, then each
 * source file's minified bytes in that bundle and its own min+gzip (the file minified alone, every other import
 * external) — a per-file figure that does not move when other files change. `--json` prints the same as JSON.
 */
import { gzipSync } from 'node:zlib'
import { resolve } from 'node:path'
import { build, type Plugin } from 'esbuild'

const root = resolve(import.meta.dirname, '..')
const args = process.argv.slice(2)
const json = args.includes('--json')
const entry = resolve(root, args.find((a) => !a.startsWith('--')) ?? 'src/index.ts')
const peers = ['react', 'react-dom', '@tanstack/*', 'zustand', 'zustand/*']

const gzip = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).length

/** Every import but the entry file itself is left external. */
const onlyThisFile = (file: string): Plugin => ({
  name: 'only-this-file',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (r) => (r.kind === 'entry-point' || r.path === file ? undefined : { path: r.path, external: true }))
  },
})

const bundle = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', external: peers, write: false, metafile: true })
const out = bundle.outputFiles[0]
if (out === undefined) throw new Error('esbuild produced no output')
const inputs = Object.values(bundle.metafile.outputs)[0]?.inputs ?? {}

const files: Array<{ file: string; minBytes: number; ownGzipBytes: number }> = []
for (const [file, info] of Object.entries(inputs)) {
  if (info.bytesInOutput === 0) continue
  const alone = await build({ entryPoints: [resolve(root, file)], bundle: true, minify: true, format: 'esm', write: false, plugins: [onlyThisFile(resolve(root, file))] })
  files.push({ file, minBytes: info.bytesInOutput, ownGzipBytes: gzip(alone.outputFiles[0]?.contents ?? new Uint8Array()) })
}
files.sort((a, b) => b.minBytes - a.minBytes)
const total = { minBytes: out.contents.length, gzipBytes: gzip(out.contents) }

if (json) {
  console.log(JSON.stringify({ entry, total, files }, null, 2))
} else {
  console.log(`${entry}: ${total.minBytes} B min, ${total.gzipBytes} B min+gzip (esbuild, gzip -9; size-limit's figure differs by a few %)`)
  for (const f of files) console.log(`${String(f.minBytes).padStart(7)} min ${String(f.ownGzipBytes).padStart(6)} gz alone  ${f.file}`)
}

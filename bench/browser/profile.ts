/**
 * Profiling helper (not part of `npm run bench`): `npx tsx bench/browser/profile.ts [ours|aisdk] [query]` runs one stream
 * with the CDP sampling profiler on an unminified build and prints the functions with the most self time.
 */
import { rm } from 'node:fs/promises'
import { launchChromium, serveDemo } from '../../tests/e2e/harness'
import type { WindowResult } from './instrument'
import { buildBenchPages } from './run'

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const side = process.argv[2] ?? 'ours'
const query = process.argv[3] ?? 'history=500&deltas=5000&fpc=10&interval=4'
const dir = await buildBenchPages({ minify: false })
const server = await serveDemo(dir)
const browser = await launchChromium()
try {
  const page = await browser.context.newPage()
  await page.goto(`${server.url}/${side}.html?${query}`)
  await page.waitForFunction(() => (window as unknown as { __bench?: { ready?: boolean } }).__bench?.ready === true, null, { timeout: 90_000 })
  const cdp = await browser.context.newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
  await cdp.send('Profiler.start')
  const r = await page.evaluate(() => (window as unknown as { __bench: { run(): Promise<WindowResult> } }).__bench.run())
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile }
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const byFn = new Map<string, number>()
  const byFile = new Map<string, number>()
  for (const n of profile.nodes) {
    const t = (self.get(n.id) ?? 0) / 1000
    const file = n.callFrame.url.replace(/^.*\//, '') || '(native)'
    const key = `${n.callFrame.functionName || '(anon)'} ${file}:${n.callFrame.lineNumber + 1}`
    byFn.set(key, (byFn.get(key) ?? 0) + t)
    byFile.set(file, (byFile.get(file) ?? 0) + t)
  }
  // Inclusive time of chosen functions (each sample counted once per name on its stack).
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const names = (process.env.INCL ?? 'MarkdownBlock,Markdown,lexBlocks,renderBlockHtml,sanitize,highlight,dispatch,reduceAll,frames,decodeFrame,checkIfSnapshotChanged,performWorkOnRoot,commitRoot,flushSyncWorkAcrossRoots_impl,performWorkUntilDeadline,isAtBottom,pin,onScroll,ChatMessageRow,Message,Thread,StoreThread,App,useChat,replaceMessage,processUIMessageStream,structuredClone').split(',')
  const incl = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const fn = byId.get(cur)?.callFrame.functionName ?? ''
      if (names.includes(fn) && !seen.has(fn)) {
        seen.add(fn)
        incl.set(fn, (incl.get(fn) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
      }
    }
  })
  console.log([...incl].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v.toFixed(1).padStart(7)} ms incl  ${k}`).join('\n'))
  console.log(JSON.stringify(r))
  console.log([...byFile].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${v.toFixed(0).padStart(6)} ms  ${k}`).join('\n'))
  console.log('---')
  console.log([...byFn].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, v]) => `${v.toFixed(1).padStart(7)} ms  ${k}`).join('\n'))
} finally {
  await browser.close()
  await server.close()
  await rm(dir, { recursive: true, force: true })
}

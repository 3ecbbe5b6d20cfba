/**
 * Browser benchmarks (Debian's Chromium through playwright-core, as tests/e2e): the bench pages of this folder are
 * built for production with Vite's JS API into a temp folder, served on 127.0.0.1, and each run loads a fresh page.
 *
 * - stream: the same 5,000-delta answer (reasoning, text, 5 tool calls) streamed into a thread that already holds 500
 *   settled messages, (a) `useOpenClawChat` + our components, (b) `@ai-sdk/react` `useChat` with the same Markdown,
 *   ReasoningBlock and ToolCard. Both streams are paced alike by an in-page fetch: 10 SSE frames per chunk, one chunk
 *   every 4 ms on a fixed schedule (~2,500 frames/s; a page that falls behind finds chunks waiting). Per run:
 *   main-thread scripting time over the stream — from a CDP trace (trace.ts: JavaScript including microtasks and GC,
 *   less layout forced from scripts), and CDP `Performance.getMetrics` ScriptDuration for reference (it leaves out
 *   microtask-queue JavaScript) — React commits and animation frames during the stream; in a separate, untimed
 *   counting pass per side, renders of message components whose message was settled before the stream.
 * - long thread: see thread.tsx.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { CDPSession, Page } from 'playwright-core'
import { launchChromium, serveDemo, type Browser, type DemoServer } from '../../tests/e2e/harness'
import { productionBuild } from '../production-build'
import type { WindowResult } from './instrument'
import type { ScrollResult as ThreadScroll, ThreadOpen } from './thread' // the long-thread page's results (a type-only import)
import { startTrace, type MainThreadTime } from './trace'

const HERE = import.meta.dirname
const ROOT = resolve(HERE, '../..')

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

/**
 * Builds the bench pages (production, minified) into a temp folder. `srcDir`: build them against another copy of
 * `src/` (a before/after comparison: the pages' `../../src/` imports are pointed there).
 */
export async function buildBenchPages(options: { minify?: boolean; srcDir?: string } = {}): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'openclaw-bench-'))
  await productionBuild({
    root: HERE,
    configFile: false,
    mode: 'production',
    logLevel: 'error',
    ...(options.srcDir === undefined ? {} : { resolve: { alias: [{ find: /^\.\.\/\.\.\/src\//, replacement: `${resolve(options.srcDir)}/` }] } }),
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: options.minify ?? true,
      rollupOptions: { input: { ours: join(HERE, 'ours.html'), aisdk: join(HERE, 'aisdk.html'), thread: join(HERE, 'thread.html') } },
    },
  })
  return outDir
}

interface Metrics {
  ScriptDuration: number
  TaskDuration: number
  LayoutDuration: number
  RecalcStyleDuration: number
}

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }
  const get = (name: string): number => (list.find((m) => m.name === name)?.value ?? Number.NaN) * 1000
  return { ScriptDuration: get('ScriptDuration'), TaskDuration: get('TaskDuration'), LayoutDuration: get('LayoutDuration'), RecalcStyleDuration: get('RecalcStyleDuration') }
}

export type Side = 'ours' | 'aisdk'

export interface StreamRun extends WindowResult {
  side: Side
  /** Main-thread scripting (trace: JavaScript incl. microtasks and GC, less nested layout/style). */
  scriptingMs: number
  /** CDP `Performance.getMetrics` ScriptDuration delta (misses microtask-queue JavaScript). */
  scriptDurationMs: number
  trace: MainThreadTime | undefined
  taskMs: number
  layoutMs: number
  styleMs: number
  /** What the page shows at the end: messages, tool cards and text of the answer (a sanity check that both sides did the same work). */
  final: { messages: number; tools: number; answerChars: number }
}

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(url)
  try {
    await page.waitForFunction(() => (window as unknown as { __bench?: { ready?: boolean } }).__bench?.ready === true, null, { timeout: 90_000 })
  } catch (error) {
    throw new Error(`bench page did not get ready: ${url}\n${errors.join('\n')}`, { cause: error })
  }
  return page
}

export async function runStream(browser: Browser, server: DemoServer, side: Side, query: string, counting = false): Promise<StreamRun> {
  const page = await openPage(browser, `${server.url}/${side}.html?${query}${counting ? '&count=1' : ''}`)
  const cdp = await browser.context.newCDPSession(page)
  await cdp.send('Performance.enable')
  const stopTrace = counting ? undefined : await startTrace(cdp)
  const before = await metrics(cdp)
  const result = await page.evaluate(() => (window as unknown as { __bench: { run(): Promise<WindowResult> } }).__bench.run())
  const after = await metrics(cdp)
  const trace = await stopTrace?.()
  const final = await page.evaluate(() => {
    const messages = document.querySelectorAll('.oc-message')
    const last = messages[messages.length - 1]
    return { messages: messages.length, tools: last?.querySelectorAll('.oc-tool').length ?? 0, answerChars: last?.querySelector('.oc-message-body')?.textContent?.length ?? 0 }
  })
  await cdp.detach()
  await page.close()
  return {
    side,
    ...result,
    trace,
    scriptDurationMs: after.ScriptDuration - before.ScriptDuration,
    scriptingMs: trace?.scriptingMs ?? Number.NaN,
    taskMs: after.TaskDuration - before.TaskDuration,
    layoutMs: after.LayoutDuration - before.LayoutDuration,
    styleMs: after.RecalcStyleDuration - before.RecalcStyleDuration,
    final,
  }
}

export interface StreamBenchOptions {
  rounds: number
  history: number
  deltas: number
  framesPerChunk: number
  intervalMs: number
  /** AI SDK throttle (ms); 0 = its default, none. */
  throttle: number
  log?: (line: string) => void
}

export interface StreamBenchResult {
  /** Median of per-round ratios of main-thread scripting (trace), ours / AI SDK. */
  ratio: number
  goal: number
  pass: boolean
  rounds: number
  pace: string
  medianMs: { ours: number; aisdk: number }
  ratios: number[]
  /** The same ratio from CDP `Performance.getMetrics` ScriptDuration, which leaves out microtask-queue JavaScript. */
  scriptDuration: { ratio: number; medianMs: { ours: number; aisdk: number } }
  /** Style, layout, pre-paint, paint (trace self time). */
  renderingMs: { ours: number; aisdk: number }
  commits_per_frame: { ours: number; aisdk: number; goal: number; pass: boolean }
  commits: { ours: number; aisdk: number }
  frames: { ours: number; aisdk: number }
  streamMs: { ours: number; aisdk: number }
  settled_rerenders: {
    ours: number
    aisdk: number
    goal: number
    pass: boolean
    /** Settled messages mounted during the stream (our virtualized thread rendering rows that came into view). */
    mounts: { ours: number; aisdk: number }
    /** Renders of message components of any message (the streamed one included). */
    messageRenders: { ours: number; aisdk: number }
  }
  final: { ours: StreamRun['final']; aisdk: StreamRun['final'] }
}

export async function streamBench(browser: Browser, server: DemoServer, o: StreamBenchOptions): Promise<StreamBenchResult> {
  const log = o.log ?? (() => undefined)
  const q = (side: Side): string =>
    `history=${o.history}&deltas=${o.deltas}&fpc=${o.framesPerChunk}&interval=${o.intervalMs}${side === 'aisdk' && o.throttle > 0 ? `&throttle=${o.throttle}` : ''}`
  // Warm-up (not recorded): one run each, so both sides start with the same browser caches.
  for (const side of ['ours', 'aisdk'] as const) await runStream(browser, server, side, q(side))
  const runs: Record<Side, StreamRun[]> = { ours: [], aisdk: [] }
  for (let r = 0; r < o.rounds; r++) {
    const order: Side[] = r % 2 === 0 ? ['ours', 'aisdk'] : ['aisdk', 'ours']
    for (const side of order) {
      const run = await runStream(browser, server, side, q(side))
      runs[side].push(run)
      log(
        `  round ${r + 1} ${side.padEnd(5)} scripting ${run.scriptingMs.toFixed(0).padStart(5)} ms (ScriptDuration ${run.scriptDurationMs.toFixed(0).padStart(4)}), ` +
          `rendering ${(run.trace?.renderingMs ?? Number.NaN).toFixed(0).padStart(5)} ms, ${run.commits} commits / ${run.frames} frames, stream ${run.ms.toFixed(0)} ms`,
      )
      if (process.env.BENCH_TRACE_TOP) log(`    ${JSON.stringify(run.trace?.top)}`)
    }
  }
  // The counting pass (fiber walk on every commit): not timed.
  const counted = { ours: await runStream(browser, server, 'ours', q('ours'), true), aisdk: await runStream(browser, server, 'aisdk', q('aisdk'), true) }
  const perRound = (f: (x: StreamRun) => number): number[] => runs.ours.map((a, i) => f(a) / f(runs.aisdk[i] as StreamRun))
  const cpf = (side: Side): number => median(runs[side].map((x) => x.commits / Math.max(1, x.frames)))
  const m = (side: Side, f: (x: StreamRun) => number): number => median(runs[side].map(f))
  const ratios = perRound((x) => x.scriptingMs)
  const ratio = median(ratios)
  const ours = cpf('ours')
  return {
    ratio,
    goal: 0.5,
    pass: ratio <= 0.5,
    rounds: o.rounds,
    pace:
      o.intervalMs === 0
        ? `${o.framesPerChunk} SSE frames per chunk, all at once`
        : `${o.framesPerChunk} SSE frames per chunk, one chunk every ${o.intervalMs} ms on a fixed schedule (a page that falls behind finds chunks waiting)`,
    medianMs: { ours: m('ours', (x) => x.scriptingMs), aisdk: m('aisdk', (x) => x.scriptingMs) },
    ratios,
    scriptDuration: { ratio: median(perRound((x) => x.scriptDurationMs)), medianMs: { ours: m('ours', (x) => x.scriptDurationMs), aisdk: m('aisdk', (x) => x.scriptDurationMs) } },
    renderingMs: { ours: m('ours', (x) => x.trace?.renderingMs ?? Number.NaN), aisdk: m('aisdk', (x) => x.trace?.renderingMs ?? Number.NaN) },
    commits_per_frame: { ours, aisdk: cpf('aisdk'), goal: 1, pass: ours <= 1 },
    commits: { ours: m('ours', (x) => x.commits), aisdk: m('aisdk', (x) => x.commits) },
    frames: { ours: m('ours', (x) => x.frames), aisdk: m('aisdk', (x) => x.frames) },
    streamMs: { ours: m('ours', (x) => x.ms), aisdk: m('aisdk', (x) => x.ms) },
    settled_rerenders: {
      ours: counted.ours.settledRenders,
      aisdk: counted.aisdk.settledRenders,
      goal: 0,
      pass: counted.ours.settledRenders === 0,
      mounts: { ours: counted.ours.settledMounts, aisdk: counted.aisdk.settledMounts },
      messageRenders: { ours: counted.ours.messageRenders, aisdk: counted.aisdk.messageRenders },
    },
    final: { ours: counted.ours.final, aisdk: counted.aisdk.final },
  }
}

export type { ThreadOpen, ThreadScroll }

export interface ThreadBenchOptions {
  rounds: number
  messages: number
  /** Scrolling: frames, and pixels scrolled up per frame. */
  scrollFrames: number
  scrollStepPx: number
  log?: (line: string) => void
}

export interface ThreadBenchResult {
  messages: number
  rounds: number
  /** Median open time, plain / virtualized (> 1: virtualized opens faster). */
  open_speedup: number
  openMs: { virtual: number; plain: number }
  domNodes: { virtual: number; plain: number }
  openedAtBottom: { virtual: boolean; plain: boolean }
  scroll: { frames: number; stepPx: number; dropped: { virtual: number; plain: number }; longFrames: { virtual: number; plain: number }; worstFrameMs: { virtual: number; plain: number }; jumpMs: { virtual: number; plain: number } }
}

/** Long thread: open time and dropped frames while scrolling, virtualized vs. every message in the DOM. */
export async function threadBench(browser: Browser, server: DemoServer, o: ThreadBenchOptions): Promise<ThreadBenchResult> {
  const log = o.log ?? (() => undefined)
  const runs: Record<'virtual' | 'plain', Array<{ open: ThreadOpen; scroll: ThreadScroll }>> = { virtual: [], plain: [] }
  for (let r = 0; r < o.rounds; r++) {
    for (const mode of r % 2 === 0 ? (['virtual', 'plain'] as const) : (['plain', 'virtual'] as const)) {
      const page = await openPage(browser, `${server.url}/thread.html?mode=${mode}&n=${o.messages}`)
      const open = await page.evaluate(() => (window as unknown as { __bench: { open: ThreadOpen } }).__bench.open)
      const scroll = await page.evaluate(
        ([frames, step]) => (window as unknown as { __bench: { scroll(f: number, s: number): Promise<ThreadScroll> } }).__bench.scroll(frames, step),
        [o.scrollFrames, o.scrollStepPx] as const,
      )
      await page.close()
      runs[mode].push({ open, scroll })
      log(
        `  round ${r + 1} ${mode.padEnd(7)} open ${open.openMs.toFixed(0).padStart(5)} ms, ${open.domNodes} DOM nodes, at bottom: ${open.atBottom}; ` +
          `scroll ${scroll.frames} frames × ${o.scrollStepPx} px: ${scroll.dropped} dropped, ${scroll.longFrames} > 50 ms, worst ${scroll.worstFrameMs.toFixed(0)} ms; jump ${scroll.jumpMs.toFixed(0)} ms`,
      )
    }
  }
  const m = (mode: 'virtual' | 'plain', f: (x: { open: ThreadOpen; scroll: ThreadScroll }) => number): number => median(runs[mode].map(f))
  return {
    messages: o.messages,
    rounds: o.rounds,
    open_speedup: median(runs.virtual.map((v, i) => (runs.plain[i] as { open: ThreadOpen }).open.openMs / v.open.openMs)),
    openMs: { virtual: m('virtual', (x) => x.open.openMs), plain: m('plain', (x) => x.open.openMs) },
    domNodes: { virtual: m('virtual', (x) => x.open.domNodes), plain: m('plain', (x) => x.open.domNodes) },
    openedAtBottom: { virtual: runs.virtual.every((x) => x.open.atBottom), plain: runs.plain.every((x) => x.open.atBottom) },
    scroll: {
      frames: o.scrollFrames,
      stepPx: o.scrollStepPx,
      dropped: { virtual: m('virtual', (x) => x.scroll.dropped), plain: m('plain', (x) => x.scroll.dropped) },
      longFrames: { virtual: m('virtual', (x) => x.scroll.longFrames), plain: m('plain', (x) => x.scroll.longFrames) },
      worstFrameMs: { virtual: m('virtual', (x) => x.scroll.worstFrameMs), plain: m('plain', (x) => x.scroll.worstFrameMs) },
      jumpMs: { virtual: m('virtual', (x) => x.scroll.jumpMs), plain: m('plain', (x) => x.scroll.jumpMs) },
    },
  }
}

export interface BrowserBenchOptions {
  stream?: StreamBenchOptions
  thread?: ThreadBenchOptions
  log?: (line: string) => void
}

/** Builds, serves and runs every browser benchmark; cleans up after itself. */
export async function browserBench(o: BrowserBenchOptions): Promise<{ stream?: StreamBenchResult; thread?: ThreadBenchResult; buildMs: number }> {
  const log = o.log ?? (() => undefined)
  const t0 = performance.now()
  const dir = await buildBenchPages()
  const buildMs = performance.now() - t0
  let browser: Browser | undefined
  let server: DemoServer | undefined
  try {
    server = await serveDemo(dir)
    browser = await launchChromium()
    log(`browser bench: pages built in ${buildMs.toFixed(0)} ms, served at ${server.url}`)
    const stream = o.stream === undefined ? undefined : await streamBench(browser, server, { ...o.stream, log })
    const thread = o.thread === undefined ? undefined : await threadBench(browser, server, { ...o.thread, log })
    return { ...(stream === undefined ? {} : { stream }), ...(thread === undefined ? {} : { thread }), buildMs }
  } finally {
    await browser?.close()
    await server?.close()
    await rm(dir, { recursive: true, force: true })
  }
}

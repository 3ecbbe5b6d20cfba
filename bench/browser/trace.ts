/**
 * Main-thread time by kind, from a CDP trace (what DevTools' Performance panel sums as "Scripting", "Rendering", …).
 * `Performance.getMetrics`' ScriptDuration misses JavaScript run from the microtask queue (promise reactions: stream
 * reads, async functions), where most of a streaming client's work happens; a trace has it as `RunMicrotasks`.
 * Self time = an event's duration less its children's, so layout forced from a script counts as rendering.
 */
import type { CDPSession } from 'playwright-core'

interface TraceEvent {
  name: string
  cat: string
  ph: string
  ts: number
  dur?: number
  pid: number
  tid: number
  args?: { name?: string }
}

export const TRACE_CATEGORIES = ['devtools.timeline', 'v8.execute', 'disabled-by-default-devtools.timeline', 'disabled-by-default-v8.gc', 'blink.user_timing']

const SCRIPTING = new Set([
  'FunctionCall', 'EvaluateScript', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'RunMicrotasks', 'v8.run', 'v8.compile',
  'v8.compileModule', 'v8.evaluateModule', 'V8.Execute', 'v8.callFunction', 'v8.produceCache', 'v8.produceModuleCache', 'MajorGC', 'MinorGC',
  'V8.GCScavenger', 'V8.GCFinalizeMC', 'V8.GCIncrementalMarking', 'V8.GC_MC_BACKGROUND_MARKING', 'BlinkGC.AtomicPhase', 'FireIdleCallback',
  'ResizeObserver::BroadcastObservations', 'IntersectionObserverController::computeIntersections', 'v8.parseOnBackground', 'V8.DeoptimizeCode',
  'V8.GC_SCAVENGER', 'V8.GC_MARK_COMPACTOR', 'V8.GCCompactor', 'ThreadState::performIdleLazySweep', 'V8.StackGuard',
])
const RENDERING = new Set([
  'Layout', 'UpdateLayoutTree', 'RecalculateStyles', 'ScheduleStyleRecalculation', 'InvalidateLayout', 'HitTest', 'PrePaint', 'Paint', 'Layerize',
  'UpdateLayer', 'UpdateLayerTree', 'PaintImage', 'CompositeLayers', 'Commit', 'ParseHTML', 'ParseAuthorStyleSheet', 'IntersectionObserverController::computeIntersections',
])

export interface MainThreadTime {
  scriptingMs: number
  renderingMs: number
  otherMs: number
  /** The names with the most self time (diagnostics). */
  top: Array<[string, number]>
}

export async function startTrace(cdp: CDPSession): Promise<() => Promise<MainThreadTime>> {
  const events: TraceEvent[] = []
  const onData = (e: { value: unknown[] }): void => {
    for (const v of e.value) events.push(v as TraceEvent)
  }
  cdp.on('Tracing.dataCollected', onData)
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: TRACE_CATEGORIES, recordMode: 'recordAsMuchAsPossible' } })
  return async () => {
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
    await cdp.send('Tracing.end')
    await complete
    cdp.off('Tracing.dataCollected', onData)
    return summarize(events)
  }
}

export function summarize(events: TraceEvent[]): MainThreadTime {
  // The page's main thread: the CrRendererMain with the most timed events.
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`))
  const counts = new Map<string, number>()
  for (const e of events) if (e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`)) counts.set(`${e.pid}:${e.tid}`, (counts.get(`${e.pid}:${e.tid}`) ?? 0) + 1)
  const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0]
  const xs = events.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === main && (e.dur ?? 0) > 0).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))
  const self = new Map<string, number>()
  let scripting = 0
  let rendering = 0
  let other = 0
  const stack: Array<{ e: TraceEvent; end: number; child: number; kind: 'script' | 'render' | undefined }> = []
  const close = (frame: (typeof stack)[number]): void => {
    const s = (frame.e.dur ?? 0) - frame.child
    self.set(frame.e.name, (self.get(frame.e.name) ?? 0) + s)
    if (frame.kind === 'script') scripting += s
    else if (frame.kind === 'render') rendering += s
    else other += s
  }
  for (const e of xs) {
    while (stack.length > 0 && (stack[stack.length - 1] as (typeof stack)[number]).end <= e.ts) close(stack.pop() as (typeof stack)[number])
    const parent = stack[stack.length - 1]
    if (parent !== undefined) parent.child += e.dur ?? 0
    // Unlisted events (task containers, probes) inherit the kind of what encloses them.
    const kind = SCRIPTING.has(e.name) ? 'script' : RENDERING.has(e.name) ? 'render' : parent?.kind
    stack.push({ e, end: e.ts + (e.dur ?? 0), child: 0, kind })
  }
  while (stack.length > 0) close(stack.pop() as (typeof stack)[number])
  return {
    scriptingMs: scripting / 1000,
    renderingMs: rendering / 1000,
    otherMs: other / 1000,
    top: [...self].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => [k, Math.round(v / 100) / 10]),
  }
}

/**
 * In-page instrumentation, imported first by every bench page (before react-dom): a React DevTools global hook whose
 * `onCommitFiberRoot` counts commits (called once per commit of the root — the count a `<Profiler onRender>` gives in
 * a profiling build, without swapping in that build), an animation frame counter, and, when asked (`?count=1`, a pass
 * that is not timed), a walk of each commit's re-rendered fibers that counts renders of message components whose
 * message was settled before the stream. The walk follows React DevTools' rule: a subtree whose child list was not
 * re-created was not rendered; a function component rendered iff its fiber has the PerformedWork flag.
 */

interface Fiber {
  elementType: unknown
  memoizedProps: Record<string, unknown> | null
  child: Fiber | null
  sibling: Fiber | null
  alternate: Fiber | null
  flags: number
}

const PERFORMED_WORK = 1

export interface WindowResult {
  commits: number
  frames: number
  /** Re-renders (updates) of tracked message components whose message was settled before the stream (counting pass). */
  settledRenders: number
  /** Mounts of such components during the stream (a virtualized list rendering rows that came into view). */
  settledMounts: number
  /** Renders of tracked message components of any id (counting pass only). */
  messageRenders: number
  ms: number
}

const params = new URLSearchParams(globalThis.location?.search ?? '')
/** The counting pass: walks every commit (its cost would distort the timed passes, so they skip it). */
export const COUNTING = params.get('count') === '1'

let inWindow = false
let commits = 0
/** Counting pass: when each commit happened and which tracked ids rendered in it (diagnostics). */
export const commitLog: Array<{ t: number; frame: number; ids: string[] }> = []
let frameNo = 0
let settledRenders = 0
let settledMounts = 0
let messageRenders = 0
let tracked = new Map<unknown, (props: Record<string, unknown>) => string | undefined>()
let settled = new Set<string>()

let renderedIds: string[] = []

function walk(root: Fiber): void {
  const stack: Fiber[] = [root]
  while (stack.length > 0) {
    const fiber = stack.pop() as Fiber
    const prev = fiber.alternate
    const idOf = tracked.get(fiber.elementType)
    if (idOf !== undefined && (prev === null || (fiber.flags & PERFORMED_WORK) !== 0) && fiber.memoizedProps !== null) {
      messageRenders++
      const id = idOf(fiber.memoizedProps)
      if (id !== undefined) renderedIds.push(prev === null ? `+${id}` : id)
      if (id !== undefined && settled.has(id)) {
        if (prev === null) settledMounts++
        else settledRenders++
      }
    }
    if (prev !== null && fiber.child === prev.child) continue
    for (let c = fiber.child; c !== null; c = c.sibling) stack.push(c)
  }
}

const hook = {
  supportsFiber: true,
  renderers: new Map<number, unknown>(),
  inject(renderer: unknown): number {
    hook.renderers.set(1, renderer)
    return 1
  },
  checkDCE(): void {},
  onScheduleFiberRoot(): void {},
  onCommitFiberUnmount(): void {},
  onPostCommitFiberRoot(): void {},
  onCommitFiberRoot(_id: number, root: { current: Fiber }): void {
    if (!inWindow) return
    commits++
    if (COUNTING) {
      renderedIds = []
      walk(root.current)
      commitLog.push({ t: performance.now(), frame: frameNo, ids: renderedIds })
    }
  },
}
;(globalThis as Record<string, unknown>).__REACT_DEVTOOLS_GLOBAL_HOOK__ = hook

/** Message components to watch in the counting pass, and how to read a message id from their props. */
export function trackMessages(components: Map<unknown, (props: Record<string, unknown>) => string | undefined>, settledIds: Iterable<string>): void {
  tracked = components
  settled = new Set(settledIds)
}

export const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve))

/** Runs `fn` (the stream) with counters on; frames are counted by a rAF loop for as long as it runs. */
export async function measureWindow(fn: () => Promise<unknown>): Promise<WindowResult> {
  commits = 0
  settledRenders = 0
  settledMounts = 0
  messageRenders = 0
  let frames = 0
  let running = true
  const tick = (): void => {
    if (!running) return
    frames++
    frameNo++
    requestAnimationFrame(tick)
  }
  inWindow = true
  const t0 = performance.now()
  requestAnimationFrame(tick)
  await fn()
  // The last batch is committed on the next frame at the latest.
  await nextFrame()
  await nextFrame()
  running = false
  inWindow = false
  return { commits, frames, settledRenders, settledMounts, messageRenders, ms: performance.now() - t0 }
}

export interface BenchApi {
  ready: boolean
  run(): Promise<WindowResult>
  /** Long-thread pages: open time and scrolling. */
  [key: string]: unknown
}

export function expose(api: Partial<BenchApi>): void {
  const w = globalThis as unknown as { __bench?: Partial<BenchApi> }
  w.__bench = Object.assign(w.__bench ?? {}, api)
}

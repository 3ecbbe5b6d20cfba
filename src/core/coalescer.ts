/** Schedules `callback` once; returns a function that cancels it. */
export type Schedule = (callback: () => void) => () => void

/** How long a frame may be deferred when `requestAnimationFrame` does not fire (hidden tab, background panel). */
const HIDDEN_FALLBACK_MS = 100

/**
 * One callback per animation frame where the platform has `requestAnimationFrame` (with a timer fallback for
 * hidden documents, where frames pause), else one per microtask.
 */
export const scheduleFrame: Schedule = (callback) => {
  const raf = globalThis.requestAnimationFrame
  if (typeof raf !== 'function') {
    let cancelled = false
    queueMicrotask(() => {
      if (!cancelled) callback()
    })
    return () => {
      cancelled = true
    }
  }
  let done = false
  let frame: number | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const clear = (): void => {
    if (frame !== undefined) globalThis.cancelAnimationFrame?.(frame)
    if (timer !== undefined) clearTimeout(timer)
  }
  const run = (): void => {
    if (done) return
    done = true
    clear()
    callback()
  }
  frame = raf(run)
  // A polyfill may call back synchronously: then there is nothing left to schedule.
  if (!done) timer = setTimeout(run, HIDDEN_FALLBACK_MS)
  else clear()
  return () => {
    done = true
    clear()
  }
}

export interface Coalescer<T> {
  push(item: T): void
  /** Delivers what is pending now, synchronously. */
  flush(): void
  /** Drops the pending schedule (pending items stay until the next flush). */
  cancel(): void
  readonly pending: number
}

/** Collects items and hands them to `deliver` in one batch per scheduled tick. */
export function createCoalescer<T>(deliver: (items: T[]) => void, schedule: Schedule = scheduleFrame): Coalescer<T> {
  let items: T[] = []
  let cancelScheduled: (() => void) | undefined
  const flush = (): void => {
    cancelScheduled?.()
    cancelScheduled = undefined
    if (items.length === 0) return
    const batch = items
    items = []
    deliver(batch)
  }
  return {
    push(item) {
      items.push(item)
      if (cancelScheduled !== undefined) return
      // A synchronous `schedule` runs `flush` before returning: its cancel handle is then stale and must not be kept.
      let ran = false
      const cancel = schedule(() => {
        ran = true
        flush()
      })
      if (!ran) cancelScheduled = cancel
    },
    flush,
    cancel() {
      cancelScheduled?.()
      cancelScheduled = undefined
    },
    get pending() {
      return items.length
    },
  }
}

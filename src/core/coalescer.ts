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
  let done = false
  let frame: number | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const cancel = (): void => {
    done = true
    if (frame !== undefined) globalThis.cancelAnimationFrame?.(frame)
    clearTimeout(timer)
  }
  const run = (): void => {
    if (done) return
    cancel()
    callback()
  }
  if (typeof raf !== 'function') queueMicrotask(run)
  else {
    frame = raf(run)
    // A polyfill may call back synchronously: then there is nothing left to schedule.
    if (!done) timer = setTimeout(run, HIDDEN_FALLBACK_MS)
  }
  return cancel
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
  const cancel = (): void => {
    cancelScheduled?.()
    cancelScheduled = undefined
  }
  const flush = (): void => {
    cancel()
    if (items.length > 0) {
      const batch = items
      items = []
      deliver(batch)
    }
  }
  return {
    push(item) {
      items.push(item)
      if (cancelScheduled) return
      // A synchronous `schedule` runs `flush` before returning: its cancel handle is then stale and must not be kept.
      let ran = false
      const cancelThis = schedule(() => {
        ran = true
        flush()
      })
      if (!ran) cancelScheduled = cancelThis
    },
    flush,
    cancel,
    get pending() {
      return items.length
    },
  }
}

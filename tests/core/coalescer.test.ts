import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCoalescer, scheduleFrame, type Schedule } from '../../src/core'

/** A schedule run by hand: callbacks are collected, `runAll` runs the live (not cancelled) ones. */
function manualSchedule(): { schedule: Schedule; scheduled: number; cancelled: number; live: () => number; runAll: () => void } {
  const entries: Array<{ callback: () => void; cancelled: boolean; ran: boolean }> = []
  const api = {
    scheduled: 0,
    cancelled: 0,
    schedule: ((callback) => {
      const entry = { callback, cancelled: false, ran: false }
      entries.push(entry)
      api.scheduled++
      return () => {
        if (!entry.cancelled && !entry.ran) api.cancelled++
        entry.cancelled = true
      }
    }) as Schedule,
    live: () => entries.filter((e) => !e.cancelled && !e.ran).length,
    runAll: () => {
      for (const entry of entries.splice(0)) {
        if (entry.cancelled || entry.ran) continue
        entry.ran = true
        entry.callback()
      }
    },
  }
  return api
}

describe('createCoalescer', () => {
  it('many pushes → one schedule, one delivery with every item in order', () => {
    const m = manualSchedule()
    const batches: number[][] = []
    const c = createCoalescer<number>((items) => batches.push(items), m.schedule)
    for (let i = 0; i < 50; i++) c.push(i)
    expect(m.scheduled).toBe(1)
    expect(c.pending).toBe(50)
    expect(batches).toEqual([])
    m.runAll()
    expect(batches).toEqual([Array.from({ length: 50 }, (_, i) => i)])
    expect(c.pending).toBe(0)
    expect(m.scheduled).toBe(1)
  })

  it('after a delivery the next push schedules again', () => {
    const m = manualSchedule()
    const batches: string[][] = []
    const c = createCoalescer<string>((items) => batches.push(items), m.schedule)
    c.push('a')
    c.push('b')
    m.runAll()
    c.push('c')
    expect(m.scheduled).toBe(2)
    m.runAll()
    expect(batches).toEqual([['a', 'b'], ['c']])
  })

  it('a push from inside deliver goes into the next batch', () => {
    const m = manualSchedule()
    const batches: string[][] = []
    let c!: ReturnType<typeof createCoalescer<string>>
    c = createCoalescer<string>((items) => {
      batches.push(items)
      if (items[0] === 'first') c.push('from-deliver')
    }, m.schedule)
    c.push('first')
    m.runAll()
    expect(batches).toEqual([['first']])
    expect(c.pending).toBe(1)
    expect(m.live()).toBe(1)
    m.runAll()
    expect(batches).toEqual([['first'], ['from-deliver']])
  })

  it('flush() delivers synchronously and cancels the scheduled callback', () => {
    const m = manualSchedule()
    const batches: number[][] = []
    const c = createCoalescer<number>((items) => batches.push(items), m.schedule)
    c.push(1)
    c.push(2)
    c.flush()
    expect(batches).toEqual([[1, 2]])
    expect(c.pending).toBe(0)
    expect(m.cancelled).toBe(1)
    expect(m.live()).toBe(0)
    m.runAll()
    expect(batches).toEqual([[1, 2]])
    // a push after the flush schedules afresh
    c.push(3)
    expect(m.scheduled).toBe(2)
    m.runAll()
    expect(batches).toEqual([[1, 2], [3]])
  })

  it('flush() with nothing pending delivers nothing', () => {
    const m = manualSchedule()
    const deliver = vi.fn<(items: number[]) => void>()
    const c = createCoalescer<number>(deliver, m.schedule)
    c.flush()
    c.flush()
    m.runAll()
    expect(deliver).not.toHaveBeenCalled()
    expect(m.scheduled).toBe(0)
    expect(c.pending).toBe(0)
  })

  it('the scheduled callback delivers nothing when a flush already emptied it (even if cancel was ignored)', () => {
    // a schedule whose cancel does nothing: the callback still runs, with nothing left to deliver
    const callbacks: Array<() => void> = []
    const deliver = vi.fn<(items: string[]) => void>()
    const c = createCoalescer<string>(deliver, (cb) => {
      callbacks.push(cb)
      return () => undefined
    })
    c.push('x')
    c.flush()
    expect(deliver.mock.calls).toEqual([[['x']]])
    for (const cb of callbacks) cb()
    expect(deliver).toHaveBeenCalledTimes(1)
  })

  it('cancel() drops the schedule but keeps the items until the next flush', () => {
    const m = manualSchedule()
    const batches: string[][] = []
    const c = createCoalescer<string>((items) => batches.push(items), m.schedule)
    c.push('a')
    c.push('b')
    c.cancel()
    expect(m.cancelled).toBe(1)
    m.runAll()
    expect(batches).toEqual([])
    expect(c.pending).toBe(2)
    c.flush()
    expect(batches).toEqual([['a', 'b']])
    expect(c.pending).toBe(0)
  })

  it('a push after cancel() schedules again and delivers the earlier items too', () => {
    const m = manualSchedule()
    const batches: string[][] = []
    const c = createCoalescer<string>((items) => batches.push(items), m.schedule)
    c.push('a')
    c.cancel()
    c.push('b')
    expect(m.scheduled).toBe(2)
    m.runAll()
    expect(batches).toEqual([['a', 'b']])
  })

  it('cancel() with nothing scheduled is harmless', () => {
    const m = manualSchedule()
    const deliver = vi.fn<(items: number[]) => void>()
    const c = createCoalescer<number>(deliver, m.schedule)
    c.cancel()
    expect(m.scheduled).toBe(0)
    expect(deliver).not.toHaveBeenCalled()
  })
})

describe('scheduleFrame', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('without requestAnimationFrame (Node) runs in a microtask, not synchronously', async () => {
    expect(typeof globalThis.requestAnimationFrame).toBe('undefined')
    const order: string[] = []
    scheduleFrame(() => order.push('callback'))
    setTimeout(() => order.push('timer'), 0)
    order.push('sync')
    expect(order).toEqual(['sync'])
    queueMicrotask(() => order.push('later microtask'))
    await new Promise((resolve) => setTimeout(resolve, 5))
    // before a microtask queued after it, and before any timer
    expect(order).toEqual(['sync', 'callback', 'later microtask', 'timer'])
  })

  it('without requestAnimationFrame: the returned cancel prevents the callback', async () => {
    const callback = vi.fn()
    const cancel = scheduleFrame(callback)
    cancel()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(callback).not.toHaveBeenCalled()
  })

  it('as the coalescer default in Node: one delivery per microtask', async () => {
    const batches: number[][] = []
    const c = createCoalescer<number>((items) => batches.push(items))
    c.push(1)
    c.push(2)
    expect(batches).toEqual([])
    await Promise.resolve()
    expect(batches).toEqual([[1, 2]])
    c.push(3)
    await Promise.resolve()
    expect(batches).toEqual([[1, 2], [3]])
  })

  /** Stubs rAF/cAF; frames run only when `fire` is called. */
  function stubRaf(): { raf: ReturnType<typeof vi.fn<(cb: FrameRequestCallback) => number>>; caf: ReturnType<typeof vi.fn<(id: number) => void>>; fire: () => void } {
    const pending = new Map<number, FrameRequestCallback>()
    let next = 0
    const raf = vi.fn((cb: FrameRequestCallback): number => {
      next += 1
      pending.set(next, cb)
      return next
    })
    const caf = vi.fn((id: number): void => {
      pending.delete(id)
    })
    vi.stubGlobal('requestAnimationFrame', raf)
    vi.stubGlobal('cancelAnimationFrame', caf)
    return {
      raf,
      caf,
      fire: () => {
        const due = [...pending.values()]
        pending.clear()
        for (const cb of due) cb(16)
      },
    }
  }

  it('with requestAnimationFrame: uses one frame, runs on it, and clears the fallback timer', async () => {
    vi.useFakeTimers()
    const { raf, caf, fire } = stubRaf()
    const callback = vi.fn()
    scheduleFrame(callback)
    expect(raf).toHaveBeenCalledTimes(1)
    expect(vi.getTimerCount()).toBe(1)
    await Promise.resolve()
    expect(callback).not.toHaveBeenCalled()
    fire()
    expect(callback).toHaveBeenCalledTimes(1)
    expect(caf).toHaveBeenCalledWith(1)
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(500)
    expect(callback).toHaveBeenCalledTimes(1)
  })

  it('falls back to a 100 ms timer when the frame never fires (hidden tab)', () => {
    vi.useFakeTimers()
    const { raf, caf } = stubRaf()
    const callback = vi.fn()
    scheduleFrame(callback)
    expect(raf).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(99)
    expect(callback).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(callback).toHaveBeenCalledTimes(1)
    // the timer run cancels the still pending frame
    expect(caf).toHaveBeenCalledWith(1)
  })

  it('runs the callback only once when both the frame and the timer fire', () => {
    vi.useFakeTimers()
    const callbacks: FrameRequestCallback[] = []
    // a rAF whose cancel is ignored, so the frame fires even after the timer ran
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => callbacks.push(cb))
    vi.stubGlobal('cancelAnimationFrame', () => undefined)
    const callback = vi.fn()
    scheduleFrame(callback)
    vi.advanceTimersByTime(100)
    expect(callback).toHaveBeenCalledTimes(1)
    for (const cb of callbacks) cb(0)
    expect(callback).toHaveBeenCalledTimes(1)

    // and the other way round: frame first, then a timer that was not cleared
    const clear = vi.spyOn(globalThis, 'clearTimeout').mockImplementation(() => undefined)
    const second = vi.fn()
    callbacks.length = 0
    scheduleFrame(second)
    for (const cb of callbacks) cb(0)
    expect(second).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(100)
    expect(second).toHaveBeenCalledTimes(1)
    clear.mockRestore()
  })

  it('with requestAnimationFrame: cancel stops both the frame and the timer', () => {
    vi.useFakeTimers()
    const { caf, fire } = stubRaf()
    const callback = vi.fn()
    const cancel = scheduleFrame(callback)
    cancel()
    expect(caf).toHaveBeenCalledWith(1)
    expect(vi.getTimerCount()).toBe(0)
    fire()
    vi.advanceTimersByTime(200)
    expect(callback).not.toHaveBeenCalled()
  })

  it('as the coalescer default with requestAnimationFrame: one frame per batch', () => {
    vi.useFakeTimers()
    const { raf, fire } = stubRaf()
    const batches: string[][] = []
    const c = createCoalescer<string>((items) => batches.push(items))
    c.push('a')
    c.push('b')
    c.push('c')
    expect(raf).toHaveBeenCalledTimes(1)
    fire()
    expect(batches).toEqual([['a', 'b', 'c']])
  })
})

describe('synchronous schedules (regressions)', () => {
  it('an immediate schedule delivers every push at once, never stalls', () => {
    const delivered: number[][] = []
    const c = createCoalescer<number>((items) => delivered.push(items), (cb) => {
      cb()
      return () => undefined
    })
    c.push(1)
    c.push(2)
    c.push(3)
    expect(delivered).toEqual([[1], [2], [3]])
    expect(c.pending).toBe(0)
  })

  it('scheduleFrame with a requestAnimationFrame that calls back synchronously runs once and does not throw', () => {
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
      cb(0)
      return 1
    })
    vi.stubGlobal('cancelAnimationFrame', () => undefined)
    const callback = vi.fn()
    expect(() => scheduleFrame(callback)).not.toThrow()
    expect(callback).toHaveBeenCalledTimes(1)
    vi.unstubAllGlobals()
  })
})

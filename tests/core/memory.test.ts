/**
 * 1,000 send/stop cycles through the real client and controller, against the hand-driven fake server: every way a
 * turn ends (stop confirmed by the server, stop closed by the grace timer, stop before the response, stop that finds
 * nothing and is retried, a complete answer, an unmount mid-stream) — and afterwards no timer is pending, no abort
 * listener is left on a live signal, and (with gc available) no AbortController of those turns is still reachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpenClawClient } from '../../src/client'
import { ChatController } from '../../src/core'
import { createFakeServer, tick, until, type FakeServer } from '../helpers/fake-server'
import { gc } from '../helpers/gc'

const CYCLES = 1_000
const SRC = /[\\/]src[\\/]/


// ---- instrumentation: timers, abort listeners and abort controllers created by our code (src/) ----
const realSetTimeout = globalThis.setTimeout
const realClearTimeout = globalThis.clearTimeout
const RealAbortController = globalThis.AbortController
const realAdd = EventTarget.prototype.addEventListener
const realRemove = EventTarget.prototype.removeEventListener

/** Timers of src/ code that neither fired nor were cleared. */
const pendingTimers = new Set<unknown>()
let timersCreated = 0
/** Abort listeners that src/ code added, per signal (WeakMap + WeakRefs: tracking must not keep anything alive). */
const listeners = new WeakMap<AbortSignal, Set<unknown>>()
const signals: Array<WeakRef<AbortSignal>> = []
const controllers: Array<WeakRef<AbortController>> = []

const fromSrc = (): boolean => SRC.test(new Error().stack?.split('\n').slice(2).join('\n') ?? '')

beforeAll(() => {
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    if (!fromSrc()) return realSetTimeout(fn, ms, ...args)
    timersCreated++
    const timer = realSetTimeout(
      (...a: unknown[]) => {
        pendingTimers.delete(timer)
        fn(...a)
      },
      ms,
      ...args,
    )
    pendingTimers.add(timer)
    return timer
  }) as typeof setTimeout
  globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
    pendingTimers.delete(timer)
    realClearTimeout(timer)
  }) as typeof clearTimeout
  globalThis.AbortController = class TrackedAbortController extends RealAbortController {
    constructor() {
      super()
      if (fromSrc()) controllers.push(new WeakRef(this))
    }
  }
  EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, listener: unknown, options?: unknown) {
    if (this instanceof AbortSignal && type === 'abort' && listener !== null && fromSrc()) {
      let set = listeners.get(this)
      if (set === undefined) {
        set = new Set()
        listeners.set(this, set)
        signals.push(new WeakRef(this))
      }
      set.add(listener)
    }
    return realAdd.call(this, type, listener as EventListener, options as AddEventListenerOptions)
  }
  EventTarget.prototype.removeEventListener = function (this: EventTarget, type: string, listener: unknown, options?: unknown) {
    if (this instanceof AbortSignal && type === 'abort') listeners.get(this)?.delete(listener)
    return realRemove.call(this, type, listener as EventListener, options as EventListenerOptions)
  }
})

afterAll(() => {
  globalThis.setTimeout = realSetTimeout
  globalThis.clearTimeout = realClearTimeout
  globalThis.AbortController = RealAbortController
  EventTarget.prototype.addEventListener = realAdd
  EventTarget.prototype.removeEventListener = realRemove
})

/** Abort listeners still registered on signals that can still fire (an aborted signal never fires again). */
function liveAbortListeners(): number {
  let n = 0
  for (const ref of signals) {
    const signal = ref.deref()
    if (signal !== undefined && !signal.aborted) n += listeners.get(signal)?.size ?? 0
  }
  return n
}

const liveControllers = (): number => controllers.filter((ref) => ref.deref() !== undefined).length
const activeTimeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

describe('memory: 1,000 send/stop cycles', () => {
  it('leave no timers, abort listeners or abort controllers behind', async () => {
    const timeoutsBefore = activeTimeouts()
    let server: FakeServer = createFakeServer()
    const newChat = (): ChatController =>
      new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: (input, init) => server.fetch(input, init) }), stopGraceMs: 5 })
    let chat = newChat()
    const turns: Array<Promise<void>> = []
    const ends = { confirmed: 0, grace: 0, beforeResponse: 0, retried: 0, completed: 0, unmounted: 0 }

    for (let i = 0; i < CYCLES; i++) {
      if (i % 100 === 0) {
        // A fresh server now and then: the fake one records every request and stream it served.
        await Promise.all(turns.splice(0))
        server = createFakeServer()
      }
      const kind = i % 6
      if (kind === 2 || kind === 3) {
        // Stopped before the response: closed at once; the stop request finds a run (2) or nothing, and is retried (3).
        server.onStop = kind === 2 ? (body) => ({ ok: true, aborted: true, runIds: [String(body.runId ?? 'r')] }) : () => ({ ok: true, aborted: false, runIds: [] })
        const streams = server.streams.length
        const turn = chat.send(`q${i}`)
        await chat.stop()
        await turn
        if (kind === 2) ends.beforeResponse++
        else ends.retried++
        // The request was aborted before it reached the server, or its stream was cancelled.
        for (const stream of server.streams.slice(streams)) expect(stream.cancelled).toBe(true)
        continue
      }
      server.onStop = (body) => ({ ok: true, aborted: true, runIds: [String(body.runId ?? 'r')] })
      turns.push(chat.send(`q${i}`))
      const stream = await server.nextStream()
      stream.frame('lifecycle', { phase: 'start', runId: `run${i}` })
      for (let d = 0; d < 5; d++) stream.frame('text-delta', { text: `word${d} ` })
      stream.frame('reasoning-delta', { text: 'thinking' })
      stream.frame('tool-start', { toolCallId: `c${i}`, toolName: 'read_file', arguments: { path: 'a.ts' } })
      stream.frame('tool-end', { toolCallId: `c${i}`, isError: false, output: { ok: true } })
      await until(() => chat.store.getState().status === 'streaming')
      if (kind === 0) {
        // The server confirms the stop and ends the stream.
        const stopped = chat.stop()
        stream.frame('lifecycle', { phase: 'aborted', runId: `run${i}` })
        stream.end()
        stream.close()
        await stopped
        ends.confirmed++
      } else if (kind === 1) {
        // The server never answers the stop: the grace timer closes the turn and aborts the request.
        await chat.stop()
        expect(stream.cancelled).toBe(true)
        ends.grace++
      } else if (kind === 4) {
        stream.frame('usage', { tokensIn: 10, tokensOut: 20 })
        stream.frame('done', {})
        stream.end()
        stream.close()
        await turns[turns.length - 1]
        ends.completed++
      } else {
        // Unmounted mid-stream: a new controller takes over (as a remount does).
        chat.dispose()
        expect(stream.cancelled).toBe(true)
        chat = newChat()
        ends.unmounted++
      }
      expect(chat.busy).toBe(false)
    }
    await Promise.all(turns.splice(0))
    // Stop retries (300 ms) and late stop responses settle; nothing else may be pending after that — checked before
    // `dispose`, which would clear a leaked timer of this controller.
    for (let k = 0; k < 3; k++) {
      await until(() => pendingTimers.size === 0, 5_000).catch(() => undefined)
      await tick(50) // a stop response still on its way may arm a retry
    }
    const pendingBeforeDispose = pendingTimers.size
    chat.dispose()

    expect(Object.values(ends).reduce((a, b) => a + b, 0)).toBe(CYCLES)
    expect(timersCreated).toBeGreaterThan(CYCLES)
    expect(pendingBeforeDispose).toBe(0)
    expect(pendingTimers.size).toBe(0)
    expect(activeTimeouts()).toBeLessThanOrEqual(timeoutsBefore)
    expect(signals.length).toBeGreaterThan(0)
    expect(liveAbortListeners()).toBe(0)
    expect(controllers.length).toBeGreaterThanOrEqual(CYCLES)

    if (gc !== undefined) {
      // Drop what the test itself holds, then every turn's AbortController must be collectable.
      server = createFakeServer()
      chat = newChat()
      chat.dispose()
      for (let k = 0; k < 5 && liveControllers() > 0; k++) {
        await tick(20)
        gc()
      }
      expect(liveControllers()).toBe(0)
    }
  }, 60_000)
})

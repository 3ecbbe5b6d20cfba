import { GatewayError } from './errors'
import {
  GATEWAY_PROTOCOL,
  eventRunId,
  isRecord,
  parseGatewayFrame,
  type ConnectParams,
  type GatewayEventFrame,
  type GatewayResponseFrame,
  type HelloOk,
} from './frames'
import { WS_OPEN, globalWebSocket, messageData, type WebSocketConstructor, type WebSocketLike } from './websocket'

export type GatewayConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed'

export interface GatewayConnectionOptions {
  /** `ws://127.0.0.1:18789` */
  url: string
  /** Sent once, inside the `connect` frame; never put in the URL or in an error message. */
  token?: string
  /** Default: the global WebSocket. Node 20 has none: pass `ws`'s `WebSocket` class. */
  WebSocket?: WebSocketConstructor
  /** Reported to the gateway in `client.version`. */
  clientVersion?: string
  /** Default for `request()` (ms, including the wait for a connection). Default 30 000. */
  requestTimeoutMs?: number
  /** From opening the socket to `hello-ok`. Default 10 000. */
  handshakeTimeoutMs?: number
  /** Reconnect after a drop, with exponential backoff (default true). */
  reconnect?: boolean
  backoffInitialMs?: number
  backoffMaxMs?: number
  /** For tests: jitter source. */
  random?: () => number
}

export interface RequestOptions {
  /** For the whole request, including any wait for a connection. */
  timeoutMs?: number
  /** How long to wait for a connection when there is none (default: `timeoutMs`). */
  connectTimeoutMs?: number
  signal?: AbortSignal
}

export type GatewayEventListener = (frame: GatewayEventFrame) => void
export type GatewayStatusListener = (status: GatewayConnectionStatus) => void

interface Pending {
  method: string
  resolve: (payload: unknown) => void
  reject: (error: GatewayError) => void
  timer: ReturnType<typeof setTimeout>
}

interface ReadyWaiter {
  resolve: () => void
  reject: (error: GatewayError) => void
  timer: ReturnType<typeof setTimeout>
}

export const GATEWAY_CLIENT_ID = 'gateway-client'
const CLIENT_VERSION = '0.1.0'
const DEFAULT_TICK_MS = 30_000

/** The URL without credentials or query, for messages and logs. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`
  } catch {
    return 'the gateway URL'
  }
}

function unref(timer: ReturnType<typeof setTimeout>): ReturnType<typeof setTimeout> {
  ;(timer as { unref?: () => void }).unref?.()
  return timer
}

function platformName(): string {
  const proc = (globalThis as { process?: { platform?: unknown } }).process
  return typeof proc?.platform === 'string' ? proc.platform : 'web'
}

/**
 * One protocol-4 connection to an OpenClaw gateway as an operator backend client: the challenge/connect
 * handshake, request/response correlation with timeouts, event dispatch (by `runId` for run events), liveness
 * (the gateway ticks every `tickIntervalMs`), reconnection with backoff, and a clean close.
 * Framework-free: runs in browsers and on Node.
 */
export class GatewayConnection {
  private readonly options: GatewayConnectionOptions
  private readonly Ctor: WebSocketConstructor | undefined
  private statusValue: GatewayConnectionStatus = 'idle'
  private socket: WebSocketLike | undefined
  /** Bumped whenever a socket is dropped, so late callbacks of an old socket are ignored. */
  private generation = 0
  private attempt = 0
  private nextId = 0
  private lastFrameAt = 0
  private closedByUser = false
  private handshakeTimer: ReturnType<typeof setTimeout> | undefined
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined
  private livenessTimer: ReturnType<typeof setTimeout> | undefined
  private closeWaiter: (() => void) | undefined
  private readonly pending = new Map<string, Pending>()
  private readonly readyWaiters = new Set<ReadyWaiter>()
  private readonly runListeners = new Map<string, Set<GatewayEventListener>>()
  private readonly eventListeners = new Set<GatewayEventListener>()
  private readonly statusListeners = new Set<GatewayStatusListener>()
  /** The last `hello-ok` payload. */
  hello: HelloOk | undefined
  /** Why the last attempt failed or the link dropped (never contains the token). */
  lastError: string | undefined
  /** How many times a connection was (re-)established. */
  connectCount = 0

  constructor(options: GatewayConnectionOptions) {
    this.options = options
    this.Ctor = options.WebSocket ?? globalWebSocket()
  }

  get status(): GatewayConnectionStatus {
    return this.statusValue
  }

  get url(): string {
    return describeUrl(this.options.url)
  }

  /** Starts connecting (idempotent); the connection then stays up, reconnecting as needed, until `close()`. */
  connect(): void {
    if (this.statusValue !== 'idle') return
    this.open()
  }

  /** Resolves once connected; rejects (`unavailable`) after `timeoutMs` or when closed. */
  ready(timeoutMs = this.options.handshakeTimeoutMs ?? 10_000): Promise<void> {
    if (this.statusValue === 'connected') return Promise.resolve()
    if (this.statusValue === 'closed') return Promise.reject(new GatewayError('closed', 'The gateway connection is closed'))
    this.connect()
    return new Promise<void>((resolve, reject) => {
      const waiter: ReadyWaiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.readyWaiters.delete(waiter)
          reject(new GatewayError('unavailable', `Could not connect to the OpenClaw gateway at ${this.url}${this.lastError ? `: ${this.lastError}` : ''}`))
        }, Math.max(0, timeoutMs)),
      }
      this.readyWaiters.add(waiter)
    })
  }

  /** Sends a request and resolves with the response payload. Waits for a connection within the same timeout. */
  async request<T = unknown>(method: string, params?: unknown, options: RequestOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? 30_000
    const started = Date.now()
    if (options.signal?.aborted) throw new GatewayError('closed', `${method} was cancelled`)
    if (this.statusValue !== 'connected') await this.ready(Math.min(timeoutMs, options.connectTimeoutMs ?? timeoutMs))
    const socket = this.socket
    if (socket === undefined || socket.readyState !== WS_OPEN) throw new GatewayError('unavailable', `The OpenClaw gateway at ${this.url} is not connected`)
    const remaining = Math.max(1, timeoutMs - (Date.now() - started))
    return new Promise<T>((resolve, reject) => {
      this.nextId += 1
      const id = String(this.nextId)
      const onAbort = (): void => {
        const entry = this.pending.get(id)
        if (entry === undefined) return
        clearTimeout(entry.timer)
        this.pending.delete(id)
        reject(new GatewayError('closed', `${method} was cancelled`))
      }
      const entry: Pending = {
        method,
        resolve: (payload) => {
          options.signal?.removeEventListener('abort', onAbort)
          resolve(payload as T)
        },
        reject: (error) => {
          options.signal?.removeEventListener('abort', onAbort)
          reject(error)
        },
        timer: setTimeout(() => {
          this.pending.delete(id)
          entry.reject(new GatewayError('timeout', `${method}: no answer from the OpenClaw gateway within ${Math.round(remaining / 100) / 10} s`))
        }, remaining),
      }
      this.pending.set(id, entry)
      options.signal?.addEventListener('abort', onAbort, { once: true })
      try {
        socket.send(JSON.stringify({ type: 'req', id, method, ...(params === undefined ? {} : { params }) }))
      } catch (error) {
        clearTimeout(entry.timer)
        this.pending.delete(id)
        entry.reject(new GatewayError('unavailable', `Could not send ${method} to the OpenClaw gateway`, { cause: error }))
      }
    })
  }

  /** Every event frame (run events included). */
  onEvent(listener: GatewayEventListener): () => void {
    this.eventListeners.add(listener)
    return () => this.eventListeners.delete(listener)
  }

  /** The `chat` and `agent` events of one run. Subscribe before `chat.send` (the runId is the idempotency key). */
  onRunEvent(runId: string, listener: GatewayEventListener): () => void {
    let set = this.runListeners.get(runId)
    if (set === undefined) {
      set = new Set()
      this.runListeners.set(runId, set)
    }
    set.add(listener)
    return () => {
      const current = this.runListeners.get(runId)
      if (current === undefined) return
      current.delete(listener)
      if (current.size === 0) this.runListeners.delete(runId)
    }
  }

  onStatus(listener: GatewayStatusListener): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  /** Stops reconnecting, fails pending requests (`closed`) and closes the socket. */
  close(): Promise<void> {
    if (this.statusValue === 'closed') return Promise.resolve()
    this.closedByUser = true
    const socket = this.socket
    this.drop('closed by the client')
    if (socket === undefined || socket.readyState > WS_OPEN) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const timer = unref(setTimeout(done, 1000))
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.closeWaiter = done
      try {
        socket.close(1000, 'client closing')
      } catch {
        done()
      }
    })
  }

  private setStatus(status: GatewayConnectionStatus): void {
    if (this.statusValue === status) return
    this.statusValue = status
    for (const listener of [...this.statusListeners]) {
      try {
        listener(status)
      } catch {
        // a listener's failure is its own
      }
    }
  }

  private open(): void {
    const Ctor = this.Ctor
    this.setStatus(this.attempt === 0 && this.connectCount === 0 ? 'connecting' : 'reconnecting')
    if (Ctor === undefined) {
      this.lastError = 'no WebSocket implementation (pass `WebSocket`, e.g. the `ws` package on Node 20)'
      this.scheduleReconnect()
      return
    }
    const generation = ++this.generation
    let socket: WebSocketLike
    try {
      socket = new Ctor(this.options.url)
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error)
      this.scheduleReconnect()
      return
    }
    this.socket = socket
    let handshakeSent = false
    const live = (): boolean => generation === this.generation
    this.handshakeTimer = unref(
      setTimeout(() => {
        if (!live()) return
        this.lastError = 'the gateway did not complete the handshake in time'
        this.drop(this.lastError)
      }, this.options.handshakeTimeoutMs ?? 10_000),
    )
    socket.addEventListener('message', (event) => {
      if (!live()) return
      this.lastFrameAt = Date.now()
      const text = messageData(event.data)
      if (text === undefined) return
      const frame = parseGatewayFrame(text)
      if (frame === undefined) return
      if (frame.type === 'event') {
        if (frame.event === 'connect.challenge' && !handshakeSent) {
          handshakeSent = true
          this.sendConnect(socket, generation)
          return
        }
        this.dispatch(frame)
      } else if (frame.type === 'res') {
        this.settle(frame)
      }
    })
    let socketError: string | undefined
    socket.addEventListener('close', (event) => {
      this.closeWaiter?.()
      if (!live()) return
      const closed = `the connection closed${event.code ? ` (code ${event.code}${event.reason ? `: ${event.reason}` : ''})` : ''}`
      // A refused or failed connection says why in its error event (`ws` gives ECONNREFUSED …; browsers say nothing).
      this.lastError = handshakeSent || socketError === undefined ? closed : socketError
      this.drop(this.lastError)
    })
    socket.addEventListener('error', (event) => {
      if (!live()) return
      const message = typeof event === 'object' && event !== null ? (event as { message?: unknown }).message : undefined
      socketError = typeof message === 'string' && message !== '' ? message : 'the WebSocket failed'
    })
  }

  private sendConnect(socket: WebSocketLike, generation: number): void {
    const params: ConnectParams = {
      minProtocol: GATEWAY_PROTOCOL,
      maxProtocol: GATEWAY_PROTOCOL,
      client: { id: GATEWAY_CLIENT_ID, version: this.options.clientVersion ?? CLIENT_VERSION, platform: platformName(), mode: 'backend' },
      role: 'operator',
      scopes: ['operator.read', 'operator.write'],
      caps: ['tool-events'],
      ...(this.options.token === undefined || this.options.token === '' ? {} : { auth: { token: this.options.token } }),
    }
    this.nextId += 1
    const id = String(this.nextId)
    const fail = (error: GatewayError): void => {
      if (generation !== this.generation) return
      this.lastError = error.reason === 'rejected' ? `the gateway refused the connection: ${error.message}` : error.message
      this.drop(this.lastError)
    }
    this.pending.set(id, {
      method: 'connect',
      resolve: (payload) => {
        if (generation !== this.generation) return
        if (!isRecord(payload)) return fail(new GatewayError('rejected', 'unexpected connect reply'))
        this.hello = payload as unknown as HelloOk
        clearTimeout(this.handshakeTimer)
        this.attempt = 0
        this.connectCount += 1
        this.lastError = undefined
        this.lastFrameAt = Date.now()
        this.armLiveness(generation)
        this.setStatus('connected')
        for (const waiter of [...this.readyWaiters]) {
          clearTimeout(waiter.timer)
          this.readyWaiters.delete(waiter)
          waiter.resolve()
        }
      },
      reject: fail,
      timer: unref(setTimeout(() => fail(new GatewayError('timeout', 'the gateway did not answer connect')), this.options.handshakeTimeoutMs ?? 10_000)),
    })
    try {
      socket.send(JSON.stringify({ type: 'req', id, method: 'connect', params }))
    } catch (error) {
      fail(new GatewayError('unavailable', 'could not send connect', { cause: error }))
    }
  }

  private armLiveness(generation: number): void {
    const tick = typeof this.hello?.policy?.tickIntervalMs === 'number' && this.hello.policy.tickIntervalMs > 0 ? this.hello.policy.tickIntervalMs : DEFAULT_TICK_MS
    const limit = tick * 2 + 5_000
    const check = (): void => {
      if (generation !== this.generation) return
      const idle = Date.now() - this.lastFrameAt
      if (idle >= limit) {
        this.lastError = `no frame from the gateway for ${Math.round(idle / 1000)} s`
        this.drop(this.lastError)
        return
      }
      this.livenessTimer = unref(setTimeout(check, limit - idle))
    }
    this.livenessTimer = unref(setTimeout(check, limit))
  }

  private settle(frame: GatewayResponseFrame): void {
    const entry = this.pending.get(frame.id)
    if (entry === undefined) return
    this.pending.delete(frame.id)
    clearTimeout(entry.timer)
    if (frame.ok) entry.resolve(frame.payload)
    else entry.reject(GatewayError.fromShape(entry.method, frame.error))
  }

  private dispatch(frame: GatewayEventFrame): void {
    const runId = eventRunId(frame)
    const listeners = runId === undefined ? undefined : this.runListeners.get(runId)
    for (const listener of listeners === undefined ? [] : [...listeners]) this.call(listener, frame)
    for (const listener of [...this.eventListeners]) this.call(listener, frame)
  }

  private call(listener: GatewayEventListener, frame: GatewayEventFrame): void {
    try {
      listener(frame)
    } catch {
      // a listener's failure must not break the connection
    }
  }

  /** Forgets the current socket: fails what waited on it, then reconnects (or stays closed). */
  private drop(reason: string): void {
    this.generation += 1
    clearTimeout(this.handshakeTimer)
    clearTimeout(this.livenessTimer)
    const socket = this.socket
    this.socket = undefined
    if (socket !== undefined && socket.readyState <= WS_OPEN && !this.closedByUser) {
      try {
        socket.close(4000, 'dropped by client')
      } catch {
        // already failing
      }
    }
    const error = this.closedByUser
      ? new GatewayError('closed', 'The gateway connection was closed')
      : new GatewayError('unavailable', `Lost the connection to the OpenClaw gateway at ${this.url} (${reason})`)
    for (const [id, entry] of [...this.pending]) {
      this.pending.delete(id)
      clearTimeout(entry.timer)
      entry.reject(error)
    }
    if (this.closedByUser) {
      clearTimeout(this.reconnectTimer)
      for (const waiter of [...this.readyWaiters]) {
        clearTimeout(waiter.timer)
        this.readyWaiters.delete(waiter)
        waiter.reject(error)
      }
      this.setStatus('closed')
      return
    }
    this.scheduleReconnect()
  }

  private scheduleReconnect(): void {
    if (this.options.reconnect === false) {
      this.closedByUser = true
      this.drop(this.lastError ?? 'reconnect disabled')
      return
    }
    this.setStatus('reconnecting')
    const initial = this.options.backoffInitialMs ?? 250
    const max = this.options.backoffMaxMs ?? 10_000
    const base = Math.min(max, initial * 2 ** Math.min(this.attempt, 16))
    const jitter = 0.8 + 0.4 * (this.options.random ?? Math.random)()
    this.attempt += 1
    clearTimeout(this.reconnectTimer)
    this.reconnectTimer = unref(
      setTimeout(() => {
        if (!this.closedByUser) this.open()
      }, Math.round(base * jitter)),
    )
  }
}

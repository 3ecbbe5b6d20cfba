import type { ChatEvent, StopResponse } from '../protocol'
import type { GatewayConnection } from './connection'
import { GatewayError } from './errors'
import { EventQueue } from './event-queue'
import { isRecord, messageText, type ChatAbortResult, type ChatHistoryResult, type ChatSendResult, type GatewayAttachment, type GatewayEventFrame } from './frames'
import { runUsageFromHistory } from './history-usage'
import { RunMapper } from './run-mapper'

/** How a run ended: its terminal event, or `disconnected` (the gateway link was lost and did not come back). */
export type RunOutcome = 'done' | 'error' | 'aborted' | 'disconnected'

export interface GatewayChatOptions {
  connection: GatewayConnection
  /** `chat.send` (including the wait for a connection). Default 15 000 ms. */
  sendTimeoutMs?: number
  /** `chat.abort`. Default 5 000 ms. */
  abortTimeoutMs?: number
  /** When the link is down, `chat.send` waits this long for it to come back before failing. Default 5 000 ms. */
  connectWaitMs?: number
  /** A run whose link dropped fails after this long unless the gateway is back and the run recovered. Default 3 000 ms. */
  disconnectGraceMs?: number
  /** The agent lifecycle ended but no chat terminal followed: the run is closed after this long. Default 3 000 ms. */
  settleGraceMs?: number
  /** `chat.abort` accepted the run but no `aborted` event followed: it is closed locally after this long. Default 1 500 ms. */
  abortConfirmMs?: number
  /** `chat.history` read after a run for its usage; `done` waits at most this long. Default 3 000 ms. */
  usageTimeoutMs?: number
  generateId?: () => string
  now?: () => number
}

export interface StartRunInput {
  /** The gateway session key. */
  sessionKey: string
  message: string
  attachments?: GatewayAttachment[]
  /** Idempotency key = run id; generated when absent. */
  runId?: string
  /** Called for every frame of the run and every connection event while the run is open (liveness). */
  onActivity?: () => void
}

export interface GatewayRunHandle {
  readonly runId: string
  readonly sessionKey: string
  /** Batches of `/claw` events; ends after the terminal event. One consumer. */
  readonly events: AsyncIterable<ChatEvent[]>
  /** How the run ended, once it has. */
  readonly outcome: RunOutcome | undefined
  /** Stop listening (the consumer went away). The gateway run itself is not touched. */
  detach(): void
}

function newId(): string {
  const c = globalThis.crypto
  if (c !== undefined && typeof c.randomUUID === 'function') return c.randomUUID()
  return `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}-${Math.random().toString(16).slice(2)}`
}

const isTerminal = (e: ChatEvent): boolean => e.type === 'done' || e.type === 'error' || (e.type === 'lifecycle' && e.phase === 'aborted')

/** How many disconnect grace periods a run still active on the gateway is given before it is failed. */
const MAX_RECOVERY_ROUNDS = 10

class ActiveRun implements GatewayRunHandle {
  readonly runId: string
  readonly sessionKey: string
  readonly queue: EventQueue<ChatEvent[]>
  outcome: RunOutcome | undefined
  private readonly mapper: RunMapper
  private readonly chat: GatewayChat
  private readonly options: Required<Pick<GatewayChatOptions, 'disconnectGraceMs' | 'settleGraceMs' | 'abortConfirmMs' | 'usageTimeoutMs'>>
  private readonly onActivity: (() => void) | undefined
  private readonly cleanups: Array<() => void> = []
  private settleTimer: ReturnType<typeof setTimeout> | undefined
  private abortTimer: ReturnType<typeof setTimeout> | undefined
  private graceTimer: ReturnType<typeof setTimeout> | undefined
  private recoveryRounds = 0
  private closing = false

  constructor(chat: GatewayChat, runId: string, sessionKey: string, options: ActiveRun['options'], onActivity: (() => void) | undefined, now: () => number) {
    this.chat = chat
    this.runId = runId
    this.sessionKey = sessionKey
    this.options = options
    this.onActivity = onActivity
    this.mapper = new RunMapper({ runId, now })
    this.queue = new EventQueue<ChatEvent[]>(() => this.detach())
    const connection = chat.connection
    this.cleanups.push(connection.onRunEvent(runId, (frame) => this.onFrame(frame)))
    this.cleanups.push(connection.onEvent(() => this.onActivity?.()))
    this.cleanups.push(connection.onStatus((status) => {
      if (status !== 'connected') this.armGrace()
    }))
  }

  get events(): AsyncIterable<ChatEvent[]> {
    return this.queue
  }

  /** The send was acknowledged: `lifecycle start` goes out at once (a stop can name the run from here on). */
  started(): void {
    this.deliver(this.mapper.start())
    if (this.chat.connection.status !== 'connected') this.armGrace()
  }

  detach(): void {
    this.closing = true
    this.clearTimers()
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    this.queue.end()
    this.chat.forget(this)
  }

  /** `chat.abort` named this run: the `aborted` event should follow; if it does not, close locally. */
  abortAccepted(): void {
    if (this.mapper.finished || this.abortTimer !== undefined) return
    this.abortTimer = setTimeout(() => this.deliver(this.mapper.abort()), this.options.abortConfirmMs)
  }

  /** The gateway could not be told: end the stream here. */
  endLocally(): void {
    this.deliver(this.mapper.abort())
  }

  /** The service is closing. */
  fail(message: string): void {
    this.deliver(this.mapper.fail(message), 'disconnected')
  }

  private onFrame(frame: GatewayEventFrame): void {
    this.onActivity?.()
    if (this.graceTimer !== undefined && this.chat.connection.status === 'connected') {
      // The run's events flow again after a reconnect: the whole-text checks of the mapper catch up the text.
      clearTimeout(this.graceTimer)
      this.graceTimer = undefined
    }
    this.deliver(this.mapper.push(frame))
    if (!this.mapper.finished && this.mapper.lifecycleEnded !== undefined && this.settleTimer === undefined) {
      this.settleTimer = setTimeout(() => this.deliver(this.mapper.settle()), this.options.settleGraceMs)
    }
  }

  private armGrace(): void {
    if (this.mapper.finished || this.closing || this.graceTimer !== undefined) return
    this.graceTimer = setTimeout(() => {
      this.graceTimer = undefined
      void this.recover()
    }, this.options.disconnectGraceMs)
  }

  /** After a drop: if the gateway is back, ask it how the run went; else fail the run. */
  private async recover(): Promise<void> {
    if (this.mapper.finished || this.closing) return
    const lost = 'Lost the connection to the OpenClaw gateway during the run'
    if (this.chat.connection.status !== 'connected') {
      this.deliver(this.mapper.fail(`${lost}${this.chat.connection.lastError ? ` (${this.chat.connection.lastError})` : ''}`), 'disconnected')
      return
    }
    let history: ChatHistoryResult
    try {
      history = await this.chat.connection.request<ChatHistoryResult>('chat.history', { sessionKey: this.sessionKey, limit: 20 }, { timeoutMs: this.options.usageTimeoutMs })
    } catch {
      this.deliver(this.mapper.fail(lost), 'disconnected')
      return
    }
    if (this.mapper.finished || this.closing) return
    const info = isRecord(history.sessionInfo) ? history.sessionInfo : undefined
    const active = info !== undefined && Array.isArray(info.activeRunIds) && info.activeRunIds.includes(this.runId)
    if (active && this.recoveryRounds < MAX_RECOVERY_ROUNDS) {
      // Still running on the gateway; its events may flow again on the new connection.
      this.recoveryRounds += 1
      this.armGrace()
      return
    }
    const rows = (Array.isArray(history.messages) ? history.messages : []).filter((m) => isRecord(m) && m.role === 'assistant' && m.__openclaw?.runId === this.runId)
    if (rows.length === 0 || active) {
      this.deliver(this.mapper.fail(lost), 'disconnected')
      return
    }
    if (rows.some((row) => row.openclawAbort?.aborted === true)) {
      this.deliver(this.mapper.abort())
      return
    }
    const text = rows.map((row) => messageText(row) ?? '').filter((t) => t.trim() !== '').map((t) => t.trimEnd()).join('\n\n')
    this.deliver(this.mapper.complete(text), undefined, history)
  }

  /** Sends mapped events; a `done` waits for the run's usage from `chat.history`, which goes out just before it. */
  private deliver(events: ChatEvent[], outcome?: RunOutcome, history?: ChatHistoryResult): void {
    if (events.length === 0 || this.queue.ended) return
    const terminalIndex = events.findIndex(isTerminal)
    if (terminalIndex < 0) {
      this.queue.push(events)
      return
    }
    const terminal = events[terminalIndex] as ChatEvent
    this.outcome = outcome ?? (terminal.type === 'done' ? 'done' : terminal.type === 'error' ? 'error' : 'aborted')
    this.clearTimers()
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    const before = events.slice(0, terminalIndex)
    if (terminal.type !== 'done') {
      this.queue.push(events.slice(0, terminalIndex + 1))
      this.finish()
      return
    }
    if (before.length > 0) this.queue.push(before)
    void this.usage(history).then((usage) => {
      this.queue.push(usage === undefined ? [terminal] : [usage, terminal])
      this.finish()
    })
  }

  private async usage(known: ChatHistoryResult | undefined): Promise<ChatEvent | undefined> {
    try {
      const history =
        known ?? (await this.chat.connection.request<ChatHistoryResult>('chat.history', { sessionKey: this.sessionKey, limit: 50 }, { timeoutMs: this.options.usageTimeoutMs }))
      return runUsageFromHistory(history, this.runId)
    } catch {
      return undefined
    }
  }

  private finish(): void {
    this.queue.end()
    this.chat.forget(this)
  }

  private clearTimers(): void {
    clearTimeout(this.settleTimer)
    clearTimeout(this.abortTimer)
    clearTimeout(this.graceTimer)
    this.graceTimer = undefined
  }
}

/**
 * Chat over one gateway connection, shared by the `/claw` server and the direct transport: `chat.send` with the
 * run's events mapped to `/claw` events (usage from `chat.history` before `done`), `chat.abort` with a local end
 * when the gateway cannot be told, and runs that never hang: a dropped link fails them after a grace period.
 */
export class GatewayChat {
  readonly connection: GatewayConnection
  private readonly options: GatewayChatOptions
  private readonly active = new Set<ActiveRun>()

  constructor(options: GatewayChatOptions) {
    this.options = options
    this.connection = options.connection
  }

  /** Runs still streaming. */
  get activeRuns(): number {
    return this.active.size
  }

  /** Sends a message; resolves once the gateway accepted it (rejects with a `GatewayError` otherwise). */
  async start(input: StartRunInput): Promise<GatewayRunHandle> {
    const runId = input.runId ?? (this.options.generateId ?? newId)()
    const run = new ActiveRun(
      this,
      runId,
      input.sessionKey,
      {
        disconnectGraceMs: this.options.disconnectGraceMs ?? 3_000,
        settleGraceMs: this.options.settleGraceMs ?? 3_000,
        abortConfirmMs: this.options.abortConfirmMs ?? 1_500,
        usageTimeoutMs: this.options.usageTimeoutMs ?? 3_000,
      },
      input.onActivity,
      this.options.now ?? Date.now,
    )
    this.active.add(run)
    try {
      const params = { sessionKey: input.sessionKey, message: input.message, idempotencyKey: runId, ...(input.attachments !== undefined && input.attachments.length > 0 ? { attachments: input.attachments } : {}) }
      const result = await this.connection.request<ChatSendResult>('chat.send', params, {
        timeoutMs: this.options.sendTimeoutMs ?? 15_000,
        connectTimeoutMs: this.options.connectWaitMs ?? 5_000,
      })
      if (isRecord(result) && typeof result.runId === 'string' && result.runId !== runId) {
        throw new GatewayError('rejected', `The gateway started run ${result.runId} for idempotency key ${runId}; expected them to match`, { code: 'UNEXPECTED_RUN_ID' })
      }
    } catch (error) {
      run.detach()
      throw error
    }
    run.started()
    return run
  }

  /**
   * `chat.abort` for a session (one run, or all of them). Runs the gateway names wait briefly for its `aborted`
   * event; when the gateway cannot be told (down, timeout, refusal), the matching local runs end at once with
   * `lifecycle aborted` and the error is rethrown.
   */
  async abort(request: { sessionKey: string; runId?: string }): Promise<StopResponse> {
    const targets = [...this.active].filter((run) => run.sessionKey === request.sessionKey && (request.runId === undefined || run.runId === request.runId))
    // The gateway cannot be told right now: the streams end here at once (the abort is still sent if the link
    // comes back in time).
    if (this.connection.status !== 'connected') for (const run of targets) run.endLocally()
    let result: unknown
    try {
      result = await this.connection.request<ChatAbortResult>(
        'chat.abort',
        { sessionKey: request.sessionKey, ...(request.runId === undefined ? {} : { runId: request.runId }) },
        { timeoutMs: this.options.abortTimeoutMs ?? 5_000 },
      )
    } catch (error) {
      for (const run of targets) run.endLocally()
      throw error
    }
    const record: Record<string, unknown> = isRecord(result) ? result : {}
    const runIds = Array.isArray(record.runIds) ? record.runIds.filter((r): r is string => typeof r === 'string') : []
    const response: StopResponse = { ok: record.ok !== false, aborted: record.aborted === true, runIds }
    for (const run of targets) if (runIds.includes(run.runId)) run.abortAccepted()
    return response
  }

  /** Ends every open run with an error (the service is shutting down). */
  close(message = 'The server is shutting down'): void {
    for (const run of [...this.active]) run.fail(message)
  }

  /** @internal */
  forget(run: ActiveRun): void {
    this.active.delete(run)
  }
}

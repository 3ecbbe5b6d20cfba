import {
  ChatError,
  isTerminalEvent,
  normalizeSessionKey,
  type Attachment,
  type ChatEvent,
  type ChatTransport,
  type FrameResult,
  type HistoryTurn,
} from '../protocol'
import type { ChatAction } from './actions'
import { prepareAttachments } from './attachments'
import { createCoalescer, type Coalescer, type Schedule } from './coalescer'
import { DEFAULT_HISTORY_TURNS, historyTurns } from './history'
import { createChatStore, type ChatStore } from './store'
import type { ChatMessage, FinishReason, MessagePart, MessageUsage, PendingMessage } from './types'

export const DEFAULT_STALL_TIMEOUT_MS = 45_000
export const DEFAULT_STOP_GRACE_MS = 2_000
/** A stop that found nothing running right after a send is tried once more after this long. */
const STOP_RETRY_DELAY_MS = 300

export interface UnknownEventInfo {
  type: string
  value: unknown
}

export interface ProtocolDiagnostic {
  message: string
  value: unknown
}

export interface FinishInfo {
  /** The finished assistant message; undefined when a failed turn produced nothing. */
  message: ChatMessage | undefined
  finish: FinishReason
  error?: ChatError
}

export interface UsageRefreshRequest {
  agentId: string
  sessionKey: string
  message: ChatMessage
}

export interface ChatCallbacks {
  /** Every decoded event, in stream order, as it arrives. */
  onEvent?: (event: ChatEvent) => void
  /** Frames of a type this client does not know (ignored otherwise). */
  onUnknownEvent?: (info: UnknownEventInfo) => void
  /** Frames dropped because they did not parse or had wrong field types. */
  onDiagnostic?: (diagnostic: ProtocolDiagnostic) => void
  onFinish?: (info: FinishInfo) => void
  onError?: (error: ChatError) => void
}

export interface ChatControllerOptions extends ChatCallbacks {
  agentId: string
  transport: ChatTransport
  sessionKey?: string
  stallTimeoutMs?: number
  stopGraceMs?: number
  /** How many prior turns to send as `history` (default 20). */
  historyTurns?: number
  store?: ChatStore
  generateId?: () => string
  now?: () => number
  schedule?: Schedule
  /** Fills in usage the stream did not carry (e.g. from the newest history page). */
  refreshUsage?: (request: UsageRefreshRequest) => Promise<MessageUsage | undefined>
}

export interface SendInput {
  text: string
  attachments?: ReadonlyArray<Blob | Attachment>
}

interface Run {
  assistantId: string
  abort: AbortController
  coalescer: Coalescer<ChatEvent>
  lastActivity: number
  responded: boolean
  stopRequested: boolean
  ended: boolean
  stallTimer?: ReturnType<typeof setTimeout>
  graceTimer?: ReturnType<typeof setTimeout>
  done: Promise<void>
  resolveDone: () => void
}

let counter = 0
export function defaultGenerateId(): string {
  const c = globalThis.crypto
  if (c !== undefined && typeof c.randomUUID === 'function') return c.randomUUID()
  counter += 1
  return `${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 10)}`
}

/** A 413 says what was too large: the request (message and attachments) for the server's or a proxy's body limit. */
function tooLarge(error: ChatError): ChatError {
  const detail = error.message.startsWith('The server answered') ? 'HTTP 413' : error.message
  return new ChatError({
    kind: 'http',
    status: 413,
    message: `The message and its attachments are too large for the server (${detail})`,
    ...(error.code === undefined ? {} : { code: error.code }),
    cause: error,
  })
}

/** `45 s`, `1.5 s`, `800 ms`: never `0 s` for a sub-second timeout. */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  const seconds = ms / 1000
  return `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(1))} s`
}

function toChatError(error: unknown, fallback: 'network' | 'protocol'): ChatError {
  if (error instanceof ChatError) return error.kind === 'http' && error.status === 413 ? tooLarge(error) : error
  const message = error instanceof Error ? error.message : String(error)
  return new ChatError({ kind: fallback, message: message || 'The connection failed', cause: error })
}

/**
 * The framework-free chat engine: sends turns through a transport, feeds their events into a store (coalesced,
 * one update per frame), and owns the stop, stall and queue logic. `useOpenClawChat` is a thin layer over it.
 */
export class ChatController {
  readonly store: ChatStore
  private options: ChatControllerOptions
  private run: Run | undefined
  private disposed = false
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()

  constructor(options: ChatControllerOptions) {
    this.options = options
    this.store =
      options.store ??
      createChatStore({
        ...(options.sessionKey === undefined ? {} : { sessionKey: normalizeSessionKey(options.sessionKey) }),
        ...(options.now === undefined ? {} : { now: options.now }),
      })
    if (options.store !== undefined && options.sessionKey !== undefined) {
      this.dispatch({ type: 'session/key', sessionKey: normalizeSessionKey(options.sessionKey) })
    }
  }

  /** Replaces callbacks and settings; takes effect from the next event (a running turn keeps its transport). */
  setOptions(options: ChatControllerOptions): void {
    this.options = options
  }

  private get now(): number {
    return (this.options.now ?? Date.now)()
  }

  private dispatch(action: ChatAction | readonly ChatAction[]): void {
    if (!this.disposed) this.store.dispatch(action)
  }

  get busy(): boolean {
    return this.run !== undefined
  }

  /** Sends a message; while a turn is running it is queued and sent when the turn ends. */
  async send(input: string | SendInput): Promise<void> {
    const text = typeof input === 'string' ? input : input.text
    const attachments = typeof input === 'string' || input.attachments === undefined ? [] : await prepareAttachments(input.attachments)
    if (text.trim() === '' && attachments.length === 0) return
    const id = this.generateId()
    if (this.run !== undefined) {
      this.dispatch({ type: 'queue/add', item: { id, text, attachments, createdAt: this.now } })
      return
    }
    const parts: MessagePart[] = attachments.map((attachment) => ({ type: 'attachment', attachment }))
    if (text !== '') parts.push({ type: 'text', text })
    await this.startTurn(text, attachments, { id, role: 'user', parts, createdAt: this.now })
  }

  /** Resends the last user message (after an error, an interruption, or to regenerate the last answer). */
  async retry(): Promise<void> {
    if (this.run !== undefined) return
    const { messages } = this.store.getState()
    let userIndex = -1
    for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role === 'user') { userIndex = i; break }
    const user = messages[userIndex]
    if (user === undefined) return
    const after = messages[userIndex + 1]
    const text = user.parts.filter((p) => p.type === 'text').map((p) => (p.type === 'text' ? p.text : '')).join('')
    const attachments = user.parts.flatMap((p) => (p.type === 'attachment' ? [p.attachment] : []))
    const dropMessageId = after?.role === 'assistant' && userIndex + 1 === messages.length - 1 ? after.id : undefined
    // The history is what came before the resent message: not the message itself, nor the answer it replaces.
    await this.startTurn(text, attachments, undefined, dropMessageId, messages.slice(0, userIndex))
  }

  /** Stops the running turn: asks the server, and closes locally if it does not confirm within `stopGraceMs`. */
  stop(): Promise<void> {
    const run = this.run
    if (run === undefined || run.ended) return Promise.resolve()
    if (run.stopRequested) return run.done
    run.stopRequested = true
    this.dispatch({ type: 'turn/stop-requested' })
    const { sessionKey, runId } = this.store.getState()
    if (!run.responded) {
      // Nothing streamed yet: close at once, and still tell the server (the run may have started there).
      this.endRun(run, 'aborted')
      this.postStop(sessionKey, runId, true)
      return run.done
    }
    run.graceTimer = this.setTimer(() => this.endRun(run, 'aborted'), this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS)
    this.postStop(sessionKey, runId, runId === undefined)
    return run.done
  }

  /** Forgets the conversation (a running turn is stopped) and starts a new session on the next send. */
  reset(sessionKey?: string): void {
    const run = this.run
    const state = this.store.getState()
    // Reset first: the queue is emptied, so ending the run below starts nothing new.
    this.dispatch({ type: 'reset', ...(sessionKey === undefined ? {} : { sessionKey: normalizeSessionKey(sessionKey) }) })
    if (run !== undefined) {
      this.endRun(run, 'aborted')
      this.postStop(state.sessionKey, state.runId, false)
    }
  }

  removeQueued(id: string): void {
    this.dispatch({ type: 'queue/remove', id })
  }

  updateQueued(id: string, text: string): void {
    this.dispatch({ type: 'queue/update', id, text })
  }

  clearError(): void {
    this.dispatch({ type: 'error/clear' })
  }

  /** Places history messages before the conversation's own (duplicates by id are skipped). */
  loadHistory(messages: ChatMessage[]): void {
    this.dispatch({ type: 'history/loaded', messages })
  }

  /**
   * Merges the newest history page again (after a refetch or while resuming a run that goes on on the server):
   * messages newer than the newest one held are appended; nothing happens once the conversation has turns of its own.
   */
  syncHistory(messages: ChatMessage[]): void {
    this.dispatch({ type: 'history/synced', messages })
  }

  /** Re-enables a controller after `dispose` (React StrictMode mounts twice). */
  activate(): void {
    this.disposed = false
  }

  /** Unmount: the running turn is stopped on the server, its fetch aborted, timers cleared; no state update follows. */
  dispose(): void {
    const run = this.run
    if (run !== undefined) {
      const { sessionKey, runId } = this.store.getState()
      this.postStop(sessionKey, runId, false)
      this.disposed = true
      this.endRun(run, 'aborted')
    }
    this.disposed = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }

  private generateId(): string {
    return (this.options.generateId ?? defaultGenerateId)()
  }

  private setTimer(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      callback()
    }, ms)
    this.timers.add(timer)
    return timer
  }

  private clearTimer(timer: ReturnType<typeof setTimeout> | undefined): void {
    if (timer === undefined) return
    clearTimeout(timer)
    this.timers.delete(timer)
  }

  private postStop(sessionKey: string | undefined, runId: string | undefined, retryIfNothing: boolean): void {
    if (sessionKey === undefined) return
    const request = { agentId: this.options.agentId, sessionKey, ...(runId === undefined ? {} : { runId }) }
    const transport = this.options.transport
    transport
      .stop(request)
      .then((result) => {
        if (retryIfNothing && !result.aborted && result.runIds.length === 0 && !this.disposed) {
          this.setTimer(() => void transport.stop(request).catch(() => undefined), STOP_RETRY_DELAY_MS)
        }
      })
      .catch(() => undefined) // the grace timer closes the turn either way
  }

  private async startTurn(
    text: string,
    attachments: Attachment[],
    user: ChatMessage | undefined,
    dropMessageId?: string,
    prior: readonly ChatMessage[] = this.store.getState().messages,
  ): Promise<void> {
    let sessionKey = this.store.getState().sessionKey
    if (sessionKey === undefined) {
      sessionKey = this.generateId()
      this.dispatch({ type: 'session/key', sessionKey })
    }
    const history = historyTurns(prior, this.options.historyTurns ?? DEFAULT_HISTORY_TURNS)
    const assistant: ChatMessage = { id: this.generateId(), role: 'assistant', parts: [], createdAt: this.now }
    this.dispatch({
      type: 'turn/start',
      assistant,
      ...(user === undefined ? {} : { user }),
      ...(dropMessageId === undefined ? {} : { dropMessageId }),
    })
    let resolveDone = (): void => undefined
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve
    })
    const run: Run = {
      assistantId: assistant.id,
      abort: new AbortController(),
      coalescer: createCoalescer<ChatEvent>((events) => this.dispatch(events), this.options.schedule),
      lastActivity: this.now,
      responded: false,
      stopRequested: false,
      ended: false,
      done,
      resolveDone,
    }
    this.run = run
    this.armStallTimer(run)
    // Not awaited: a turn is over when the run ends (stop, stall, dispose), even if the transport's stream never
    // settles. `execute` handles every error itself.
    void this.execute(run, { agentId: this.options.agentId, message: text, sessionKey, attachments, history })
    await run.done
  }

  private armStallTimer(run: Run): void {
    const limit = this.options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS
    const check = (): void => {
      if (run.ended) return
      const idle = this.now - run.lastActivity
      if (idle >= limit) {
        const { sessionKey, runId } = this.store.getState()
        this.endRun(run, 'interrupted', new ChatError({ kind: 'stalled', message: `No data from the server for ${formatDuration(limit)}; the stream was closed` }))
        this.postStop(sessionKey, runId, false)
        return
      }
      run.stallTimer = this.setTimer(check, limit - idle)
    }
    run.stallTimer = this.setTimer(check, limit)
  }

  private async execute(
    run: Run,
    request: { agentId: string; message: string; sessionKey: string; attachments: Attachment[]; history: HistoryTurn[] },
  ): Promise<void> {
    const onActivity = (): void => {
      run.lastActivity = this.now
    }
    let terminal = false
    let sawEnd = false
    try {
      const response = await this.options.transport.chat({ ...request, signal: run.abort.signal, onActivity })
      if (run.ended) {
        // Stopped while the headers were on their way. The client's stream cancels its body on the aborted signal (even
        // when its fetch ignored it); ending the iterator is for other transports.
        void response.frames[Symbol.asyncIterator]().return?.()
        return
      }
      run.responded = true
      onActivity()
      if (response.sessionKey !== undefined && response.sessionKey !== '') {
        this.dispatch({ type: 'session/key', sessionKey: normalizeSessionKey(response.sessionKey) })
      }
      outer: for await (const batch of response.frames) {
        if (run.ended) break
        for (const frame of batch) {
          if (this.handleFrame(run, frame)) {
            if ('end' in frame) sawEnd = true
            else terminal = true
            break outer
          }
        }
      }
      if (run.ended) return
      if (terminal) {
        run.coalescer.flush()
        this.endRun(run, undefined)
      } else if (run.stopRequested) {
        this.endRun(run, 'aborted')
      } else if (sawEnd) {
        // `[DONE]` without a terminal event: the run is complete as far as the server is concerned.
        run.coalescer.push({ type: 'done' })
        this.endRun(run, undefined)
      } else {
        this.endRun(run, 'interrupted', new ChatError({ kind: 'network', message: 'The connection closed before the answer finished' }))
      }
    } catch (error) {
      if (run.ended) return
      if (run.stopRequested) this.endRun(run, 'aborted')
      else if (run.responded) this.endRun(run, 'interrupted', toChatError(error, 'network'))
      else this.endRun(run, 'error', toChatError(error, 'network'))
    }
  }

  /** Handles one frame; returns true when the stream is over (terminal event or `[DONE]`). */
  private handleFrame(run: Run, frame: FrameResult): boolean {
    if (frame.ok) {
      if ('end' in frame) return true
      const event = frame.event
      this.options.onEvent?.(event)
      run.coalescer.push(event)
      return isTerminalEvent(event)
    }
    if (frame.reason === 'unknown-type') this.options.onUnknownEvent?.({ type: frame.type, value: frame.value })
    else this.options.onDiagnostic?.({ message: frame.message, value: frame.value })
    return false
  }

  /** Ends a run exactly once: flushes pending events, settles the message (unless an event already did), cleans up. */
  private endRun(run: Run, finish: Exclude<FinishReason, 'done'> | undefined, error?: ChatError): void {
    if (run.ended) return
    run.ended = true
    this.clearTimer(run.stallTimer)
    this.clearTimer(run.graceTimer)
    run.coalescer.flush()
    if (finish !== undefined && this.store.getState().live?.id === run.assistantId) {
      this.dispatch(error === undefined ? { type: 'turn/finish', finish } : { type: 'turn/finish', finish, error })
    }
    run.abort.abort()
    if (this.run === run) this.run = undefined
    run.resolveDone()
    if (!this.disposed) this.afterRun(run)
  }

  private afterRun(run: Run): void {
    const state = this.store.getState()
    const message = state.messages.findLast((m) => m.id === run.assistantId)
    const finish: FinishReason = message?.finish ?? (state.error === undefined ? 'aborted' : 'error')
    const info: FinishInfo = state.error === undefined ? { message, finish } : { message, finish, error: state.error }
    this.options.onFinish?.(info)
    if (state.error !== undefined) this.options.onError?.(state.error)
    if (message !== undefined && (finish === 'done' || finish === 'aborted')) this.fillUsage(message)
    const next: PendingMessage | undefined = state.status === 'ready' ? state.queue[0] : undefined
    if (next !== undefined) {
      this.dispatch({ type: 'queue/remove', id: next.id })
      const parts: MessagePart[] = next.attachments.map((attachment) => ({ type: 'attachment', attachment }))
      if (next.text !== '') parts.push({ type: 'text', text: next.text })
      void this.startTurn(next.text, next.attachments, { id: next.id, role: 'user', parts, createdAt: this.now })
    }
  }

  private fillUsage(message: ChatMessage): void {
    const refresh = this.options.refreshUsage
    const sessionKey = this.store.getState().sessionKey
    if (refresh === undefined || sessionKey === undefined) return
    const usage = message.usage
    if (usage?.tokensIn !== undefined && usage.tokensOut !== undefined && usage.costUsd !== undefined) return
    refresh({ agentId: this.options.agentId, sessionKey, message })
      .then((filled) => {
        if (filled !== undefined) this.dispatch({ type: 'usage/filled', messageId: message.id, usage: filled })
      })
      .catch(() => undefined)
  }
}

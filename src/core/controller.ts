import {
  ChatError,
  isTerminalEvent,
  normalizeSessionKey,
  type Attachment,
  type ChatEvent,
  type ChatTransport,
} from '../protocol'
import type { ChatAction } from './actions'
import { prepareAttachments } from './attachments'
import { createCoalescer, type Schedule } from './coalescer'
import { historyTurns } from './history'
import { messageText, USAGE_KEYS } from './reducer'
import { createChatStore, type ChatStore } from './store'
import type { ChatMessage, ChatState, FinishReason, MessagePart, MessageUsage } from './types'

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

type Timer = ReturnType<typeof setTimeout>

/** The running turn; its state lives in the closures `startTurn` makes. */
interface Run {
  /** Settles when the run has ended. */
  done: Promise<void>
  /** Asks the server to stop: closes at once when nothing streamed yet, else when confirmed or after the grace period. */
  stop(): Promise<void>
  /** Ends the run here (once): flushes its events, settles its message (unless an event did), aborts its request. */
  end(finish?: Exclude<FinishReason, 'done'>, error?: ChatError): void
}

const ignore = (): void => undefined

/** Runs an app's callback: a throw is reported on the console, never left to break the engine (the queue still drains). */
function safely(callback: () => unknown): void {
  try {
    callback()
  } catch (error) {
    console.error('openclaw-chat: a callback threw', error)
  }
}

let counter = 0
export function defaultGenerateId(): string {
  const c = globalThis.crypto
  if (typeof c?.randomUUID === 'function') return c.randomUUID()
  return `${Date.now().toString(36)}-${(++counter).toString(36)}-${Math.random().toString(36).slice(2, 10)}`
}

/** `45 s`, `1.5 s`, `800 ms`: never `0 s` for a sub-second timeout. */
function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`
}

/** A failure as a `ChatError`: a `network` one unless it is one already. */
function toChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new ChatError({ kind: 'network', message: message || 'The connection failed', cause: error })
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
  /** The live message of a run `dispose` ended (no state update could record it then). */
  private orphanId: string | undefined
  /** Pending stop retries (a run's own timers end with it). */
  private readonly timers = new Set<Timer>()

  constructor(options: ChatControllerOptions) {
    this.options = options
    const sessionKey = options.sessionKey === undefined ? undefined : normalizeSessionKey(options.sessionKey)
    this.store = options.store ?? createChatStore({ sessionKey, now: options.now })
    if (options.store && sessionKey !== undefined) this.dispatch({ type: 'session/key', sessionKey })
  }

  /** Replaces callbacks and settings; takes effect from the next event (a running turn keeps its transport). */
  setOptions(options: ChatControllerOptions): void {
    this.options = options
  }

  private get now(): number {
    return (this.options.now ?? Date.now)()
  }

  private get state(): ChatState {
    return this.store.getState()
  }

  private generateId(): string {
    return (this.options.generateId ?? defaultGenerateId)()
  }

  private dispatch(action: ChatAction | readonly ChatAction[]): void {
    if (!this.disposed) this.store.dispatch(action)
  }

  get busy(): boolean {
    return this.run !== undefined
  }

  /** Sends a message; while a turn is running it is queued and sent when the turn ends. */
  async send(input: string | SendInput): Promise<void> {
    const { text, attachments: files } = typeof input === 'string' ? { text: input } : input
    const attachments = files === undefined ? [] : await prepareAttachments(files)
    if (text.trim() === '' && attachments.length === 0) return
    const id = this.generateId()
    if (!this.run) await this.startTurn(text, attachments, id)
    else this.dispatch({ type: 'queue/add', item: { id, text, attachments, createdAt: this.now } })
  }

  /** Resends the last user message (after an error, an interruption, or to regenerate the last answer). */
  async retry(): Promise<void> {
    if (this.run) return
    const { messages } = this.state
    const userIndex = messages.findLastIndex((m) => m.role === 'user')
    const user = messages[userIndex]
    if (!user) return
    const attachments = user.parts.flatMap((p) => (p.type === 'attachment' ? [p.attachment] : []))
    // The answer it replaces (the one message after it) goes; the history is what came before the resent message.
    const dropMessageId = userIndex === messages.length - 2 ? messages[userIndex + 1]?.id : undefined
    await this.startTurn(messageText(user), attachments, undefined, dropMessageId, messages.slice(0, userIndex))
  }

  /** Stops the running turn: asks the server, and closes locally if it does not confirm within `stopGraceMs`. */
  stop(): Promise<void> {
    return this.run?.stop() ?? Promise.resolve()
  }

  /** Forgets the conversation (a running turn is stopped) and starts a new session on the next send. */
  reset(sessionKey?: string): void {
    const run = this.run
    const state = this.state
    // Reset first: the queue is emptied, so ending the run below starts nothing new.
    this.dispatch(sessionKey === undefined ? { type: 'reset' } : { type: 'reset', sessionKey: normalizeSessionKey(sessionKey) })
    if (run) {
      run.end('aborted')
      this.postStop(state)
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
    // A turn `dispose` cut off (and stopped on the server) stays in the store as live: it ends now, as interrupted.
    if (this.orphanId !== undefined && this.state.live?.id === this.orphanId && !this.run) this.dispatch({ type: 'turn/finish', finish: 'interrupted' })
    this.orphanId = undefined
  }

  /** Unmount: the running turn is stopped on the server, its fetch aborted, timers cleared; no state update follows. */
  dispose(): void {
    const run = this.run
    this.disposed = true
    if (run) {
      this.orphanId = this.state.live?.id
      this.postStop(this.state)
      run.end('aborted')
    }
    this.timers.forEach(clearTimeout)
    this.timers.clear()
  }

  /** Asks the server to stop the run of `state` (the state as it was before the run ended here). */
  private postStop({ sessionKey, runId }: ChatState, retryIfNothing = false): void {
    if (sessionKey === undefined) return
    const request = { agentId: this.options.agentId, sessionKey, ...(runId === undefined ? {} : { runId }) }
    const transport = this.options.transport
    transport
      .stop(request)
      .then((result) => {
        if (retryIfNothing && !result.aborted && result.runIds.length === 0 && !this.disposed) {
          const timer = setTimeout(() => {
            this.timers.delete(timer)
            void transport.stop(request).catch(ignore)
          }, STOP_RETRY_DELAY_MS)
          this.timers.add(timer)
        }
      })
      .catch(ignore) // the grace timer closes the turn either way
  }

  /**
   * Starts a turn and settles when it ends: `userId` adds the user message (a retry has none), `dropMessageId`
   * removes the answer it replaces, `prior` are the messages sent as history.
   */
  private async startTurn(
    text: string,
    attachments: Attachment[],
    userId?: string,
    dropMessageId?: string,
    prior: readonly ChatMessage[] = this.state.messages,
  ): Promise<void> {
    let user: ChatMessage | undefined
    if (userId !== undefined) {
      const parts: MessagePart[] = attachments.map((attachment) => ({ type: 'attachment', attachment }))
      if (text !== '') parts.push({ type: 'text', text })
      user = { id: userId, role: 'user', parts, createdAt: this.now }
    }
    let sessionKey = this.state.sessionKey
    if (sessionKey === undefined) {
      sessionKey = this.generateId()
      this.dispatch({ type: 'session/key', sessionKey })
    }
    const history = historyTurns(prior, this.options.historyTurns)
    const assistant: ChatMessage = { id: this.generateId(), role: 'assistant', parts: [], createdAt: this.now }
    this.dispatch({
      type: 'turn/start',
      assistant,
      ...(user === undefined ? {} : { user }),
      ...(dropMessageId === undefined ? {} : { dropMessageId }),
    })

    const abort = new AbortController()
    const coalescer = createCoalescer<ChatEvent>((events) => this.dispatch(events), this.options.schedule)
    const stallLimit = this.options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS
    let lastActivity = this.now
    /** The transport answered: the stream is open. */
    let responded = false
    let stopRequested = false
    let ended = false
    let stallTimer: Timer | undefined
    let graceTimer: Timer | undefined
    let resolveDone = ignore
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve
    })

    const end: Run['end'] = (finish, error) => {
      if (ended) return
      ended = true
      clearTimeout(stallTimer)
      clearTimeout(graceTimer)
      coalescer.flush()
      if (finish && this.state.live?.id === assistant.id) this.dispatch(error ? { type: 'turn/finish', finish, error } : { type: 'turn/finish', finish })
      abort.abort()
      if (this.run === run) this.run = undefined
      resolveDone()
      if (!this.disposed) this.afterRun(assistant.id)
    }

    const run: Run = {
      done,
      end,
      stop: () => {
        // Ended (a store listener may call stop while `end` flushes): nothing to stop.
        if (!stopRequested && !ended) {
          stopRequested = true
          this.dispatch({ type: 'turn/stop-requested' })
          const state = this.state
          if (responded) graceTimer = setTimeout(() => end('aborted'), this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS)
          // Nothing streamed yet: close at once, and still tell the server (the run may have started there).
          else end('aborted')
          // Without a run id the run may not have started on the server yet: a stop that finds nothing is tried again.
          this.postStop(state, !responded || state.runId === undefined)
        }
        return done
      },
    }
    this.run = run

    // No byte for `stallLimit` ms: the run ends here and is stopped on the server.
    const checkStall = (): void => {
      const idle = this.now - lastActivity
      if (idle < stallLimit) {
        stallTimer = setTimeout(checkStall, stallLimit - idle)
        return
      }
      const state = this.state
      end('interrupted', new ChatError({ kind: 'stalled', message: `No data from the server for ${formatDuration(stallLimit)}; the stream was closed` }))
      this.postStop(state)
    }
    stallTimer = setTimeout(checkStall, stallLimit)

    // Not awaited: a turn is over when the run ends (stop, stall, dispose), even if the transport's stream never
    // settles. Every error is handled here.
    void (async () => {
      const onActivity = (): void => {
        lastActivity = this.now
      }
      let terminal = false
      let sawEnd = false
      let failure: ChatError | undefined
      try {
        const request = { agentId: this.options.agentId, message: text, sessionKey, attachments, history, signal: abort.signal, onActivity }
        const response = await this.options.transport.chat(request)
        if (ended) {
          // Stopped while the headers were on their way. The client's stream cancels its body on the aborted signal
          // (even when its fetch ignored it); ending the iterator is for other transports.
          void response.frames[Symbol.asyncIterator]().return?.()
          return
        }
        responded = true
        onActivity()
        if (response.sessionKey) this.dispatch({ type: 'session/key', sessionKey: normalizeSessionKey(response.sessionKey) })
        read: for await (const batch of response.frames) {
          if (ended) break
          for (const frame of batch) {
            if (!frame.ok) {
              if (frame.reason === 'unknown-type') this.options.onUnknownEvent?.({ type: frame.type, value: frame.value })
              else this.options.onDiagnostic?.({ message: frame.message, value: frame.value })
            } else if ('end' in frame) {
              sawEnd = true
              break read
            } else {
              this.options.onEvent?.(frame.event)
              coalescer.push(frame.event)
              terminal = isTerminalEvent(frame.event)
              if (terminal) break read
            }
          }
        }
      } catch (error) {
        failure = toChatError(error)
      }
      if (ended) return
      // A terminal event settles the message itself (the flush in `end` applies it).
      if (terminal) end()
      else if (stopRequested) end('aborted')
      else if (failure) end(responded ? 'interrupted' : 'error', failure)
      else if (sawEnd) {
        // `[DONE]` without a terminal event: the run is complete as far as the server is concerned.
        coalescer.push({ type: 'done' })
        end()
      } else end('interrupted', new ChatError({ kind: 'network', message: 'The connection closed before the answer finished' }))
    })()
    await done
  }

  /** Reports the finished turn, fills in its usage, and sends the next queued message. */
  private afterRun(assistantId: string): void {
    const { error, messages } = this.state
    const message = messages.findLast((m) => m.id === assistantId)
    const finish = message?.finish ?? (error ? 'error' : 'aborted')
    safely(() => this.options.onFinish?.(error ? { message, finish, error } : { message, finish }))
    if (error) safely(() => this.options.onError?.(error))
    const refresh = this.options.refreshUsage
    const sessionKey = this.state.sessionKey
    const usage = message?.usage
    if (
      refresh &&
      sessionKey !== undefined &&
      message &&
      (finish === 'done' || finish === 'aborted') &&
      USAGE_KEYS.some((key) => usage?.[key] === undefined)
    ) {
      safely(() =>
        refresh({ agentId: this.options.agentId, sessionKey, message })
          .then((filled) => {
            if (filled) this.dispatch({ type: 'usage/filled', messageId: message.id, usage: filled })
          })
          .catch(ignore),
      )
    }
    // Read after the callbacks: one may have sent a message (its turn runs now, the queue waits for it), reset the
    // conversation (the queue is gone) or cleared the error.
    const { status, queue } = this.state
    const next = status === 'ready' && !this.run ? queue[0] : undefined
    if (next) {
      this.dispatch({ type: 'queue/remove', id: next.id })
      void this.startTurn(next.text, next.attachments, next.id)
    }
  }
}

import type { ChatEvent, ServerErrorKind, ToolEndEvent, ToolStartEvent } from '../protocol'
import { isRecord, messageText, type GatewayAgentPayload, type GatewayChatPayload, type GatewayEventFrame } from './frames'
import { toolLabel, toolOutput, toolSubject } from './tool-info'

interface ToolState {
  id: string
  name: string | undefined
  label: string | undefined
  startedAt: number | undefined
  started: boolean
  argsSent: boolean
  ended: boolean
}

export interface RunMapperOptions {
  runId: string
  /** Clock for durations when the gateway's frames carry no timestamp. */
  now?: () => number
}

/**
 * Maps the `chat` and `agent` events of ONE gateway run onto `/claw` chat events (PROTOCOL.md). Stateful and
 * pure otherwise: feed it every event of the run in order; it returns the events to send for each.
 *
 * - Text comes from chat `delta`s: `deltaText` increments, checked against the whole text in `message` (when they
 *   disagree, deltas were dropped or coalesced, and the difference to the whole text is sent instead).
 * - `replace: true` means the gateway rewrote the text: `deltaText` is then the whole new text. The `/claw`
 *   stream is append-only, so when the new text extends what was sent, only the extension is sent; when it does
 *   not (earlier text changed), nothing is sent until the gateway's text extends the sent text again, and the
 *   final `done.text` carries the gateway's final answer (history has the true text too). Never a duplicate, never
 *   garbage.
 * - Reasoning from agent `thinking`; tool cards from agent `item` (kind `tool`: the label is its `title`) and
 *   `tool` (arguments → `subject`; `result` → `output`, `isError`; `durationMs` from start to result).
 * - Terminals: chat `final` → `lifecycle end` + `done {text}`; chat `aborted` → `lifecycle aborted`; chat `error`
 *   → `error {message, errorKind}`. Exactly one terminal; nothing after it.
 * `usage` is not live on the gateway: the run driver reads it from `chat.history` and sends it before `done`.
 */
export class RunMapper {
  readonly runId: string
  private readonly now: () => number
  private started = false
  private finishedValue = false
  /** Text the client has been sent. */
  private sent = ''
  /** The gateway's current whole answer text, as far as known. */
  private target = ''
  private thinking = ''
  private readonly tools = new Map<string, ToolState>()
  private ended: { kind: 'end'; text: string | undefined } | { kind: 'error'; message: string | undefined } | undefined

  constructor(options: RunMapperOptions) {
    this.runId = options.runId
    this.now = options.now ?? Date.now
  }

  get finished(): boolean {
    return this.finishedValue
  }

  /** The answer text sent so far. */
  get text(): string {
    return this.sent
  }

  /** Set when the agent lifecycle ended (`end` or `error`) but no chat terminal came yet. */
  get lifecycleEnded(): 'end' | 'error' | undefined {
    return this.ended?.kind
  }

  /** `lifecycle start` with the runId, once. */
  start(): ChatEvent[] {
    if (this.started || this.finishedValue) return []
    this.started = true
    return [{ type: 'lifecycle', phase: 'start', runId: this.runId }]
  }

  /** Maps one event frame of this run. */
  push(frame: GatewayEventFrame): ChatEvent[] {
    if (this.finishedValue || !isRecord(frame.payload) || frame.payload.runId !== this.runId) return []
    const out = this.start()
    if (frame.event === 'chat') this.chat(frame.payload as unknown as GatewayChatPayload, out)
    else if (frame.event === 'agent') this.agent(frame.payload as unknown as GatewayAgentPayload, out)
    return out
  }

  /** Closes a run whose agent lifecycle ended without a chat terminal (call after a grace period). */
  settle(): ChatEvent[] {
    const ended = this.ended
    if (this.finishedValue || ended === undefined) return []
    if (ended.kind === 'error') return this.fail(ended.message ?? 'The run failed')
    return this.complete(ended.text)
  }

  /** Ends the run as completed with this final text (e.g. recovered from history). */
  complete(finalText: string | undefined): ChatEvent[] {
    if (this.finishedValue) return []
    const out = this.start()
    const text = finalText ?? this.target
    this.advance(text, out)
    this.finishedValue = true
    out.push({ type: 'lifecycle', phase: 'end', runId: this.runId }, { type: 'done', text })
    return out
  }

  /** Ends the run locally as aborted. */
  abort(): ChatEvent[] {
    if (this.finishedValue) return []
    this.finishedValue = true
    return [{ type: 'lifecycle', phase: 'aborted', runId: this.runId }]
  }

  /** Ends the run with an error. */
  fail(message: string, errorKind: ServerErrorKind = 'unknown'): ChatEvent[] {
    if (this.finishedValue) return []
    this.finishedValue = true
    return [{ type: 'error', message, errorKind }]
  }

  private advance(whole: string, out: ChatEvent[]): void {
    this.target = whole
    if (whole.length > this.sent.length && whole.startsWith(this.sent)) {
      out.push({ type: 'text-delta', text: whole.slice(this.sent.length) })
      this.sent = whole
    }
  }

  private chat(p: GatewayChatPayload, out: ChatEvent[]): void {
    const whole = messageText(p.message)
    switch (p.state) {
      case 'delta': {
        if (p.replace === true) {
          this.advance(typeof p.deltaText === 'string' ? p.deltaText : whole ?? this.target, out)
        } else if (typeof p.deltaText === 'string') {
          const next = this.target + p.deltaText
          this.advance(whole !== undefined && whole !== next ? whole : next, out)
        } else if (whole !== undefined) {
          this.advance(whole, out)
        }
        return
      }
      case 'final':
        out.push(...this.complete(whole))
        return
      case 'aborted':
        if (whole !== undefined) this.advance(whole, out)
        out.push(...this.abort())
        return
      case 'error':
        if (whole !== undefined) this.advance(whole, out)
        out.push(...this.fail(typeof p.errorMessage === 'string' && p.errorMessage !== '' ? p.errorMessage : 'The run failed', errorKindOf(p.errorKind)))
        return
      default:
        return
    }
  }

  private agent(p: GatewayAgentPayload, out: ChatEvent[]): void {
    const data = isRecord(p.data) ? p.data : {}
    const ts = typeof p.ts === 'number' ? p.ts : this.now()
    switch (p.stream) {
      case 'lifecycle':
        if (data.phase === 'end') {
          const reply = isRecord(data.terminalReply) ? data.terminalReply : undefined
          this.ended = { kind: 'end', text: typeof reply?.text === 'string' ? reply.text : undefined }
        } else if (data.phase === 'error' && data.aborted !== true) {
          this.ended = { kind: 'error', message: typeof data.error === 'string' ? data.error : undefined }
        }
        return
      case 'thinking':
        this.reasoning(data, out)
        return
      case 'item':
        if (data.kind === 'tool') this.item(data, ts, out)
        return
      case 'tool':
        this.tool(data, ts, out)
        return
      default:
        return
    }
  }

  private reasoning(data: Record<string, unknown>, out: ChatEvent[]): void {
    const text = typeof data.text === 'string' ? data.text : undefined
    let delta = typeof data.delta === 'string' ? data.delta : undefined
    if (delta === undefined && text !== undefined) delta = text.startsWith(this.thinking) ? text.slice(this.thinking.length) : text
    this.thinking = text ?? this.thinking + (delta ?? '')
    if (delta !== undefined && delta !== '') out.push({ type: 'reasoning-delta', text: delta })
  }

  private toolState(data: Record<string, unknown>): ToolState | undefined {
    let id = typeof data.toolCallId === 'string' && data.toolCallId !== '' ? data.toolCallId : undefined
    if (id === undefined && typeof data.itemId === 'string' && data.itemId.startsWith('tool:')) id = data.itemId.slice(5)
    if (id === undefined) return undefined
    let state = this.tools.get(id)
    if (state === undefined) {
      state = { id, name: undefined, label: undefined, startedAt: undefined, started: false, argsSent: false, ended: false }
      this.tools.set(id, state)
    }
    if (state.name === undefined && typeof data.name === 'string' && data.name !== '') state.name = data.name
    return state
  }

  private toolStart(state: ToolState, args: unknown, out: ChatEvent[]): void {
    const name = state.name ?? 'tool'
    const event: ToolStartEvent = { type: 'tool-start', toolCallId: state.id, toolName: name, label: state.label ?? toolLabel(name) }
    if (args !== undefined) {
      event.arguments = args
      const subject = toolSubject(args)
      if (subject !== undefined) event.subject = subject
    }
    state.started = true
    out.push(event)
  }

  private item(data: Record<string, unknown>, ts: number, out: ChatEvent[]): void {
    const state = this.toolState(data)
    if (state === undefined) return
    if (state.label === undefined && typeof data.title === 'string' && data.title.trim() !== '') state.label = data.title.trim()
    state.startedAt ??= typeof data.startedAt === 'number' ? data.startedAt : ts
    if (!state.started) this.toolStart(state, undefined, out)
    if (data.phase !== 'end' || state.ended) return
    // The item ended without a `tool` result (tool events are off, or the result comes later: it then adds output).
    state.ended = true
    const endedAt = typeof data.endedAt === 'number' ? data.endedAt : ts
    const event: ToolEndEvent = {
      type: 'tool-end',
      toolCallId: state.id,
      isError: data.status === 'failed' || data.status === 'blocked' || typeof data.error === 'string',
      durationMs: Math.max(0, endedAt - state.startedAt),
    }
    if (typeof data.error === 'string') event.output = data.error
    if (state.name !== undefined) event.toolName = state.name
    out.push(event)
  }

  private tool(data: Record<string, unknown>, ts: number, out: ChatEvent[]): void {
    const state = this.toolState(data)
    if (state === undefined) return
    const args = data.args ?? data.arguments ?? data.input
    if (data.phase === 'start') {
      state.startedAt ??= ts
      if (!state.started || (args !== undefined && !state.argsSent)) this.toolStart(state, args, out)
      if (args !== undefined) state.argsSent = true
      return
    }
    if (data.phase !== 'result' && data.phase !== 'end') return
    if (!state.started) this.toolStart(state, args, out)
    const startedAt = state.startedAt ?? ts
    const event: ToolEndEvent = { type: 'tool-end', toolCallId: state.id, isError: data.isError === true, durationMs: Math.max(0, ts - startedAt) }
    const output = toolOutput(data.result ?? data.output)
    if (output !== undefined) event.output = output
    if (state.name !== undefined) event.toolName = state.name
    state.ended = true
    out.push(event)
  }
}

const ERROR_KINDS: Record<string, ServerErrorKind> = {
  refusal: 'refusal',
  timeout: 'timeout',
  rate_limit: 'rate_limit',
  rate_limited: 'rate_limit',
  context_length: 'context_length',
  context_overflow: 'context_length',
  context_length_exceeded: 'context_length',
}

/** The gateway's `errorKind` as a `/claw` one (`unknown` for anything else). */
export function errorKindOf(kind: unknown): ServerErrorKind {
  return typeof kind === 'string' ? ERROR_KINDS[kind] ?? 'unknown' : 'unknown'
}

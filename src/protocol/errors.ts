import type { ServerErrorKind } from './events'

/**
 * What went wrong, by where it went wrong:
 * - `http`: the server answered the POST with a non-2xx status (the run never started);
 * - `network`: no answer at all, or the connection dropped mid-stream;
 * - `protocol`: the answer was not an SSE stream;
 * - `stalled`: the stream stayed open but sent no byte for `stallTimeoutMs`;
 * - `server`: the run itself failed (an `error` event), with the server's `errorKind`.
 */
export type ChatErrorKind = 'http' | 'network' | 'protocol' | 'stalled' | 'server'

export interface ChatErrorInit {
  kind: ChatErrorKind
  message: string
  status?: number
  errorKind?: ServerErrorKind
  code?: string
  cause?: unknown
}

/** The one error type the client, the store and the hook report. */
export class ChatError extends Error {
  declare readonly kind: ChatErrorKind
  /** HTTP status, for `http` (and `protocol`) errors. */
  declare readonly status?: number
  /** The server's classification, for `server` errors. */
  declare readonly errorKind?: ServerErrorKind
  /** A server- or transport-specific code, when one was given. */
  declare readonly code?: string

  constructor(init: ChatErrorInit) {
    // `init` doubles as the ErrorOptions when it has a cause (no own `cause` property otherwise).
    super(init.message, init.cause === undefined ? undefined : init)
    this.kind = init.kind
    this.name = 'ChatError'
    if (init.status !== undefined) this.status = init.status
    if (init.errorKind !== undefined) this.errorKind = init.errorKind
    if (init.code !== undefined) this.code = init.code
  }

  /** Whether resending the same message is a sensible next step. */
  get retryable(): boolean {
    if (this.kind === 'http') return this.status === undefined || this.status >= 500 || this.status === 408 || this.status === 429
    if (this.kind === 'server') return this.errorKind !== 'refusal' && this.errorKind !== 'context_length'
    return true
  }
}

export function isChatError(value: unknown): value is ChatError {
  return value instanceof ChatError
}

import type { GatewayErrorShape } from './frames'

/**
 * Why a gateway call failed:
 * - `unavailable`: no connection (not connected in time, or the link dropped while waiting);
 * - `timeout`: connected, but no answer in time;
 * - `rejected`: the gateway answered `ok: false` (`code` holds its error code, e.g. INVALID_REQUEST);
 * - `closed`: the connection was closed on purpose.
 */
export type GatewayErrorReason = 'unavailable' | 'timeout' | 'rejected' | 'closed'

export class GatewayError extends Error {
  readonly reason: GatewayErrorReason
  /** The gateway's error code for `rejected`. */
  readonly code?: string
  readonly retryable: boolean

  constructor(reason: GatewayErrorReason, message: string, options: { code?: string; retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'GatewayError'
    this.reason = reason
    if (options.code !== undefined) this.code = options.code
    this.retryable = options.retryable ?? reason !== 'rejected'
  }

  static fromShape(method: string, shape: GatewayErrorShape | undefined): GatewayError {
    const code = typeof shape?.code === 'string' ? shape.code : 'UNKNOWN'
    const message = typeof shape?.message === 'string' && shape.message !== '' ? shape.message : `${method} failed (${code})`
    return new GatewayError('rejected', message, { code, retryable: shape?.retryable === true || code === 'UNAVAILABLE' })
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError
}

/** The HTTP status a `/claw` server answers for a failed gateway call. */
export function gatewayErrorStatus(error: unknown): number {
  if (!(error instanceof GatewayError)) return 500
  switch (error.reason) {
    case 'unavailable':
    case 'closed':
      return 503
    case 'timeout':
      return 504
    case 'rejected':
      if (error.code === 'INVALID_REQUEST') return 400
      if (error.code === 'FORBIDDEN' || error.code === 'NOT_PAIRED') return 403
      if (error.code === 'UNAVAILABLE') return 503
      return 502
  }
}

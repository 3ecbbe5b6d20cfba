/**
 * The little of a WebSocket the gateway connection uses, satisfied by the browser's `WebSocket` and by the `ws`
 * package's client class alike (inject the latter on Node 20, which has no global WebSocket).
 */

export interface WebSocketMessageLike {
  /** A string for text frames; binary frames arrive as ArrayBuffer, a typed array or (browser) a Blob. */
  readonly data: unknown
}

export interface WebSocketCloseLike {
  readonly code?: number
  readonly reason?: string
}

export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'open', listener: () => void): void
  addEventListener(type: 'message', listener: (event: WebSocketMessageLike) => void): void
  addEventListener(type: 'close', listener: (event: WebSocketCloseLike) => void): void
  addEventListener(type: 'error', listener: (event: unknown) => void): void
}

export type WebSocketConstructor = new (url: string) => WebSocketLike

/** `WebSocket.OPEN` */
export const WS_OPEN = 1

/** The global WebSocket (browsers, Node ≥ 22), if any. */
export function globalWebSocket(): WebSocketConstructor | undefined {
  const ctor = (globalThis as { WebSocket?: unknown }).WebSocket
  return typeof ctor === 'function' ? (ctor as WebSocketConstructor) : undefined
}

const utf8 = new TextDecoder()

/** The text of a message event's data, or undefined for data that is not text (a Blob). */
export function messageData(data: unknown): string | undefined {
  if (typeof data === 'string') return data
  if (data instanceof ArrayBuffer) return utf8.decode(data)
  if (ArrayBuffer.isView(data)) return utf8.decode(data)
  if (Array.isArray(data) && data.every((chunk) => ArrayBuffer.isView(chunk))) {
    return data.map((chunk) => utf8.decode(chunk as ArrayBufferView, { stream: true })).join('') + utf8.decode()
  }
  return undefined
}

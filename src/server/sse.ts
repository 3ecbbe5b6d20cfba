import type { ServerResponse } from 'node:http'
import type { ChatEvent } from '../protocol'

/** One event as PROTOCOL.md's wire frame `{type, data}` (the canonical fields, nothing internal). */
export function wireFrame(event: ChatEvent): { type: string; data: Record<string, unknown> } {
  switch (event.type) {
    case 'text-delta':
    case 'reasoning-delta':
      return { type: event.type, data: { text: event.text } }
    case 'lifecycle':
      return { type: 'lifecycle', data: event.runId === undefined ? { phase: event.phase } : { phase: event.phase, runId: event.runId } }
    case 'tool-start': {
      const data: Record<string, unknown> = { toolCallId: event.toolCallId, toolName: event.toolName, label: event.label ?? event.toolName }
      if (event.subject !== undefined) data.subject = event.subject
      if (event.arguments !== undefined) data.arguments = event.arguments
      return { type: 'tool-start', data }
    }
    case 'tool-end': {
      const data: Record<string, unknown> = { toolCallId: event.toolCallId, isError: event.isError }
      if (event.output !== undefined) data.output = typeof event.output === 'string' ? event.output : JSON.stringify(event.output)
      if (event.durationMs !== undefined) data.durationMs = event.durationMs
      return { type: 'tool-end', data }
    }
    case 'usage': {
      const data: Record<string, unknown> = {}
      if (event.tokensIn !== undefined) data.tokensIn = event.tokensIn
      if (event.tokensOut !== undefined) data.tokensOut = event.tokensOut
      if (event.costUsd !== undefined) data.costUsd = event.costUsd
      return { type: 'usage', data }
    }
    case 'done':
      return { type: 'done', data: { text: event.text ?? '' } }
    case 'error':
      return { type: 'error', data: { message: event.message, errorKind: event.errorKind } }
  }
}

export function sseData(payload: string): string {
  return `data: ${payload}\n\n`
}

/** An SSE response: one `data:` line per frame, a keep-alive comment every `keepAliveMs`, `[DONE]` at the end. */
export class SseStream {
  private readonly res: ServerResponse
  private readonly keepAlive: ReturnType<typeof setInterval>
  private endedValue = false

  constructor(res: ServerResponse, headers: Record<string, string>, keepAliveMs: number) {
    this.res = res
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...headers,
    })
    res.flushHeaders()
    res.socket?.setNoDelay(true)
    this.keepAlive = setInterval(() => this.write(': keepalive\n\n'), keepAliveMs)
    res.on('close', () => this.stop())
  }

  /** The client is gone, or the stream was ended. */
  get ended(): boolean {
    return this.endedValue || this.res.destroyed || this.res.writableEnded
  }

  /** Writes a batch of events as one chunk. */
  send(events: readonly ChatEvent[]): void {
    if (events.length === 0) return
    this.write(events.map((event) => sseData(JSON.stringify(wireFrame(event)))).join(''))
  }

  /** `[DONE]`, then the response ends. */
  done(): void {
    if (this.ended) return
    this.write(sseData('[DONE]'))
    this.stop()
    this.res.end()
  }

  private write(text: string): void {
    if (this.ended) return
    this.res.write(text)
  }

  private stop(): void {
    this.endedValue = true
    clearInterval(this.keepAlive)
  }
}

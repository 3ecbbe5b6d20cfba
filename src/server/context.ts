import type { GatewayChat, GatewayRunHandle } from '../gateway/chat'
import type { GatewayConnection } from '../gateway/connection'
import type { AgentInfo } from '../protocol'
import type { ClawLogger } from './logger'
import type { OriginPolicy } from './origin-guard'
import type { SseStream } from './sse'

export interface OpenStream {
  sse: SseStream
  run: GatewayRunHandle
  done: Promise<void>
}

/** What the route handlers share. */
export interface ServerContext {
  connection: GatewayConnection
  chat: GatewayChat
  logger: ClawLogger
  policy: OriginPolicy
  maxBodyBytes: number
  keepAliveMs: number
  historyTimeoutMs: number
  /** How long info routes wait for a gateway link that is down. */
  connectWaitMs: number
  streams: Set<OpenStream>
  agents: { list: AgentInfo[]; at: number } | undefined
  closing: boolean
}

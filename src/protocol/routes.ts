/** Request and response shapes of the `/claw` routes (see PROTOCOL.md). */

export type ImageMediaType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif'

export interface ImageAttachment {
  kind: 'image'
  mediaType: ImageMediaType
  /** `data:<mediaType>;base64,…` */
  dataUrl: string
  name?: string
}

export interface FileAttachment {
  kind: 'file'
  /** `text/…` or `application/json` */
  mediaType: string
  name: string
  text: string
}

export type Attachment = ImageAttachment | FileAttachment

export interface HistoryTurn {
  role: 'user' | 'assistant'
  content: string
}

export interface ChatRequestBody {
  message: string
  sessionKey?: string
  attachments?: Attachment[]
  history?: HistoryTurn[]
}

export interface StopRequestBody {
  sessionKey: string
  runId?: string
}

export interface StopResponse {
  ok: boolean
  aborted: boolean
  runIds: string[]
}

export interface AgentInfo {
  agentId: string
  name: string
  workspace?: string
  model?: string
}

export interface AgentsResponse {
  agents: AgentInfo[]
}

export interface AgentSessionResponse {
  agentId: string
  exists: boolean
  sessionKey: string | null
  session: unknown
}

export type SessionSource = 'user-chat' | 'cron' | 'hook' | 'channel' | 'other'

export interface SessionSummary {
  key: string
  updatedAt?: number | string
  sessionId?: string
  agentId?: string
  kind?: string
  source?: SessionSource | string
}

export interface SessionsResponse {
  agentId: string
  sessions: SessionSummary[]
}

export interface HistoryToolCall {
  toolCallId?: string
  toolName: string
  label?: string
  subject?: string
  status: 'completed' | 'failed'
  input?: unknown
  output?: unknown
  error?: string
  durationMs?: number
}

export interface HistoryItem {
  id: string
  role: 'user' | 'assistant'
  text: string
  timestamp?: number | string
  messageSeq?: number
  sessionKey?: string
  source?: string
  costUsd?: number
  tokensIn?: number
  tokensOut?: number
  reasoning?: { text: string; durationMs?: number }
  toolCalls?: HistoryToolCall[]
  attachments?: Array<{ kind: string; mediaType: string; dataUrl?: string; name?: string }>
}

export interface HistoryPage {
  agentId: string
  sessionKey: string
  session?: unknown
  items: HistoryItem[]
  page: { cursor?: string | null; hasMore: boolean; limit: number }
}

export type ClawRuntimeStatus = 'uninitialized' | 'starting' | 'running' | 'stopped' | 'error'
export type ControlPlaneStatus = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'recovering' | 'failed'

export interface ClawStatus {
  status: ClawRuntimeStatus
  podmanAvailable?: boolean
  machineReady?: boolean
  port?: number | null
  agentCount?: number
  error?: string | null
  controlPlaneStatus?: ControlPlaneStatus
  lastGatewayError?: string | null
  lastRecoveryReason?: string | null
}

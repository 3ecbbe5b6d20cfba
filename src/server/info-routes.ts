import type { ServerResponse } from 'node:http'
import { isRecord, type ChatHistoryResult } from '../gateway/frames'
import { clampHistoryLimit, cursorOffset, readHistoryPage } from '../gateway/history-page'
import { clawSessionKey, gatewaySessionKey, sessionKeyProblem } from '../gateway/session-keys'
import type { AgentInfo, ClawStatus, ControlPlaneStatus, SessionSource, SessionSummary } from '../protocol'
import type { ServerContext } from './context'
import { HttpError, sendJson } from './http'

const AGENTS_TTL_MS = 10_000

function controlPlane(ctx: ServerContext): ControlPlaneStatus {
  switch (ctx.connection.status) {
    case 'connected':
      return 'connected'
    case 'connecting':
      return 'connecting'
    case 'reconnecting':
      return 'reconnecting'
    default:
      return 'disconnected'
  }
}

function gatewayPort(ctx: ServerContext): number | null {
  try {
    const url = new URL(ctx.connection.url)
    return url.port === '' ? (url.protocol === 'wss:' ? 443 : 80) : Number(url.port)
  } catch {
    return null
  }
}

function snapshotAgentCount(ctx: ServerContext): number | undefined {
  const snapshot = ctx.connection.hello?.snapshot
  const health = isRecord(snapshot) ? snapshot.health : undefined
  return isRecord(health) && Array.isArray(health.agents) ? health.agents.length : undefined
}

/** `GET /claw/status`. Polling it also (re)starts the gateway link. */
export function handleStatus(ctx: ServerContext, res: ServerResponse): void {
  ctx.connection.connect()
  const connected = ctx.connection.status === 'connected'
  const lastError = ctx.connection.lastError ?? null
  const status: ClawStatus = {
    status: connected ? 'running' : ctx.connection.status === 'closed' ? 'stopped' : lastError !== null && ctx.connection.status === 'reconnecting' ? 'error' : 'starting',
    podmanAvailable: false,
    machineReady: true,
    port: gatewayPort(ctx),
    agentCount: ctx.agents?.list.length ?? snapshotAgentCount(ctx) ?? 0,
    error: connected ? null : lastError,
    controlPlaneStatus: controlPlane(ctx),
    lastGatewayError: lastError,
    lastRecoveryReason: null,
  }
  sendJson(res, 200, status)
}

/** The gateway's agents (`agents.list`), cached briefly. */
export async function listAgents(ctx: ServerContext, fresh = false): Promise<AgentInfo[]> {
  if (!fresh && ctx.agents !== undefined && Date.now() - ctx.agents.at < AGENTS_TTL_MS) return ctx.agents.list
  const result = await ctx.connection.request<unknown>('agents.list', {}, { timeoutMs: ctx.historyTimeoutMs, connectTimeoutMs: ctx.connectWaitMs })
  const rows = isRecord(result) && Array.isArray(result.agents) ? result.agents : []
  const list: AgentInfo[] = []
  for (const row of rows) {
    if (!isRecord(row)) continue
    const id = typeof row.id === 'string' ? row.id : typeof row.agentId === 'string' ? row.agentId : undefined
    if (id === undefined) continue
    const identity = isRecord(row.identity) ? row.identity : undefined
    const name = typeof row.name === 'string' ? row.name : typeof identity?.name === 'string' ? identity.name : id
    const agent: AgentInfo = { agentId: id, name }
    if (typeof row.workspace === 'string') agent.workspace = row.workspace
    const model = isRecord(row.model) ? row.model.primary : row.model
    if (typeof model === 'string') agent.model = model
    list.push(agent)
  }
  ctx.agents = { list, at: Date.now() }
  return list
}

/** `GET /claw/agents` */
export async function handleAgents(ctx: ServerContext, res: ServerResponse): Promise<void> {
  sendJson(res, 200, { agents: await listAgents(ctx) })
}

/** 404 for an agent the gateway does not have (when its list can be read at all). */
export async function assertAgent(ctx: ServerContext, agentId: string): Promise<void> {
  if (ctx.connection.status !== 'connected') return // the send fails fast on its own
  let agents: AgentInfo[]
  try {
    agents = await listAgents(ctx)
    if (!agents.some((a) => a.agentId === agentId)) agents = await listAgents(ctx, true)
  } catch {
    return // the gateway decides
  }
  if (!agents.some((a) => a.agentId === agentId)) throw new HttpError(404, `Agent ${agentId} not found`)
}

function sourceOf(key: string, row: Record<string, unknown>): SessionSource {
  if (/:openai-user:browseros:/.test(key)) return 'user-chat'
  if (/:cron:/.test(key) || key.startsWith('cron:')) return 'cron'
  if (/:hook:/.test(key) || key.startsWith('hook:')) return 'hook'
  if (typeof row.channel === 'string' && row.channel !== '' && row.channel !== 'webchat' && row.channel !== 'internal') return 'channel'
  if (/:(group|channel):/.test(key)) return 'channel'
  if (/^agent:[^:]+:main$/.test(key) || row.chatType === 'direct') return 'user-chat'
  return 'other'
}

async function listSessions(ctx: ServerContext, agentId: string, limit: number): Promise<Array<SessionSummary & { row: Record<string, unknown> }>> {
  const result = await ctx.connection.request<unknown>('sessions.list', { agentId, limit }, { timeoutMs: ctx.historyTimeoutMs, connectTimeoutMs: ctx.connectWaitMs })
  const rows = isRecord(result) && Array.isArray(result.sessions) ? result.sessions.filter(isRecord) : []
  const sessions = rows
    .filter((row) => typeof row.key === 'string' && (row.key.startsWith(`agent:${agentId}:`) || row.agentId === agentId))
    .map((row) => {
      const key = row.key as string
      const summary: SessionSummary & { row: Record<string, unknown> } = { key: clawSessionKey(key), agentId, source: sourceOf(key, row), row }
      if (typeof row.updatedAt === 'number' || typeof row.updatedAt === 'string') summary.updatedAt = row.updatedAt
      if (typeof row.sessionId === 'string') summary.sessionId = row.sessionId
      if (typeof row.kind === 'string') summary.kind = row.kind
      return summary
    })
  const time = (s: SessionSummary): number => (typeof s.updatedAt === 'number' ? s.updatedAt : typeof s.updatedAt === 'string' ? Date.parse(s.updatedAt) || 0 : 0)
  return sessions.sort((a, b) => time(b) - time(a)).slice(0, limit)
}

/** `GET /claw/agents/:agentId/sessions?limit=` */
export async function handleSessions(ctx: ServerContext, res: ServerResponse, agentId: string, query: URLSearchParams): Promise<void> {
  const limit = clampHistoryLimit(query.get('limit') ?? undefined)
  const sessions = await listSessions(ctx, agentId, limit)
  sendJson(res, 200, { agentId, sessions: sessions.map(({ row: _row, ...summary }) => summary) })
}

/** `GET /claw/agents/:agentId/session`: the newest chat session, to resume it. */
export async function handleSession(ctx: ServerContext, res: ServerResponse, agentId: string): Promise<void> {
  const sessions = await listSessions(ctx, agentId, 20)
  const latest = sessions.find((s) => s.source === 'user-chat') ?? sessions[0]
  if (latest === undefined) return sendJson(res, 200, { agentId, exists: false, sessionKey: null, session: null })
  const { row: _row, ...summary } = latest
  sendJson(res, 200, { agentId, exists: true, sessionKey: latest.key, session: summary })
}

/** `GET /claw/agents/:agentId/history?sessionKey=&cursor=&limit=` */
export async function handleHistory(ctx: ServerContext, res: ServerResponse, agentId: string, query: URLSearchParams): Promise<void> {
  const sessionKey = query.get('sessionKey') ?? ''
  if (sessionKey.trim() === '') throw new HttpError(400, 'sessionKey is required')
  const problem = sessionKeyProblem(sessionKey)
  if (problem !== undefined) throw new HttpError(400, problem)
  const limit = clampHistoryLimit(query.get('limit') ?? undefined)
  const cursor = query.get('cursor')
  const offset = cursorOffset(cursor)
  if (cursor !== null && cursor !== '' && offset === undefined) throw new HttpError(400, 'Invalid cursor')
  const key = gatewaySessionKey(agentId, sessionKey)
  const bare = clawSessionKey(sessionKey)
  const page = await readHistoryPage(
    (params) => ctx.connection.request<ChatHistoryResult>('chat.history', { sessionKey: key, ...params }, { timeoutMs: ctx.historyTimeoutMs, connectTimeoutMs: ctx.connectWaitMs }),
    { agentId, sessionKey: bare, limit },
    offset,
  )
  sendJson(res, 200, page)
}

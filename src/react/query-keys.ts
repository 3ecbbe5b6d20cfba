/** react-query keys of the OpenClaw queries, so apps can invalidate or prefetch them. */
export const openClawKeys = {
  all: (baseUrl: string) => ['openclaw', baseUrl] as const,
  agents: (baseUrl: string) => ['openclaw', baseUrl, 'agents'] as const,
  status: (baseUrl: string) => ['openclaw', baseUrl, 'status'] as const,
  agentSession: (baseUrl: string, agentId: string) => ['openclaw', baseUrl, 'agent', agentId, 'session'] as const,
  sessions: (baseUrl: string, agentId: string, limit?: number) => ['openclaw', baseUrl, 'agent', agentId, 'sessions', limit ?? null] as const,
  history: (baseUrl: string, agentId: string, sessionKey: string, cursor?: string) =>
    ['openclaw', baseUrl, 'agent', agentId, 'history', sessionKey, cursor ?? null] as const,
  latestHistory: (baseUrl: string, agentId: string, sessionKey: string) =>
    ['openclaw', baseUrl, 'agent', agentId, 'history', sessionKey, 'latest'] as const,
  stop: (baseUrl: string, agentId: string) => ['openclaw', baseUrl, 'agent', agentId, 'stop'] as const,
}

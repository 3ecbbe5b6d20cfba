import {
  useMutation,
  useQuery,
  type UseMutationResult,
  type UseQueryOptions,
  type UseQueryResult,
} from '@tanstack/react-query'
import { useMemo, useRef } from 'react'
import { createOpenClawClient, type OpenClawClient } from '../client'
import type {
  AgentSessionResponse,
  AgentsResponse,
  ChatError,
  ClawStatus,
  HistoryPage,
  SessionsResponse,
  StopResponse,
  StopTurnRequest,
} from '../protocol'
import { type OpenClawConfig, useOpenClawConfig } from './provider'
import { openClawKeys } from './query-keys'

export const DEFAULT_HISTORY_PAGE_SIZE = 50

/** A client built from the hook's options over the provider's; function-valued options are read at call time. */
export function useOpenClawClient(options: OpenClawConfig = {}): OpenClawClient {
  const config = useOpenClawConfig()
  const latest = useRef<OpenClawConfig>({})
  latest.current = { ...config, ...stripUndefined(options) }
  const baseUrl = latest.current.baseUrl ?? ''
  return useMemo(
    () =>
      createOpenClawClient({
        baseUrl,
        fetch: (input, init) => (latest.current.fetch ?? globalThis.fetch)(input, init),
        headers: async () => {
          const headers = latest.current.headers
          return (typeof headers === 'function' ? await headers() : headers) ?? {}
        },
      }),
    [baseUrl],
  )
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {}
  for (const [k, v] of Object.entries(value)) if (v !== undefined) (out as Record<string, unknown>)[k] = v
  return out
}

type QueryExtras<T> = Omit<UseQueryOptions<T, ChatError>, 'queryKey' | 'queryFn'>

export function useAgents(options: OpenClawConfig & { query?: QueryExtras<AgentsResponse> } = {}): UseQueryResult<AgentsResponse, ChatError> {
  const client = useOpenClawClient(options)
  return useQuery({ staleTime: 30_000, ...options.query, queryKey: openClawKeys.agents(client.baseUrl), queryFn: ({ signal }) => client.agents(signal) })
}

/** Polls `/claw/status` (polling also keeps the server's gateway link up). */
export function useClawStatus(
  options: OpenClawConfig & { refetchInterval?: number | false; query?: QueryExtras<ClawStatus> } = {},
): UseQueryResult<ClawStatus, ChatError> {
  const client = useOpenClawClient(options)
  return useQuery({
    refetchInterval: options.refetchInterval ?? 10_000,
    ...options.query,
    queryKey: openClawKeys.status(client.baseUrl),
    queryFn: ({ signal }) => client.status(signal),
  })
}

export function useAgentSession(agentId: string, options: OpenClawConfig & { query?: QueryExtras<AgentSessionResponse> } = {}): UseQueryResult<AgentSessionResponse, ChatError> {
  const client = useOpenClawClient(options)
  return useQuery({ ...options.query, queryKey: openClawKeys.agentSession(client.baseUrl, agentId), queryFn: ({ signal }) => client.agentSession(agentId, signal) })
}

export function useAgentSessions(
  agentId: string,
  options: OpenClawConfig & { limit?: number; query?: QueryExtras<SessionsResponse> } = {},
): UseQueryResult<SessionsResponse, ChatError> {
  const client = useOpenClawClient(options)
  const limit = options.limit
  return useQuery({
    ...options.query,
    queryKey: openClawKeys.sessions(client.baseUrl, agentId, limit),
    queryFn: ({ signal }) => client.sessions(agentId, limit === undefined ? { signal } : { limit, signal }),
  })
}

/** One page of a session's history (the newest without a cursor). Shares its cache with `useOpenClawChat`. */
export function useSessionHistory(
  agentId: string,
  sessionKey: string | undefined,
  options: OpenClawConfig & { cursor?: string; limit?: number; query?: QueryExtras<HistoryPage> } = {},
): UseQueryResult<HistoryPage, ChatError> {
  const client = useOpenClawClient(options)
  const { cursor, limit = DEFAULT_HISTORY_PAGE_SIZE } = options
  return useQuery({
    staleTime: Infinity,
    ...options.query,
    enabled: sessionKey !== undefined && (options.query?.enabled ?? true),
    queryKey: openClawKeys.history(client.baseUrl, agentId, sessionKey ?? '', cursor),
    queryFn: ({ signal }) =>
      client.history({ agentId, sessionKey: sessionKey ?? '', limit, signal, ...(cursor === undefined ? {} : { cursor }) }),
  })
}

/** The stop route as a mutation, for UIs that stop runs they did not start (the chat hook's `stop()` uses the same key). */
export function useStopChat(
  agentId: string,
  options: OpenClawConfig = {},
): UseMutationResult<StopResponse, ChatError, Omit<StopTurnRequest, 'agentId'>> {
  const client = useOpenClawClient(options)
  return useMutation({
    mutationKey: openClawKeys.stop(client.baseUrl, agentId),
    mutationFn: (request) => client.stop({ ...request, agentId }),
  })
}

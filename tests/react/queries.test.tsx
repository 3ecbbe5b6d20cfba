// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { messageText } from '../../src/core'
import { createMockServer, type MockServer } from '../../src/mock'
import {
  OpenClawProvider,
  openClawKeys,
  useAgentSession,
  useAgentSessions,
  useAgents,
  useClawStatus,
  useOpenClawChat,
  useSessionHistory,
  useStopChat,
} from '../../src/react'

afterEach(cleanup)

function setup(): { mock: MockServer; queryClient: QueryClient; wrapper: (props: { children: ReactNode }) => ReactNode } {
  const mock = createMockServer({ delayScale: 0 })
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <OpenClawProvider baseUrl="http://claw.test" fetch={mock.fetch}>
        {children}
      </OpenClawProvider>
    </QueryClientProvider>
  )
  return { mock, queryClient, wrapper }
}

describe('react-query hooks over the /claw routes (config from OpenClawProvider)', () => {
  it('useAgents lists the agents and caches them under openClawKeys.agents', async () => {
    const { queryClient, wrapper } = setup()
    const { result } = renderHook(() => useAgents(), { wrapper })
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
    expect(result.current.data?.agents.map((a) => a.agentId)).toEqual(['main', 'research'])
    expect(queryClient.getQueryData(openClawKeys.agents('http://claw.test'))).toBe(result.current.data)
  })

  it('useClawStatus reads the status route', async () => {
    const { wrapper, mock } = setup()
    const { result } = renderHook(() => useClawStatus({ refetchInterval: false }), { wrapper })
    await waitFor(() => expect(result.current.data?.status).toBe('running'))
    expect(mock.requests.map((r) => r.path)).toEqual(['/claw/status'])
  })

  it('errors are typed ChatErrors', async () => {
    const { wrapper } = setup()
    const { result } = renderHook(() => useAgentSession('nobody'), { wrapper })
    await waitFor(() => expect(result.current.isError).toBe(true))
    expect(result.current.error).toMatchObject({ kind: 'http', status: 404, message: 'Agent nobody not found' })
  })

  it('sessions, session history and the stop mutation after a conversation', async () => {
    const { wrapper, mock } = setup()
    const chat = renderHook(() => useOpenClawChat({ agentId: 'main' }), { wrapper })
    await act(() => chat.result.current.send('remember this'))
    const key = chat.result.current.sessionKey as string

    const sessions = renderHook(() => useAgentSessions('main', { limit: 5 }), { wrapper })
    await waitFor(() => expect(sessions.result.current.data?.sessions.map((s) => s.key)).toEqual([key]))

    const current = renderHook(() => useAgentSession('main'), { wrapper })
    await waitFor(() => expect(current.result.current.data?.sessionKey).toBe(key))

    const history = renderHook(() => useSessionHistory('main', key, { limit: 10 }), { wrapper })
    await waitFor(() => expect(history.result.current.isSuccess).toBe(true))
    const answer = chat.result.current.messages[1]
    expect(history.result.current.data?.items.map((i) => [i.role, i.text])).toEqual([
      ['user', 'remember this'],
      ['assistant', answer === undefined ? 'missing' : messageText(answer)],
    ])
    expect(mock.requests.some((r) => r.path === `/claw/agents/main/history?sessionKey=${encodeURIComponent(key)}&limit=10`)).toBe(true)

    const idle = renderHook(() => useSessionHistory('main', undefined), { wrapper })
    expect(idle.result.current.fetchStatus).toBe('idle')

    const stop = renderHook(() => useStopChat('main'), { wrapper })
    const response = await act(() => stop.result.current.mutateAsync({ sessionKey: key }))
    expect(response).toEqual({ ok: true, aborted: false, runIds: [] })
    expect(mock.requests.at(-1)).toMatchObject({ method: 'POST', path: '/claw/agents/main/chat/stop', body: { sessionKey: key } })
  })
})

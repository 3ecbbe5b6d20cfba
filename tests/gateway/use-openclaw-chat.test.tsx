// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { WebSocket } from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import { messageText } from '../../src/core'
import { gatewayTransport, type GatewayTransport } from '../../src/gateway'
import { useOpenClawChat } from '../../src/react'
import { startFakeGateway, type FakeGateway } from './fake-gateway'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  cleanup()
  for (const c of cleanups.splice(0).reverse()) await c()
})

function wrapper({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>{children}</QueryClientProvider>
}

async function setup(): Promise<{ gateway: FakeGateway; transport: GatewayTransport }> {
  const gateway = await startFakeGateway()
  const transport = gatewayTransport({ url: gateway.url, token: 'test-token', WebSocket })
  cleanups.push(() => gateway.close())
  cleanups.push(() => transport.close())
  return { gateway, transport }
}

describe('useOpenClawChat with gatewayTransport (no /claw server in between)', () => {
  it('streams a turn with a tool card, fills usage, and resumes the session from history in a new hook', async () => {
    const { transport } = await setup()
    const { result } = renderHook(() => useOpenClawChat({ agentId: 'main', transport }), { wrapper })
    await act(async () => {
      await result.current.send('SCENARIO_B please read hello.txt')
    })
    await waitFor(() => expect(result.current.status).toBe('ready'))
    const answer = result.current.messages[1]
    expect(answer?.parts.map((p) => p.type)).toEqual(['text', 'tool', 'text'])
    expect(result.current.usage).toEqual({ tokensIn: 2468, tokensOut: 112, costUsd: 0.002692 })
    const sessionKey = result.current.sessionKey as string

    const resumed = renderHook(() => useOpenClawChat({ agentId: 'main', transport, sessionKey }), { wrapper })
    await waitFor(() => expect(resumed.result.current.messages).toHaveLength(2))
    const [user, assistant] = resumed.result.current.messages
    expect(user).toMatchObject({ role: 'user', parts: [{ type: 'text', text: 'SCENARIO_B please read hello.txt' }] })
    expect(assistant?.parts.map((p) => p.type)).toEqual(['tool', 'text'])
    expect(messageText(assistant ?? { parts: [] })).toBe(messageText(answer ?? { parts: [] }))
    expect(resumed.result.current.usage.costUsd).toBe(0.002692)
  })

  it('stop from the hook: aborted with the partial text', async () => {
    const { transport } = await setup()
    const { result } = renderHook(() => useOpenClawChat({ agentId: 'main', transport }), { wrapper })
    let sent: Promise<void> = Promise.resolve()
    act(() => {
      sent = result.current.send('SLOW please write a long answer')
    })
    await waitFor(() => expect(result.current.status).toBe('streaming'))
    await waitFor(() => expect(messageText(result.current.messages[1] ?? { parts: [] }).length).toBeGreaterThan(10))
    await act(async () => {
      await result.current.stop()
      await sent
    })
    expect(result.current.messages[1]?.finish).toBe('aborted')
    expect(messageText(result.current.messages[1] ?? { parts: [] })).toMatch(/^w0 w1/)
  })
})

import { describe, expect, it } from 'vitest'
import { createOpenClawClient } from '../../src/client'
import { ChatController, messageText } from '../../src/core'
import { builtInScenarios, createMockServer, SCENARIO_HEADER } from '../../src/mock'

const run = async (scenario: string | undefined, message: string, headers: Record<string, string> = {}) => {
  const mock = createMockServer({ delayScale: 0 })
  const chat = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: mock.fetch, headers }) })
  await chat.send(scenario === undefined ? message : `${message} [scenario:${scenario}]`)
  return { mock, state: chat.store.getState() }
}

describe('mock /claw server', () => {
  it('picks the scenario from the message marker, else from the x-mock-scenario header, else plain', async () => {
    const byHeader = await run(undefined, 'hi', { [SCENARIO_HEADER]: 'error-refusal' })
    expect(byHeader.state.error).toMatchObject({ kind: 'server', errorKind: 'refusal' })
    const byMarker = await run('reasoning', 'hi', { [SCENARIO_HEADER]: 'error-refusal' })
    expect(byMarker.state.error).toBeUndefined()
    expect(byMarker.state.messages[1]?.parts[0]?.type).toBe('reasoning')
    const plain = await run(undefined, 'hi')
    expect(plain.state.messages[1]?.finish).toBe('done')
    expect(messageText(plain.state.messages[1] ?? { parts: [] }).length).toBeGreaterThan(10)
  })

  it('has the scenarios the components and demo rely on', () => {
    const ids = builtInScenarios.map((s) => s.id)
    for (const id of ['plain', 'markdown', 'reasoning', 'tools', 'long', 'error-refusal', 'error-timeout', 'error-rate_limit', 'error-context_length', 'error-unknown', 'http-500', 'silent', 'stop-ignored', 'unknown-events', 'malformed', 'legacy', 'drop']) {
      expect(ids).toContain(id)
    }
  })

  it('answers agents, status, sessions and history; unknown agents are a 404', async () => {
    const { mock, state } = await run('plain', 'remember')
    const get = async (path: string) => {
      const response = await mock.fetch(path)
      return { status: response.status, body: (await response.json()) as Record<string, unknown> }
    }
    expect((await get('/claw/agents')).body.agents).toHaveLength(2)
    expect((await get('/claw/status')).body.status).toBe('running')
    expect((await get('/claw/agents/nobody/sessions')).status).toBe(404)
    const sessions = (await get('/claw/agents/main/sessions')).body.sessions as Array<{ key: string }>
    expect(sessions.map((s) => s.key)).toEqual([state.sessionKey])
    const history = (await get(`/claw/agents/main/history?sessionKey=${state.sessionKey}`)).body.items as Array<{ role: string; text: string }>
    expect(history.map((i) => i.role)).toEqual(['user', 'assistant'])
    expect(history[1]?.text).toBe(messageText(state.messages[1] ?? { parts: [] }))
  })
})

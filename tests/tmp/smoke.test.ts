import { it, expect } from 'vitest'
import { ChatController, createOpenClawClient } from '../../src'
import { createMockServer } from '../../src/mock'
it('smoke', async () => {
  const server = createMockServer({ delayScale: 0 })
  for (const sc of ['plain','tools','reasoning','legacy','malformed','unknown-events','error-refusal','http-500','drop']) {
    const diags: string[] = []
    const c = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: server.fetch }), onDiagnostic: d => diags.push(d.message), onUnknownEvent: u => diags.push('unknown '+u.type) })
    await c.send(`hi [scenario:${sc}]`)
    const s = c.store.getState()
    console.log(sc, s.status, s.error?.kind, s.error?.message, JSON.stringify(s.messages.map(m => [m.role, m.finish, m.parts.map(p => p.type + ':' + (p.type==='text'||p.type==='reasoning' ? p.text.slice(0,40) : p.type==='tool' ? p.state+ ' '+ p.durationMs : ''))])), s.sessionKey, diags)
  }
  const c = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: server.fetch }), stopGraceMs: 500 })
  const server2 = createMockServer({ delayScale: 1 })
  const c2 = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: server2.fetch }), stopGraceMs: 500 })
  const p = c2.send('[scenario:long]')
  await new Promise(r => setTimeout(r, 400))
  const t0 = Date.now()
  await c2.stop()
  await p
  const s = c2.store.getState()
  console.log('stop', Date.now()-t0, s.status, s.messages.at(-1)?.finish, s.messages.at(-1)?.parts.length, server2.requests.map(r=>r.path))
  const c3 = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: server2.fetch }), stopGraceMs: 300 })
  const p3 = c3.send('[scenario:stop-ignored]')
  await new Promise(r => setTimeout(r, 400))
  const t1 = Date.now(); await c3.stop(); await p3
  console.log('stop-ignored', Date.now()-t1, c3.store.getState().status, c3.store.getState().messages.at(-1)?.finish)
  const c4 = new ChatController({ agentId: 'main', transport: createOpenClawClient({ fetch: server2.fetch }), stallTimeoutMs: 500 })
  await c4.send('[scenario:silent]')
  console.log('silent', c4.store.getState().status, c4.store.getState().error?.kind, c4.store.getState().messages.at(-1)?.finish)
  expect(server2.activeRuns).toBe(0)
})

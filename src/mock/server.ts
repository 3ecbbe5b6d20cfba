import type { AgentInfo, HistoryItem } from '../protocol'
import { builtInScenarios } from './scenarios'
import type { Scenario, ScenarioStep } from './scenario'
import { sseFrame } from './wire'

export interface MockServerOptions {
  scenarios?: Scenario[]
  /** Used when the message names no scenario (default `plain`). */
  defaultScenario?: string
  /** Multiplies every step delay: 1 = realistic timing, 0 = as fast as possible (tests). */
  delayScale?: number
  agents?: AgentInfo[]
  /** Picks the scenario of a turn; default: `[scenario:<id>]` in the message, else the `x-mock-scenario` header, else `defaultScenario`. */
  pickScenario?: (message: string, agentId: string) => string | undefined
}

export interface MockRequestRecord {
  method: string
  path: string
  body: unknown
  headers: Record<string, string>
}

interface RunHandle {
  runId: string
  sessionKey: string
  stopMode: 'confirm' | 'ignore'
  stop: () => void
}

export interface MockServer {
  /** A `fetch` that answers the `/claw` routes (any origin); anything else is a 404. */
  fetch: typeof fetch
  handle: (request: Request) => Promise<Response>
  /** Every request received, oldest first. */
  requests: MockRequestRecord[]
  /** Runs currently streaming. */
  readonly activeRuns: number
  scenarios: Scenario[]
}

const DEFAULT_AGENTS: AgentInfo[] = [
  { agentId: 'main', name: 'Main agent', workspace: '/workspace/main', model: 'mock/fast' },
  { agentId: 'research', name: 'Research', workspace: '/workspace/research', model: 'mock/deep' },
]

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })

let uid = 0
const newId = (prefix: string): string => {
  uid += 1
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`
  return `${prefix}${uid}-${random.slice(0, 8)}`
}

/** Picks the scenario of a turn without touching the message (the demo's scenario picker sends it). */
export const SCENARIO_HEADER = 'x-mock-scenario'

const WRAP = (agentId: string, key: string): string => `agent:${agentId}:openai-user:browseros:${agentId}:${key}`

/**
 * An in-memory `/claw` server speaking PROTOCOL.md byte for byte: scripted scenarios as SSE streams,
 * stop, agents, status, sessions and history. Use its `fetch` in tests and stories, or as dev-server middleware.
 */
export function createMockServer(options: MockServerOptions = {}): MockServer {
  const scenarios = options.scenarios ?? builtInScenarios
  const byId = new Map(scenarios.map((s) => [s.id, s]))
  const agents = options.agents ?? DEFAULT_AGENTS
  const scale = options.delayScale ?? 1
  const requests: MockRequestRecord[] = []
  const runs = new Map<string, RunHandle>()
  const history = new Map<string, HistoryItem[]>()

  const pick = (message: string, agentId: string, fromHeader: string | null): Scenario => {
    const named =
      options.pickScenario?.(message, agentId) ??
      /\[scenario:([\w-]+)\]/.exec(message)?.[1] ??
      (fromHeader !== null && fromHeader !== '' ? fromHeader : undefined) ??
      options.defaultScenario ??
      'plain'
    return byId.get(named) ?? byId.get('plain') ?? (scenarios[0] as Scenario)
  }

  const record = (sessionKey: string, item: Omit<HistoryItem, 'id' | 'messageSeq' | 'sessionKey'>): void => {
    const items = history.get(sessionKey) ?? []
    const seq = items.length + 1
    items.push({ ...item, id: `${sessionKey}:${seq}`, messageSeq: seq, sessionKey })
    history.set(sessionKey, items)
  }

  function stream(scenario: Scenario, agentId: string, sessionKey: string, message: string, requestSignal: AbortSignal | null): Response {
    const runId = newId('run-')
    const steps = scenario.steps({ runId, sessionKey, message })
    const encoder = new TextEncoder()
    const life = new AbortController()
    let stopped = false
    let answer = ''
    const handle: RunHandle = { runId, sessionKey, stopMode: scenario.stop ?? 'confirm', stop: () => { stopped = true; life.abort() } }
    requestSignal?.addEventListener('abort', () => life.abort(), { once: true })
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        runs.set(runId, handle)
        const write = (text: string): boolean => {
          if (life.signal.aborted && !stopped) return false
          try {
            controller.enqueue(encoder.encode(text))
            return true
          } catch {
            return false
          }
        }
        const finish = (): void => {
          runs.delete(runId)
          try {
            controller.close()
          } catch {
            // already closed or errored
          }
        }
        const play = async (): Promise<void> => {
          for (const step of steps as ScenarioStep[]) {
            const delay = (step.delayMs ?? 0) * scale
            if (delay > 0) await sleep(delay, life.signal)
            if (life.signal.aborted) break
            if ('silence' in step) {
              await new Promise<void>((resolve) => life.signal.addEventListener('abort', () => resolve(), { once: true }))
              break
            }
            if ('drop' in step) {
              // Let what was written reach the client first: erroring a stream discards its queue.
              for (let i = 0; i < 1000 && (controller.desiredSize ?? 1) <= 0 && !life.signal.aborted; i++) await sleep(1, life.signal)
              runs.delete(runId)
              controller.error(new TypeError('network error: connection reset'))
              return
            }
            if ('raw' in step) {
              if (!write(step.raw)) return finish()
              continue
            }
            const f = step.frame
            if (typeof f !== 'string' && f.type === 'text-delta') answer += String((f.data as { text?: unknown } | undefined)?.text ?? '')
            if (!write(sseFrame(f))) return finish()
            if (scale === 0) await Promise.resolve()
          }
          if (stopped) {
            // What the real server sends after `chat.abort`: lifecycle end, then aborted, then [DONE].
            write(sseFrame({ type: 'lifecycle', data: { phase: 'end', runId } }))
            write(sseFrame({ type: 'lifecycle', data: { phase: 'aborted', runId } }))
            write(sseFrame('[DONE]'))
          }
          if (answer !== '') record(sessionKey, { role: 'assistant', text: answer, timestamp: Date.now(), source: 'user-chat', ...(stopped ? {} : scenario.usage ?? { tokensIn: 1234, tokensOut: 56, costUsd: 0.001346 }) })
          finish()
        }
        void play()
      },
      cancel: () => {
        runs.delete(runId)
        life.abort()
      },
    })
    return new Response(body, {
      status: 200,
      headers: { 'content-type': scenario.contentType ?? 'text/event-stream', 'cache-control': 'no-cache', 'x-session-key': WRAP(agentId, sessionKey) },
    })
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url, 'http://mock.local')
    const path = url.pathname.replace(/^.*?(?=\/claw\/)/, '')
    let body: unknown
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const text = await request.text()
      try {
        body = text === '' ? undefined : JSON.parse(text)
      } catch {
        return json({ error: 'Invalid JSON body' }, 400)
      }
    }
    const headers: Record<string, string> = {}
    request.headers.forEach((value, name) => {
      headers[name] = value
    })
    requests.push({ method: request.method, path: path + url.search, body, headers })

    if (request.method === 'GET' && path === '/claw/status') {
      return json({ status: 'running', podmanAvailable: true, machineReady: true, port: 18789, agentCount: agents.length, error: null, controlPlaneStatus: 'connected', lastGatewayError: null, lastRecoveryReason: null })
    }
    if (request.method === 'GET' && path === '/claw/agents') return json({ agents })
    const match = /^\/claw\/agents\/([^/]+)(\/.*)?$/.exec(path)
    if (match === null) return json({ error: 'Not found' }, 404)
    const agentId = decodeURIComponent(match[1] as string)
    const rest = match[2] ?? ''
    if (!agents.some((a) => a.agentId === agentId)) return json({ error: `Agent ${agentId} not found` }, 404)
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>

    if (request.method === 'POST' && rest === '/chat') {
      const message = typeof b.message === 'string' ? b.message : ''
      const attachments = Array.isArray(b.attachments) ? b.attachments : []
      if (message.trim() === '' && attachments.length === 0) return json({ error: 'Message is required' }, 400)
      const sessionKey = typeof b.sessionKey === 'string' && b.sessionKey !== '' ? b.sessionKey.replace(/^(agent:[^:]+:openai-user:browseros:[^:]+:)+/, '') : newId('session-')
      const scenario = pick(message, agentId, request.headers.get(SCENARIO_HEADER))
      if (scenario.http !== undefined) {
        return new Response(scenario.http.body, { status: scenario.http.status, headers: { 'content-type': scenario.http.contentType ?? 'application/json' } })
      }
      record(sessionKey, { role: 'user', text: message, timestamp: Date.now(), source: 'user-chat' })
      return stream(scenario, agentId, sessionKey, message, request.signal)
    }
    if (request.method === 'POST' && rest === '/chat/stop') {
      if (typeof b.sessionKey !== 'string' || b.sessionKey === '') return json({ error: 'sessionKey is required' }, 400)
      const stoppedIds: string[] = []
      for (const run of [...runs.values()]) {
        if (run.sessionKey !== b.sessionKey || (typeof b.runId === 'string' && b.runId !== run.runId)) continue
        stoppedIds.push(run.runId)
        if (run.stopMode === 'confirm') run.stop()
      }
      return json({ ok: true, aborted: stoppedIds.length > 0, runIds: stoppedIds })
    }
    if (request.method === 'GET' && rest === '/session') {
      const keys = [...history.keys()]
      const last = keys[keys.length - 1]
      return json({ agentId, exists: last !== undefined, sessionKey: last ?? null, session: last === undefined ? null : { key: last } })
    }
    if (request.method === 'GET' && rest === '/sessions') {
      const limit = Number(url.searchParams.get('limit') ?? 50)
      const sessions = [...history.entries()].reverse().slice(0, limit).map(([key, items]) => ({ key, updatedAt: items[items.length - 1]?.timestamp ?? 0, sessionId: key, agentId, kind: 'direct', source: 'user-chat' }))
      return json({ agentId, sessions })
    }
    if (request.method === 'GET' && rest === '/history') {
      const sessionKey = url.searchParams.get('sessionKey') ?? ''
      const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 50) || 50))
      const cursor = url.searchParams.get('cursor')
      const items = history.get(sessionKey) ?? []
      const end = cursor === null ? items.length : Math.max(0, Number(cursor))
      const start = Math.max(0, end - limit)
      const page = items.slice(start, end)
      return json({ agentId, sessionKey, session: null, items: page, page: { ...(start > 0 ? { cursor: String(start) } : {}), hasMore: start > 0, limit } })
    }
    return json({ error: 'Not found' }, 404)
  }

  return {
    fetch: (input, init) => {
      if (input instanceof Request && init === undefined) return handle(input)
      const url = typeof input === 'string' && input.startsWith('/') ? `http://mock.local${input}` : input
      return handle(new Request(url, init))
    },
    handle,
    requests,
    get activeRuns() {
      return runs.size
    },
    scenarios,
  }
}

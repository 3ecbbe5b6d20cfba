/**
 * A fake OpenClaw gateway for tests: a `ws` WebSocketServer on 127.0.0.1 (port 0) that performs the protocol-4
 * handshake, replays the recorded fixture runs for `chat.send` (picked by a marker in the message), answers
 * `chat.abort` as the real one does (chat `aborted` with the partial text → lifecycle end → the reply → lifecycle
 * error), and `chat.history` from what it played.
 */
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { loadHelloOk, loadRun, type RecordedRun, type RecordingName } from './fixture-data'

export interface FakeGatewayOptions {
  /** The token `connect` must carry (default `test-token`). */
  token?: string
  /** Recorded gaps between frames are multiplied by this (default 0.1) … */
  timeScale?: number
  /** … and capped at this many ms (default 25). */
  maxGapMs?: number
  /** After the recorded part of a SLOW run, one more word every this many ms until aborted (default 15). */
  slowWordMs?: number
  /** Words a SLOW run writes in all before it finishes on its own (default 400). */
  slowWords?: number
}

export type AbortBehavior = 'normal' | 'silent' | 'hang' | 'refuse'

export interface FakeRequest {
  method: string
  params: Record<string, unknown>
}

interface FakeRun {
  runId: string
  sessionKey: string
  recording: RecordingName
  text: string
  timer: ReturnType<typeof setTimeout> | undefined
  active: boolean
  socket: WebSocket
  words: number
}

export interface FakeGateway {
  readonly url: string
  readonly port: number
  readonly requests: FakeRequest[]
  readonly connectParams: Array<Record<string, unknown>>
  /** Sockets currently open. */
  readonly openSockets: number
  abortBehavior: AbortBehavior
  /** Frames (JSON text) every socket received, in order. */
  readonly sent: string[]
  /** Which recording a message plays (default: markers SCENARIO_B → tool, REASON → reasoning, SLOW → abort_midway, else scenarioA). */
  pick: (message: string) => RecordingName
  activeRuns(): string[]
  /** Cuts every client socket (no close handshake); the server keeps listening. */
  dropConnections(): void
  /** Cuts every socket and stops listening (a crashed gateway). */
  kill(): Promise<void>
  close(): Promise<void>
}

export function defaultPick(message: string): RecordingName {
  if (/SCENARIO_B/i.test(message)) return 'scenarioB_tool'
  if (/REASON/.test(message)) return 'scenarioA_reasoning'
  if (/SLOW/.test(message)) return 'abort_midway'
  return 'scenarioA'
}

const runs = new Map<RecordingName, RecordedRun>()
function recorded(name: RecordingName): RecordedRun {
  let run = runs.get(name)
  if (run === undefined) {
    run = loadRun(name)
    runs.set(name, run)
  }
  return run
}

function rewrite<T>(value: T, from: RecordedRun, runId: string, sessionKey: string): T {
  const text = JSON.stringify(value).split(from.runId).join(runId).split(JSON.stringify(from.sessionKey).slice(1, -1)).join(sessionKey)
  return JSON.parse(text) as T
}

export async function startFakeGateway(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const token = options.token ?? 'test-token'
  const scale = options.timeScale ?? 0.1
  const maxGap = options.maxGapMs ?? 25
  const slowWordMs = options.slowWordMs ?? 15
  const slowWords = options.slowWords ?? 400
  const hello = loadHelloOk() as Record<string, unknown>
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const port = (wss.address() as AddressInfo).port
  const requests: FakeRequest[] = []
  const connectParams: Array<Record<string, unknown>> = []
  const sent: string[] = []
  const active = new Map<string, FakeRun>()
  /** Per gateway session: its chat.history rows. */
  const transcripts = new Map<string, Array<Record<string, unknown>>>()
  const lastRun = new Map<string, string>()
  let connSeq = 0
  let seqCounter = 0

  const gateway: FakeGateway = {
    url: `ws://127.0.0.1:${port}`,
    port,
    requests,
    connectParams,
    sent,
    abortBehavior: 'normal',
    pick: defaultPick,
    get openSockets() {
      return wss.clients.size
    },
    activeRuns: () => [...active.keys()],
    dropConnections() {
      for (const client of wss.clients) client.terminate()
    },
    async kill() {
      for (const client of wss.clients) client.terminate()
      for (const run of active.values()) clearTimeout(run.timer)
      active.clear()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
    async close() {
      await gateway.kill()
    },
  }

  const send = (socket: WebSocket, frame: unknown): void => {
    const text = JSON.stringify(frame)
    sent.push(text)
    if (socket.readyState === socket.OPEN) socket.send(text)
  }
  const event = (socket: WebSocket, name: string, payload: unknown): void => {
    connSeq += 1
    send(socket, { type: 'event', event: name, payload, seq: connSeq })
  }
  const respond = (socket: WebSocket, id: string, payload: unknown): void => send(socket, { type: 'res', id, ok: true, payload })
  const fail = (socket: WebSocket, id: string, code: string, message: string): void => send(socket, { type: 'res', id, ok: false, error: { code, message } })

  const assistantText = (text: string) => ({ role: 'assistant', content: [{ type: 'text', text }], timestamp: Date.now() })

  function record(run: FakeRun, rows: Array<Record<string, unknown>>): void {
    const transcript = transcripts.get(run.sessionKey) ?? []
    for (const row of rows) {
      seqCounter += 1
      const meta = (row.__openclaw as Record<string, unknown> | undefined) ?? {}
      transcript.push({ ...row, __openclaw: { ...meta, seq: transcript.length + 1 } })
    }
    transcripts.set(run.sessionKey, transcript)
  }

  function finishRecorded(run: FakeRun, source: RecordedRun): void {
    // The recording's own history rows of this run (user row excluded: it was recorded at send).
    const history = rewrite(source.history, source, run.runId, run.sessionKey)
    const rows = history.messages.filter((m) => m.role !== 'user') as unknown as Array<Record<string, unknown>>
    record(run, rows)
  }

  function play(socket: WebSocket, run: FakeRun, source: RecordedRun): void {
    const events = source.events.filter((e) => source.abortAt === undefined || e.at < source.abortAt).map((e) => ({ at: e.at, frame: rewrite(e.frame, source, run.runId, run.sessionKey) }))
    let index = 0
    let previousAt = 0
    const step = (): void => {
      if (!run.active) return
      const next = events[index]
      if (next === undefined) {
        if (source.abortAt !== undefined) return slowWord()
        run.active = false
        active.delete(run.runId)
        return
      }
      index += 1
      const payload = next.frame.payload as Record<string, unknown>
      if (next.frame.event === 'chat' && payload.state === 'delta') run.text = String((payload.message as { content: Array<{ text: string }> }).content[0]?.text ?? run.text)
      if (next.frame.event === 'chat' && payload.state === 'final') {
        // history is written before the final event goes out, as on the real gateway
        finishRecorded(run, source)
        run.active = false
        active.delete(run.runId)
      }
      event(run.socket, next.frame.event, payload)
      if (!run.active) return
      const following = events[index]
      const gap = following === undefined ? 0 : Math.min(maxGap, Math.max(0, (following.at - next.at) * scale))
      previousAt = next.at
      run.timer = setTimeout(step, gap)
    }
    const slowWord = (): void => {
      if (!run.active) return
      if (run.words >= slowWords) {
        record(run, [{ ...assistantText(run.text), usage: { input: 1000, output: run.words, totalTokens: 1000 + run.words, cost: { total: 0.002 } }, stopReason: 'stop', __openclaw: { runId: run.runId } }])
        event(run.socket, 'chat', { runId: run.runId, sessionKey: run.sessionKey, seq: 999, state: 'final', stopReason: 'stop', message: assistantText(run.text) })
        run.active = false
        active.delete(run.runId)
        return
      }
      const word = ` w${run.words}`
      run.words += 1
      run.text += word
      event(run.socket, 'chat', { runId: run.runId, sessionKey: run.sessionKey, seq: 100 + run.words, state: 'delta', deltaText: word, message: assistantText(run.text) })
      run.timer = setTimeout(slowWord, slowWordMs)
    }
    void previousAt
    run.timer = setTimeout(step, Math.min(maxGap, 5))
  }

  function abortRun(socket: WebSocket, run: FakeRun, reply: () => void): void {
    clearTimeout(run.timer)
    run.active = false
    active.delete(run.runId)
    record(run, [{ ...assistantText(run.text), stopReason: 'stop', usage: { input: 0, output: 0, totalTokens: 0, cost: { total: 0 } }, openclawAbort: { aborted: true, origin: 'rpc', runId: run.runId }, __openclaw: { runId: run.runId } }])
    if (gateway.abortBehavior === 'silent') return reply()
    event(run.socket, 'chat', { runId: run.runId, sessionKey: run.sessionKey, agentId: 'main', seq: 500, state: 'aborted', stopReason: 'rpc', message: assistantText(run.text) })
    event(run.socket, 'agent', { runId: run.runId, sessionKey: run.sessionKey, agentId: 'main', stream: 'lifecycle', seq: 501, ts: Date.now(), data: { phase: 'end', status: 'cancelled', aborted: true, stopReason: 'rpc' } })
    reply()
    event(run.socket, 'agent', { runId: run.runId, sessionKey: run.sessionKey, agentId: 'main', stream: 'lifecycle', seq: 502, ts: Date.now(), data: { phase: 'error', error: 'This operation was aborted', aborted: true, stopReason: 'aborted' } })
  }

  wss.on('connection', (socket) => {
    let connected = false
    event(socket, 'connect.challenge', { nonce: `nonce-${Math.random().toString(16).slice(2)}`, ts: Date.now() })
    socket.on('message', (data) => {
      let frame: { type?: string; id?: string; method?: string; params?: Record<string, unknown> }
      try {
        frame = JSON.parse(String(data)) as typeof frame
      } catch {
        return
      }
      if (frame.type !== 'req' || typeof frame.id !== 'string' || typeof frame.method !== 'string') return
      const id = frame.id
      const params = frame.params ?? {}
      requests.push({ method: frame.method, params })
      if (frame.method === 'connect') {
        connectParams.push(params)
        const auth = params.auth as { token?: string } | undefined
        if (auth?.token !== token) {
          fail(socket, id, 'FORBIDDEN', 'gateway token mismatch')
          socket.close(4008, 'unauthorized')
          return
        }
        connected = true
        respond(socket, id, { ...hello, policy: { ...(hello.policy as object), tickIntervalMs: 30_000 } })
        return
      }
      if (!connected) return fail(socket, id, 'FORBIDDEN', 'connect first')
      switch (frame.method) {
        case 'chat.send': {
          const sessionKey = String(params.sessionKey)
          const runId = String(params.idempotencyKey)
          const message = String(params.message)
          const name = gateway.pick(message)
          const run: FakeRun = { runId, sessionKey, recording: name, text: '', timer: undefined, active: true, socket, words: 34 }
          active.set(runId, run)
          lastRun.set(sessionKey, runId)
          record(run, [{ role: 'user', content: message, timestamp: Date.now(), __openclaw: {} }])
          respond(socket, id, { runId, status: 'started' })
          play(socket, run, recorded(name))
          return
        }
        case 'chat.abort': {
          const sessionKey = String(params.sessionKey)
          const runId = typeof params.runId === 'string' ? params.runId : undefined
          const targets = [...active.values()].filter((r) => r.sessionKey === sessionKey && (runId === undefined || r.runId === runId))
          if (gateway.abortBehavior === 'hang') return
          if (gateway.abortBehavior === 'refuse') return fail(socket, id, 'UNAVAILABLE', 'abort is not possible right now')
          if (targets.length === 0) return respond(socket, id, { ok: true, aborted: false, runIds: [] })
          let replied = false
          const reply = (): void => {
            if (replied) return
            replied = true
            respond(socket, id, { ok: true, aborted: true, runIds: targets.map((t) => t.runId) })
          }
          for (const run of targets) abortRun(socket, run, reply)
          return
        }
        case 'chat.history': {
          const sessionKey = String(params.sessionKey)
          const limit = typeof params.limit === 'number' ? params.limit : 50
          const offset = typeof params.offset === 'number' ? params.offset : 0
          const all = transcripts.get(sessionKey) ?? []
          const end = Math.max(0, all.length - offset)
          const start = Math.max(0, end - limit)
          const runIds = [...active.values()].filter((r) => r.sessionKey === sessionKey).map((r) => r.runId)
          const hasMore = start > 0
          respond(socket, id, {
            sessionKey,
            messages: all.slice(start, end),
            ...(hasMore ? { hasMore, nextOffset: offset + (end - start) } : { hasMore: false }),
            totalMessages: all.length,
            sessionInfo: { key: sessionKey, sessionId: `sid-${sessionKey}`, updatedAt: Date.now(), status: runIds.length > 0 ? 'running' : 'done', lastRunId: lastRun.get(sessionKey), hasActiveRun: runIds.length > 0, activeRunIds: runIds },
          })
          return
        }
        case 'agents.list':
          return respond(socket, id, {
            defaultId: 'main',
            mainKey: 'main',
            scope: 'per-sender',
            agents: [{ id: 'main', name: 'Main', workspace: '/tmp/workspace', model: { primary: 'fake/fake-model' } }, { id: 'ops', identity: { name: 'Ops' } }],
          })
        case 'sessions.list': {
          const agentId = typeof params.agentId === 'string' ? params.agentId : undefined
          const sessions = [...transcripts.entries()]
            .filter(([key]) => agentId === undefined || key.startsWith(`agent:${agentId}:`))
            .map(([key, rows], i) => ({ key, sessionId: `sid-${key}`, kind: 'direct', agentId: key.split(':')[1], updatedAt: 1_000_000 + i + rows.length }))
            .reverse()
          return respond(socket, id, { sessions: typeof params.limit === 'number' ? sessions.slice(0, params.limit) : sessions })
        }
        default:
          return fail(socket, id, 'INVALID_REQUEST', `unknown method ${frame.method}`)
      }
    })
  })
  return gateway
}

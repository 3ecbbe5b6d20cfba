/** The recorded gateway sessions of GATEWAY.md (copied from ../shared/fixtures/gateway), parsed for tests. */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { ChatHistoryResult, GatewayEventFrame, GatewayFrame } from '../../src/gateway'

const DIR = resolve(import.meta.dirname, 'fixtures')

export type RecordingName = 'scenarioA' | 'scenarioA_reasoning' | 'scenarioB_tool' | 'abort_midway'
export const RECORDINGS: readonly RecordingName[] = ['scenarioA', 'scenarioA_reasoning', 'scenarioB_tool', 'abort_midway']

export interface RecordedLine {
  t: number
  /** ms since the recording started */
  dt: number
  dir: 'in' | 'out' | 'mark' | 'close'
  frame: GatewayFrame & Record<string, unknown>
}

export interface RecordedRun {
  name: RecordingName
  runId: string
  sessionKey: string
  message: string
  /** Events of the run as received, with their time offset from the `chat.send` request. */
  events: Array<{ at: number; frame: GatewayEventFrame }>
  /** For abort_midway: time offset of the `chat.abort` request; events after it are the gateway's reaction. */
  abortAt?: number
  history: ChatHistoryResult
}

export function loadLines(name: RecordingName): RecordedLine[] {
  return readFileSync(resolve(DIR, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RecordedLine)
}

export function loadHistory(name: RecordingName): ChatHistoryResult {
  const res = JSON.parse(readFileSync(resolve(DIR, `${name}.history.json`), 'utf8')) as { payload: ChatHistoryResult }
  return res.payload
}

export function loadHelloOk(): unknown {
  return (JSON.parse(readFileSync(resolve(DIR, 'hello-ok.json'), 'utf8')) as { payload: unknown }).payload
}

export function loadRun(name: RecordingName): RecordedRun {
  const lines = loadLines(name)
  const send = lines.find((l) => l.dir === 'out' && l.frame.type === 'req' && l.frame.method === 'chat.send')
  if (send === undefined || send.frame.type !== 'req') throw new Error(`${name}: no chat.send`)
  const params = send.frame.params as { sessionKey: string; message: string; idempotencyKey: string }
  const abort = lines.find((l) => l.dir === 'out' && l.frame.type === 'req' && l.frame.method === 'chat.abort')
  const events = lines
    .filter((l) => l.dir === 'in' && l.frame.type === 'event' && (l.frame.payload as { runId?: unknown } | undefined)?.runId === params.idempotencyKey)
    .map((l) => ({ at: l.dt - send.dt, frame: l.frame as GatewayEventFrame }))
  const run: RecordedRun = { name, runId: params.idempotencyKey, sessionKey: params.sessionKey, message: params.message, events, history: loadHistory(name) }
  if (abort !== undefined) run.abortAt = abort.dt - send.dt
  return run
}

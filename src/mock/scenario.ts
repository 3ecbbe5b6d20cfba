import { splitText, type WireFrame } from './wire'

/** One step of a scripted response stream. `delayMs` waits before the step (scaled by the server's `delayScale`). */
export type ScenarioStep =
  | { frame: WireFrame; delayMs?: number }
  /** Raw bytes, written as they are (comments, malformed frames, half frames). */
  | { raw: string; delayMs?: number }
  /** Stays open sending nothing, until the client goes away. */
  | { silence: true; delayMs?: number }
  /** Drops the connection (the body errors), as a crashed server or a proxy would. */
  | { drop: true; delayMs?: number }

export interface ScenarioHttpFailure {
  status: number
  body: string
  contentType?: string
}

export interface ScenarioContext {
  runId: string
  sessionKey: string
  message: string
}

export interface Scenario {
  id: string
  title: string
  /** Answer the POST with this instead of a stream. */
  http?: ScenarioHttpFailure
  /** What a stop does: `confirm` (default) ends the stream with `lifecycle aborted`; `ignore` leaves it running. */
  stop?: 'confirm' | 'ignore'
  /** Response content type (default `text/event-stream`). */
  contentType?: string
  steps: (context: ScenarioContext) => ScenarioStep[]
  /** The answer recorded in history once the run completes. */
  usage?: { tokensIn: number; tokensOut: number; costUsd: number }
}

export const frame = (type: string, data: Record<string, unknown>, delayMs = 0): ScenarioStep => ({ frame: { type, data }, delayMs })

/** Text streamed as deltas in bursts, the way the server relays the gateway (~150 ms apart, several per burst). */
export function textSteps(text: string, options: { type?: 'text-delta' | 'reasoning-delta' | 'thinking'; burstMs?: number; perBurst?: number; seed?: number } = {}): ScenarioStep[] {
  const { type = 'text-delta', burstMs = 150, perBurst = 3, seed = 7 } = options
  return splitText(text, 3, 9, seed).map((piece, i) => frame(type, { text: piece }, i % perBurst === 0 ? burstMs : 0))
}

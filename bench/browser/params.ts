/** Page parameters (query string), shared by the bench pages; defaults are the bench's figures. */
import type { Pace } from './data'

const q = new URLSearchParams(globalThis.location?.search ?? '')
const num = (name: string, fallback: number): number => {
  const v = q.get(name)
  return v === null || v === '' ? fallback : Number(v)
}

export const HISTORY = num('history', 500)
export const DELTAS = num('deltas', 5000)
export const PACE: Pace = { framesPerChunk: num('fpc', 10), intervalMs: num('interval', 4) }
/** AI SDK `useChat` throttle (ms); 0 = its default (no throttling). */
export const THROTTLE = num('throttle', 0)

/** One frame as a server writes it: `{type, data}` JSON, or a raw `data` payload such as `[DONE]`. */
export type WireFrame = { type: string; data?: unknown } | string

/** The bytes of one SSE frame exactly as the server sends it: one `data:` line, then a blank line. */
export function sseFrame(frame: WireFrame): string {
  return `data: ${typeof frame === 'string' ? frame : JSON.stringify(frame)}\n\n`
}

export const DONE_FRAME = sseFrame('[DONE]')

/** Splits text into deltas of `min`..`max` characters (never inside a surrogate pair). */
export function splitText(text: string, min = 3, max = 9, seed = 1): string[] {
  const out: string[] = []
  let state = seed >>> 0 || 1
  const next = (): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    return state / 0x7fffffff
  }
  let i = 0
  const chars = Array.from(text)
  while (i < chars.length) {
    const size = min + Math.floor(next() * (max - min + 1))
    out.push(chars.slice(i, i + size).join(''))
    i += size
  }
  return out
}

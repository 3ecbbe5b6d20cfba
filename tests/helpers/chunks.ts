/** Ways to cut a byte stream into network chunks, for chunking-invariance tests. */

/** The bytes cut at the given offsets (in any order; duplicates give empty chunks). */
export function chunksAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const sorted = [...cuts].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let from = 0
  for (const cut of sorted) {
    out.push(bytes.slice(from, cut))
    from = cut
  }
  out.push(bytes.slice(from))
  return out
}

export const oneBytePerChunk = (bytes: Uint8Array): Uint8Array[] => Array.from(bytes, (b) => Uint8Array.of(b))

/** Offsets inside a multi-byte UTF-8 sequence (a cut there splits a character). */
export function midCharacterCuts(bytes: Uint8Array): number[] {
  const out: number[] = []
  for (let i = 1; i < bytes.length; i++) if (((bytes[i] as number) & 0xc0) === 0x80) out.push(i)
  return out
}

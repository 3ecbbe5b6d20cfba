import { createParser } from 'eventsource-parser'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSseDataParser } from '../../src/protocol/sse-parser'

/** Every event's data, from our parser, fed the given chunks then a final blank line. */
function ours(chunks: readonly string[]): string[] {
  const out: string[] = []
  const parser = createSseDataParser((data) => out.push(data))
  for (const chunk of chunks) parser.feed(chunk)
  parser.feed('\n\n')
  return out
}

/** The same from eventsource-parser, the reference. */
function reference(chunks: readonly string[]): string[] {
  const out: string[] = []
  const parser = createParser({ onEvent: (event) => out.push(event.data) })
  for (const chunk of chunks) parser.feed(chunk)
  parser.feed('\n\n')
  return out
}

const split = (text: string, cuts: number[]): string[] => {
  const sorted = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)
  const out: string[] = []
  let from = 0
  for (const cut of sorted) {
    out.push(text.slice(from, cut))
    from = cut
  }
  out.push(text.slice(from))
  return out
}

const pieces = fc.constantFrom('data:', 'data: ', 'data', 'dat', ':', ': keep-alive', 'event: x', 'id: 7', 'retry: 100', 'retry: x', 'foo: bar', '\n', '\r', '\r\n', '\n\n', ' ', 'a', 'é😀', '{"type":"text-delta"}', '[DONE]', ':data')

describe('createSseDataParser', () => {
  it('emits exactly what eventsource-parser emits, for random streams in random chunkings', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 12 }), (parts, cuts) => {
        const text = parts.join('')
        const expected = reference([text])
        expect(ours([text])).toEqual(expected)
        expect(ours(split(text, cuts))).toEqual(expected)
        expect(ours([...text])).toEqual(expected)
      }),
      { numRuns: 2_000 },
    )
  })

  it.each([
    ['LF', 'data: a\n\ndata: b\n\n', ['a', 'b']],
    ['CRLF', 'data: a\r\n\r\ndata: b\r\n\r\n', ['a', 'b']],
    ['CR', 'data: a\r\rdata: b\r\r', ['a', 'b']],
    ['multi-line data', 'data: {"a":\ndata: 1}\n\n', ['{"a":\n1}']],
    ['comments and other fields', ': ping\nevent: x\nid: 1\ndata: a\n\n', ['a']],
    ['no space after the colon', 'data:a\n\n', ['a']],
    ['only one leading space removed', 'data:  a\n\n', [' a']],
    ['an empty data line', 'data:\n\n', ['']],
    ['a field without a colon', 'data\n\n', ['']],
    ['a blank line without data', '\n\n: x\n\n', []],
  ])('%s', (_name, text, expected) => {
    expect(ours([text])).toEqual(expected)
    expect(reference([text])).toEqual(expected)
  })

  it('a CRLF split across chunks ends one line, not two', () => {
    expect(ours(['data: a\r', '\ndata: b\r', '\n\r', '\n'])).toEqual(['a\nb'])
  })
})

import { Lexer, type MarkedOptions, type Token, type TokensList } from 'marked'
import { prepareStreamingMarkdown } from './prepare'

export const LEXER_OPTIONS = { gfm: true, breaks: false, pedantic: false } satisfies MarkedOptions

type Links = TokensList['links']

/** What a streaming `Markdown` keeps between renderings: the blocks that can no longer change. */
export interface LexCache {
  /** The settled prefix of the (normalized) source. */
  prefixText: string
  /** Its top-level tokens. */
  prefix: Token[]
  /** Link reference definitions seen so far. */
  links: Links
}

export interface LexResult {
  blocks: Token[]
  cache: LexCache | undefined
}

const normalize = (text: string): string => (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text)

function lex(source: string, links?: Links): TokensList {
  const lexer = new Lexer(LEXER_OPTIONS)
  if (links !== undefined) Object.assign(lexer.tokens.links, links)
  return lexer.lex(source)
}

/**
 * Top-level block tokens of `text`.
 *
 * A finished text is lexed whole. A streaming text is lexed incrementally: the blocks that are followed by a blank
 * line and a complete block are settled (appending text can no longer change them), they are kept with their token
 * objects, and only the text after them is closed (`prepareStreamingMarkdown`) and lexed again. The cost of a delta is
 * then the size of the last blocks, not of the whole answer.
 */
export function lexBlocks(text: string, streaming: boolean, previous?: LexCache): LexResult {
  const source = normalize(text)
  if (!streaming) return { blocks: lex(source), cache: undefined }

  let base: LexCache = { prefixText: '', prefix: [], links: Object.create(null) as Links }
  if (previous !== undefined && source.startsWith(previous.prefixText)) base = previous
  const tail = source.slice(base.prefixText.length)
  const prepared = prepareStreamingMarkdown(tail)
  const tokens = lex(prepared.text, base.links)
  const blocks = base.prefix.length === 0 ? tokens.slice() : base.prefix.concat(tokens)

  // Advance the settled prefix: cut before the last complete block that follows a blank line.
  let offset = 0
  let cutIndex = 0
  let cutOffset = 0
  let total = 0
  for (const token of tokens) total += token.raw.length
  if (total === prepared.text.length) {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!
      const end = offset + token.raw.length
      if (i > 0 && i < tokens.length - 1 && tokens[i - 1]!.type === 'space' && end <= prepared.realLength) {
        cutIndex = i
        cutOffset = offset
      }
      offset = end
    }
  }
  if (cutIndex === 0) return { blocks, cache: base }
  return {
    blocks,
    cache: {
      prefixText: base.prefixText + tail.slice(0, cutOffset),
      prefix: base.prefix.concat(tokens.slice(0, cutIndex)),
      links: { ...base.links, ...tokens.links },
    },
  }
}

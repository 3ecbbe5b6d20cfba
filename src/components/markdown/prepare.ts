/**
 * Streaming safety: markdown that is still arriving is "closed" before it is parsed, so a rendering never shows a
 * construct that the next delta turns into something else (a paragraph that becomes a table, literal `**` that
 * becomes bold, code that is not yet in a code block).
 */

export interface PreparedMarkdown {
  /** The text to parse. */
  text: string
  /** `text` and the input agree on their first `realLength` characters; everything after was added or rewritten. */
  realLength: number
}

interface Fence {
  char: '`' | '~'
  length: number
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/
const TABLE_DELIMITER = /^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/
const PARTIAL_DELIMITER = /^ {0,3}\|?[\s:|-]*$/
/** A line that is only the start of a block marker (list bullet, heading, quote, setext underline, ordered number). */
const MARKER_ONLY = /^\s*(?:[-*+=_#>]{1,3}|\d{1,3}[.)]?)\s?$/

/** Escapes every ASCII punctuation character: the line then renders as literal text. */
export function escapeMarkdown(line: string): string {
  return line.replace(/[\\`*_{}[\]()#+\-.!|<>~&:"'=$%@^,;?/]/g, '\\$&')
}

const hasPipe = (line: string): boolean => /(^|[^\\])\|/.test(line)

function fenceOpening(line: string): Fence | undefined {
  const match = FENCE_OPEN.exec(line)
  if (match === null) return undefined
  const run = match[1] ?? ''
  const info = match[2] ?? ''
  // A backtick fence's info string may not contain backticks.
  if (run.startsWith('`') && info.includes('`')) return undefined
  return { char: run[0] === '~' ? '~' : '`', length: run.length }
}

function closesFence(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`+|~+)\s*$/.exec(line)
  return match !== null && match[1]![0] === fence.char && match[1]!.length >= fence.length
}

/**
 * Closes what is open at the end of a streaming markdown text:
 * - an unclosed code fence gets its closing fence (a partial closing or opening fence line is held back);
 * - a table's partial header (header + incomplete delimiter row) and an unterminated body row render as text;
 * - on the last line, a partial link drops its unfinished URL, and dangling `**`, `_`, `~~` and backticks are closed
 *   (or, when nothing follows them yet, held back);
 * - a last line that is only a block marker (`-`, `1.`, `#`, `>`) is held back until its content arrives.
 */
export function prepareStreamingMarkdown(input: string): PreparedMarkdown {
  const lines = input.split('\n')
  const lastIndex = lines.length - 1
  const lastStart = input.length - (lines[lastIndex]?.length ?? 0)
  let fence: Fence | undefined
  let fenceLine = -1
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (fence === undefined) {
      const opened = fenceOpening(line)
      if (opened !== undefined) {
        fence = opened
        fenceLine = i
      }
    } else if (closesFence(line, fence)) {
      fence = undefined
    }
  }

  const last = lines[lastIndex] ?? ''

  if (fence !== undefined) {
    if (fenceLine === lastIndex) {
      // The opening fence line itself is still arriving (its language too): hold it back.
      return { text: input.slice(0, lastStart), realLength: lastStart }
    }
    const closer = fence.char.repeat(Math.max(3, fence.length))
    // A last line that may become the closing fence is held back (it would flash as code).
    const partialClose = last !== '' && /^ {0,3}(`+|~+)$/.test(last) && last.trim()[0] === fence.char
    const body = partialClose ? input.slice(0, lastStart) : input
    return { text: `${body}${body.endsWith('\n') ? '' : '\n'}${closer}`, realLength: body.length }
  }

  if (last === '') return { text: input, realLength: input.length }

  // A fence opening (or what may become one) is held back until its line ends.
  if (/^ {0,3}(`{3,}|~{3,})/.test(last) || /^ {0,3}(`{1,2}|~{1,2})$/.test(last) || MARKER_ONLY.test(last)) {
    return { text: input.slice(0, lastStart), realLength: lastStart }
  }

  // Tables: find the run of non-blank lines that ends with the last line.
  let groupStart = lastIndex
  while (groupStart > 0 && (lines[groupStart - 1] ?? '').trim() !== '') groupStart--
  const previous = lastIndex > groupStart ? (lines[lastIndex - 1] ?? '') : undefined
  if (lastIndex - groupStart >= 2 && hasPipe(last)) {
    // Is the group a table (a header then a complete delimiter row) that this unterminated row extends?
    for (let h = groupStart; h + 1 < lastIndex; h++) {
      if (hasPipe(lines[h]!) && TABLE_DELIMITER.test(lines[h + 1]!)) {
        const text = `${input.slice(0, lastStart)}\n${escapeMarkdown(last)}`
        return { text, realLength: lastStart }
      }
    }
  }
  if (previous !== undefined && hasPipe(previous) && PARTIAL_DELIMITER.test(last) && /[-|]/.test(last)) {
    // A header whose delimiter row is still arriving: text until the delimiter row is complete.
    const headerStart = lastStart - previous.length - 1
    return { text: `${input.slice(0, headerStart)}${escapeMarkdown(previous)}\n${escapeMarkdown(last)}`, realLength: headerStart }
  }

  const closed = closeInline(last)
  return { text: input.slice(0, lastStart) + closed.text, realLength: lastStart + closed.realLength }
}

const isSpace = (ch: string | undefined): boolean => ch === undefined || /\s/.test(ch)
const isPunct = (ch: string | undefined): boolean => ch !== undefined && /[\p{P}\p{S}]/u.test(ch)

interface Opener {
  char: string
  length: number
  /** Where the run starts in the line. */
  at: number
}

/** Closes dangling inline markers of one (unterminated) line. */
export function closeInline(line: string): PreparedMarkdown {
  let text = line
  let realLength = line.length
  // A link or image whose URL is still arriving: drop the partial URL (an empty href renders as plain text).
  const partialLink = /(!?\[[^\]\n]*\])\(([^)\s]*)$/.exec(text)
  if (partialLink !== null) {
    const start = partialLink.index + partialLink[1]!.length
    text = `${text.slice(0, start)}()`
    realLength = start
  }

  const stack: Opener[] = []
  let codeCloser: string | undefined
  let codeAt = -1
  let danglingAt = -1
  for (let i = 0; i < text.length; ) {
    const ch = text[i]!
    if (ch === '\\') {
      i += 2
      continue
    }
    if (ch === '`') {
      let n = 1
      while (text[i + n] === '`') n++
      const run = '`'.repeat(n)
      let j = i + n
      let found = -1
      while (j < text.length) {
        const k = text.indexOf(run, j)
        if (k < 0) break
        if (text[k + n] !== '`' && text[k - 1] !== '`') {
          found = k
          break
        }
        j = k + 1
        while (text[j] === '`') j++
      }
      if (found < 0) {
        codeCloser = run
        codeAt = i
        break
      }
      i = found + n
      continue
    }
    if (ch === '*' || ch === '_' || ch === '~') {
      let n = 1
      while (text[i + n] === ch) n++
      const before = text[i - 1]
      const after = text[i + n]
      const leftFlanking = !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before))
      const rightFlanking = !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after))
      let canOpen = leftFlanking
      let canClose = rightFlanking
      if (ch === '_') {
        canOpen = leftFlanking && (!rightFlanking || isPunct(before))
        canClose = rightFlanking && (!leftFlanking || isPunct(after))
      }
      if (ch === '~' && n > 2) {
        canOpen = false
        canClose = false
      }
      const length = Math.min(n, 3)
      let consumed = false
      if (canClose) {
        for (let s = stack.length - 1; s >= 0; s--) {
          if (stack[s]!.char === ch) {
            stack.length = s
            consumed = true
            break
          }
        }
      }
      if (!consumed && canOpen) stack.push({ char: ch, length, at: i })
      // A run at the very end after a space may still become an opener: hold it back.
      if (!consumed && !canOpen && after === undefined && isSpace(before)) danglingAt = i
      i += n
      continue
    }
    i++
  }

  if (codeCloser !== undefined) {
    // An open code span: close it, unless nothing follows its opening backticks yet (then hold them back).
    if (text.slice(codeAt + codeCloser.length).trim() === '') {
      const kept = text.slice(0, codeAt)
      return { text: kept, realLength: Math.min(realLength, codeAt) }
    }
    // Emphasis opened before the code span closes after it.
    const openers = stack.filter((o) => o.at < codeAt)
    return { text: text + codeCloser + closers(openers), realLength }
  }
  let end = text.length
  if (danglingAt >= 0) end = danglingAt
  if (stack.length === 0 && end === text.length) return { text, realLength }

  // Closing markers must follow a non-space character; openers with nothing after them yet are held back.
  while (end > 0 && isSpace(text[end - 1])) end--
  while (stack.length > 0 && stack[stack.length - 1]!.at + stack[stack.length - 1]!.length >= end) {
    const top = stack.pop()!
    end = top.at
    while (end > 0 && isSpace(text[end - 1])) end--
  }
  const kept = text.slice(0, end)
  return { text: kept + closers(stack), realLength: Math.min(realLength, end) }
}

function closers(stack: Opener[]): string {
  let out = ''
  for (let s = stack.length - 1; s >= 0; s--) out += stack[s]!.char.repeat(stack[s]!.length)
  return out
}

import { memo, useCallback, useMemo, useRef, type MouseEvent } from 'react'
import type { Token } from 'marked'
import { lexBlocks, type LexCache } from './markdown/lex'
import { renderBlockHtml, type RenderStrings } from './markdown/render'
import { useChatStrings, type ChatStrings } from './strings'
import { cx } from './util'

export interface MarkdownProps {
  /** The markdown source (model output: raw HTML in it is shown as text). */
  text: string
  /** The text is still arriving: open constructs are closed before parsing and only the last blocks re-render. */
  streaming?: boolean
  className?: string
  strings?: Partial<ChatStrings>
}

interface BlockProps {
  token: Token
  strings: RenderStrings
}

/** One top-level block, re-rendered only when its raw text changes. */
const MarkdownBlock = memo(
  function MarkdownBlock({ token, strings }: BlockProps) {
    const html = renderBlockHtml(token, strings)
    if (html === '') return null
    // No sanitizer (no DOM): the block's source as text.
    if (html === undefined) return <p className="oc-md-block oc-md-plain">{token.raw}</p>
    return <div className="oc-md-block" dangerouslySetInnerHTML={{ __html: html }} />
  },
  (a, b) => a.token.raw === b.token.raw && a.token.type === b.token.type && a.strings === b.strings,
)

const COPIED_MS = 2000

async function copyText(text: string): Promise<boolean> {
  const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard
  if (clipboard?.writeText === undefined) return false
  try {
    await clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}

/**
 * Markdown of model output: `marked` block tokens, each rendered to HTML, sanitized by DOMPurify and memoized by its raw
 * text. Raw HTML is escaped, links are http(s)/mailto only and open in a new tab, images are links (never loaded),
 * code blocks are highlighted with a language label and a Copy button.
 */
export const Markdown = memo(function Markdown({ text, streaming = false, className, strings: override }: MarkdownProps) {
  const strings = useChatStrings(override)
  const { copyCode, copied, copyCodeLabel } = strings
  const renderStrings = useMemo<RenderStrings>(() => ({ copyCode, copyCodeLabel }), [copyCode, copyCodeLabel])
  const cache = useRef<LexCache | undefined>(undefined)
  const blocks = useMemo(() => {
    const result = lexBlocks(text, streaming, cache.current)
    cache.current = result.cache
    return result.blocks
  }, [text, streaming])

  const onClick = useCallback(
    (event: MouseEvent<HTMLDivElement>) => {
      const target = event.target as Element | null
      const button = target?.closest?.('[data-oc-copy]')
      if (button === null || button === undefined || !event.currentTarget.contains(button)) return
      const code = button.closest('.oc-code')?.querySelector('code')?.textContent ?? ''
      const label = button.getAttribute('aria-label') ?? ''
      void copyText(code).then((ok) => {
        if (!ok) return
        button.textContent = copied
        button.setAttribute('aria-label', copied)
        button.setAttribute('data-copied', '')
        setTimeout(() => {
          if (!button.isConnected) return
          button.textContent = copyCode
          button.setAttribute('aria-label', label)
          button.removeAttribute('data-copied')
        }, COPIED_MS)
      })
    },
    [copied, copyCode],
  )

  return (
    <div className={cx('oc-md', className)} data-streaming={streaming ? '' : undefined} onClick={onClick}>
      {blocks.map((token, index) => (
        <MarkdownBlock key={index} token={token} strings={renderStrings} />
      ))}
    </div>
  )
})

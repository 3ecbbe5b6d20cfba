import DOMPurify, { type Config, type DOMPurify as Purifier } from 'dompurify'
import hljs from 'highlight.js/lib/core'
import bash from 'highlight.js/lib/languages/bash'
import css from 'highlight.js/lib/languages/css'
import diff from 'highlight.js/lib/languages/diff'
import javascript from 'highlight.js/lib/languages/javascript'
import json from 'highlight.js/lib/languages/json'
import markdown from 'highlight.js/lib/languages/markdown'
import python from 'highlight.js/lib/languages/python'
import typescript from 'highlight.js/lib/languages/typescript'
import xml from 'highlight.js/lib/languages/xml'
import yaml from 'highlight.js/lib/languages/yaml'
import { Marked, type Token, type Tokens } from 'marked'
import { defaultStrings } from '../strings'
import { LEXER_OPTIONS } from './lex'

/** Strings the HTML renderer needs (the copy button of code blocks). */
export interface RenderStrings {
  copyCode: string
  copyCodeLabel: (language: string) => string
}

const languages = { bash, css, diff, javascript, json, markdown, python, typescript, xml, yaml }
for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language)
hljs.registerAliases(['sh', 'shell', 'zsh', 'console'], { languageName: 'bash' })
hljs.registerAliases(['js', 'jsx', 'mjs', 'cjs'], { languageName: 'javascript' })
hljs.registerAliases(['ts', 'tsx', 'mts', 'cts'], { languageName: 'typescript' })
hljs.registerAliases(['html', 'svg', 'htm'], { languageName: 'xml' })
hljs.registerAliases(['yml'], { languageName: 'yaml' })
hljs.registerAliases(['md'], { languageName: 'markdown' })
hljs.registerAliases(['py'], { languageName: 'python' })
hljs.registerAliases(['patch'], { languageName: 'diff' })

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

const LINK_SCHEMES = /^(?:https?:|mailto:)/i
const IMAGE_SCHEMES = /^https?:/i

/** The href if it is an absolute http(s)/mailto URL, else undefined (the link then renders as plain text). */
export function safeHref(href: string | null | undefined, schemes: RegExp = LINK_SCHEMES): string | undefined {
  if (typeof href !== 'string') return undefined
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"): strip them before checking.
  // eslint-disable-next-line no-control-regex
  const trimmed = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '')
  if (!schemes.test(trimmed)) return undefined
  return trimmed
}

/** Highlighted HTML for `code` (escaped plain text for an unknown language). Not sanitized: see `renderBlockHtml`. */
export function highlightCode(code: string, language: string | undefined): string {
  const lang = language !== undefined && hljs.getLanguage(language) !== undefined ? language : undefined
  if (lang === undefined) return escapeHtml(code)
  try {
    return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value
  } catch {
    return escapeHtml(code)
  }
}

const linkAttrs = (href: string, title: string | null | undefined): string =>
  `href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ''} target="_blank" rel="noopener noreferrer"`

let renderStrings: RenderStrings = defaultStrings

const marked = new Marked({
  ...LEXER_OPTIONS,
  async: false,
  renderer: {
    // No raw HTML from the model: it is shown as text.
    html(token: Tokens.HTML | Tokens.Tag): string {
      const text = escapeHtml(token.text)
      return token.block ? `<p class="oc-md-html">${text.replace(/\n+$/, '')}</p>\n` : text
    },
    link(token: Tokens.Link): string {
      const inner = this.parser.parseInline(token.tokens)
      const href = safeHref(token.href)
      return href === undefined ? inner : `<a ${linkAttrs(href, token.title)}>${inner}</a>`
    },
    // Images are never loaded (strict CSP, no tracking pixels): a link named by the alt text.
    image(token: Tokens.Image): string {
      const href = safeHref(token.href, IMAGE_SCHEMES)
      const label = escapeHtml(token.text || token.href || '')
      return href === undefined ? label : `<a class="oc-md-image" ${linkAttrs(href, token.title)}>${label}</a>`
    },
    code(token: Tokens.Code): string {
      const lang = (token.lang ?? '').trim().split(/\s+/)[0] ?? ''
      const safeLang = /^[\w+#.-]{1,32}$/.test(lang) ? lang : ''
      const code = token.text.replace(/\n$/, '')
      const highlighted = highlightCode(code, safeLang || undefined)
      const label = safeLang ? `<span class="oc-code-lang">${escapeHtml(safeLang)}</span>` : '<span class="oc-code-lang"></span>'
      const langClass = safeLang ? ` language-${escapeHtml(safeLang.toLowerCase())}` : ''
      return (
        `<div class="oc-code"><div class="oc-code-header">${label}` +
        `<button type="button" class="oc-code-copy" data-oc-copy="" aria-label="${escapeHtml(renderStrings.copyCodeLabel(safeLang))}">` +
        `${escapeHtml(renderStrings.copyCode)}</button></div>` +
        `<pre class="oc-code-pre"><code class="hljs${langClass}">${highlighted}</code></pre></div>\n`
      )
    },
  },
})

const ALLOWED_TAGS = [
  'a', 'blockquote', 'br', 'button', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'input', 'li',
  'ol', 'p', 'pre', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul', 's', 'sup', 'sub',
]
const ALLOWED_ATTR = ['href', 'title', 'class', 'target', 'rel', 'align', 'start', 'type', 'checked', 'disabled', 'aria-label', 'data-oc-copy']

const PURIFY_CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  // Values without a scheme pass (attribute values such as type="checkbox" are checked with it too); the hook below
  // then keeps only http(s)/mailto hrefs.
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  FORBID_ATTR: ['style'],
  FORBID_TAGS: ['style', 'script', 'svg', 'math', 'img', 'iframe', 'object', 'embed', 'form'],
  KEEP_CONTENT: true,
}

let purifier: Purifier | null | undefined

/** A private DOMPurify instance (hooks never touch the host app's), or null where there is no DOM (SSR). */
function getPurifier(): Purifier | null {
  if (purifier !== undefined) return purifier
  if (typeof window === 'undefined') return (purifier = null)
  const instance = DOMPurify(window)
  if (!instance.isSupported) return (purifier = null)
  // Set once: `sanitize(html, config)` would parse the config again on every call (a block per streamed frame).
  instance.setConfig({ ...PURIFY_CONFIG, RETURN_TRUSTED_TYPE: false })
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      const href = node.getAttribute('href')
      if (href !== null && safeHref(href) === undefined) node.removeAttribute('href')
      if (node.getAttribute('href') === null) {
        node.removeAttribute('target')
        node.removeAttribute('rel')
      } else {
        node.setAttribute('target', '_blank')
        node.setAttribute('rel', 'noopener noreferrer')
      }
    }
    if (node.nodeName === 'INPUT' && node.getAttribute('type') !== 'checkbox') node.remove()
    if (node.nodeName === 'INPUT') node.setAttribute('disabled', '')
  })
  return (purifier = instance)
}

/** Sanitizes an HTML string for `dangerouslySetInnerHTML`; undefined where no sanitizer can run (render text instead). */
export function sanitizeHtml(html: string): string | undefined {
  const instance = getPurifier()
  if (instance === null) return undefined
  return instance.sanitize(html) as string
}

/**
 * One top-level block as sanitized HTML (undefined when no sanitizer is available). `space` and `def` tokens
 * render nothing.
 */
export function renderBlockHtml(token: Token, strings: RenderStrings): string | undefined {
  if (token.type === 'space' || token.type === 'def') return ''
  renderStrings = strings
  let html = marked.parser([token])
  // Tables scroll horizontally in a wrapper (narrow side panels). Model text cannot produce a literal `<table>`.
  if (html.includes('<table>')) html = html.replace(/<table>/g, '<div class="oc-md-table"><table>').replace(/<\/table>/g, '</table></div>')
  return sanitizeHtml(html)
}

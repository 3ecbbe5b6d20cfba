// @vitest-environment jsdom
import { act, cleanup, fireEvent, render } from '@testing-library/react'
import { Lexer } from 'marked'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Markdown } from '../../src/components'
import { lexBlocks, type LexCache } from '../../src/components/markdown/lex'
import { prepareStreamingMarkdown } from '../../src/components/markdown/prepare'
import { sanitizeHtml } from '../../src/components/markdown/render'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

const md = (text: string, streaming = false) => render(<Markdown text={text} streaming={streaming} />).container

/** No element may carry an event handler, a style attribute or a non-http(s)/mailto URL. */
function expectInert(root: Element) {
  for (const el of Array.from(root.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      expect(attr.name.startsWith('on'), `${el.tagName} ${attr.name}`).toBe(false)
      expect(attr.name).not.toBe('style')
      expect(attr.name).not.toBe('src')
      if (attr.name === 'href') expect(attr.value).toMatch(/^(https?:|mailto:)/i)
    }
  }
  expect(root.querySelector('script, img, svg, iframe, object, embed, style, math, form')).toBeNull()
}

describe('Markdown sanitization', () => {
  it('escapes script tags: shown as text, never an element', () => {
    const root = md('Hello <script>alert(1)</script>\n\n<script>\nalert(2)\n</script>')
    expect(root.querySelector('script')).toBeNull()
    expect(root.textContent).toContain('<script>alert(1)</script>')
    expect(root.textContent).toContain('alert(2)')
    expectInert(root)
  })

  it('renders javascript:, data: and relative links as plain text', () => {
    const root = md(
      '[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](data:text/html;base64,PHNjcmlwdD4=) [d](/relative) [e](vbscript:x) <javascript:alert(3)>',
    )
    expect(root.querySelectorAll('a')).toHaveLength(0)
    expect(root.textContent).toContain('a b c d e')
    expectInert(root)
  })

  it('never creates an <img> (onerror payloads and markdown images alike)', () => {
    const root = md('<img src=x onerror=alert(1)>\n\nInline <img src="x" onerror="alert(1)"> and ![pixel](https://tracker.example/p.gif "t")')
    expect(root.querySelector('img')).toBeNull()
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>')
    const image = root.querySelector('a.oc-md-image')
    expect(image?.textContent).toBe('pixel')
    expect(image?.getAttribute('href')).toBe('https://tracker.example/p.gif')
    expectInert(root)
  })

  it('escapes SVG payloads', () => {
    const root = md('<svg onload=alert(1)><script>alert(2)</script></svg>\n\ntext <svg><a xlink:href="javascript:alert(3)">x</a></svg>')
    expect(root.querySelector('svg')).toBeNull()
    expect(root.textContent).toContain('<svg onload=alert(1)>')
    expectInert(root)
  })

  it('escapes raw HTML instead of rendering it', () => {
    const root = md('<div class="x" style="color:red">block</div>\n\nsome <b>bold</b> and <a href="https://x.y">tag</a>')
    expect(root.querySelector('b, div.x')).toBeNull()
    expect(root.querySelector('a')).toBeNull()
    expect(root.textContent).toContain('<b>bold</b>')
    expect(root.textContent).toContain('<div class="x" style="color:red">block</div>')
    expectInert(root)
  })

  it('opens every link in a new tab with rel="noopener noreferrer"', () => {
    const root = md('[site](https://example.com "Title") <https://auto.example> www.bare.example [mail](mailto:a@b.c)')
    const links = Array.from(root.querySelectorAll('a'))
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com', 'https://auto.example', 'http://www.bare.example', 'mailto:a@b.c'])
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank')
      expect(a.getAttribute('rel')).toBe('noopener noreferrer')
    }
    expect(links[0]?.getAttribute('title')).toBe('Title')
  })

  it('sanitizes HTML strings as a second line of defense', () => {
    const host = document.createElement('div')
    host.innerHTML = sanitizeHtml(
      '<a href="javascript:alert(1)" target="_self">x</a><a href="https://ok.example">y</a><img src=x onerror=alert(1)>' +
        '<p style="color:red" onclick="alert(1)">z</p><svg><script>alert(1)</script></svg><iframe src="https://e.x"></iframe><style>*{}</style>',
    )!
    const [bad, good] = Array.from(host.querySelectorAll('a'))
    expect(bad?.hasAttribute('href')).toBe(false)
    expect(bad?.hasAttribute('target')).toBe(false)
    expect(good?.getAttribute('target')).toBe('_blank')
    expect(good?.getAttribute('rel')).toBe('noopener noreferrer')
    expect(host.querySelector('p')?.textContent).toBe('z')
    expectInert(host)
  })

  it('renders GFM: headings, lists, tables (in a scroll wrapper), task lists, strikethrough', () => {
    const root = md('## Title\n\n- one\n- two\n\n| a | b |\n| --- | :-: |\n| 1 | 2 |\n\n- [x] done\n\n~~old~~')
    expect(root.querySelector('h2')?.textContent).toBe('Title')
    expect(root.querySelectorAll('li').length).toBeGreaterThanOrEqual(3)
    expect(root.querySelector('.oc-md-table > table td')?.textContent).toBe('1')
    const box = root.querySelector('input')
    expect(box?.getAttribute('type')).toBe('checkbox')
    expect(box?.hasAttribute('disabled')).toBe(true)
    expect(root.querySelector('del')?.textContent).toBe('old')
    expectInert(root)
  })
})

describe('Markdown code blocks', () => {
  it('highlights, labels the language and copies with a "Copied" state', async () => {
    vi.useFakeTimers()
    const writeText = vi.fn(() => Promise.resolve())
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const root = md('```ts\nconst answer: number = 42\n```')
    expect(root.querySelector('.oc-code-lang')?.textContent).toBe('ts')
    expect(root.querySelector('code.hljs.language-ts .hljs-keyword')?.textContent).toBe('const')
    const button = root.querySelector<HTMLButtonElement>('button.oc-code-copy')!
    expect(button.getAttribute('type')).toBe('button')
    expect(button.getAttribute('aria-label')).toBe('Copy ts code')
    expect(button.textContent).toBe('Copy')
    await act(async () => {
      fireEvent.click(button)
      await Promise.resolve()
    })
    expect(writeText).toHaveBeenCalledWith('const answer: number = 42')
    expect(button.textContent).toBe('Copied')
    act(() => vi.advanceTimersByTime(2500))
    expect(button.textContent).toBe('Copy')
  })

  it('escapes code of unknown languages and keeps HTML in code as text', () => {
    const root = md('```weird<script>\n<img src=x onerror=alert(1)>\n```')
    expect(root.querySelector('img, script')).toBeNull()
    expect(root.querySelector('code')?.textContent).toBe('<img src=x onerror=alert(1)>')
    expectInert(root)
  })

  it('takes its labels from the strings', () => {
    const { container } = render(<Markdown text={'```\nx\n```'} strings={{ copyCode: 'Kopieren', copyCodeLabel: () => 'Code kopieren' }} />)
    expect(container.querySelector('.oc-code-copy')?.textContent).toBe('Kopieren')
    expect(container.querySelector('.oc-code-copy')?.getAttribute('aria-label')).toBe('Code kopieren')
  })
})

describe('Markdown streaming safety', () => {
  it('renders an unclosed fence as a code block', () => {
    const root = md('Here:\n\n```python\nprint("hi")\nfor i in', true)
    const code = root.querySelector('pre code')
    expect(code?.textContent).toBe('print("hi")\nfor i in')
    expect(root.querySelector('.oc-code-lang')?.textContent).toBe('python')
    expect(root.textContent).not.toContain('```')
  })

  it('holds back a partial fence line (opening or closing)', () => {
    expect(md('Text\n\n```ty', true).textContent?.trim()).toBe('Text')
    const root = md('```js\nlet a\n``', true)
    expect(root.querySelector('pre code')?.textContent).toBe('let a')
  })

  it('renders a partial table header as text, not a broken table', () => {
    const root = md('| option | default |\n| --- | -', true)
    expect(root.querySelector('table')).toBeNull()
    expect(root.textContent).toContain('| option | default |')
    // Without streaming safety marked would render a table here.
    expect(md('| option | default |\n| --- | -').querySelector('table')).not.toBeNull()
  })

  it('keeps an unterminated table row out of the table until its line ends', () => {
    const text = '| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | fo'
    const root = md(text, true)
    expect(root.querySelectorAll('tbody tr')).toHaveLength(1)
    expect(root.querySelector('table')?.textContent).not.toContain('fo')
    expect(root.textContent).toContain('| 3 | fo')
    const done = md(`${text}o |\n`, true)
    expect(done.querySelectorAll('tbody tr')).toHaveLength(2)
    // The finished (non-streaming) text renders the last row in the table.
    cleanup()
    expect(md(text).querySelectorAll('tbody tr')).toHaveLength(2)
  })

  it('closes dangling **, _, ~~ and backticks on the last line', () => {
    expect(md('This is **very imp', true).querySelector('strong')?.textContent).toBe('very imp')
    expect(md('an _emphasised wo', true).querySelector('em')?.textContent).toBe('emphasised wo')
    expect(md('use `npm ru', true).querySelector('code')?.textContent).toBe('npm ru')
    expect(md('~~gone', true).querySelector('del')?.textContent).toBe('gone')
    expect(md('snake_case_name stays', true).querySelector('em')).toBeNull()
    // A marker with nothing after it yet is held back rather than shown.
    expect(md('Hello **', true).textContent?.trim()).toBe('Hello')
    expect(md('a - b _', true).textContent?.trim()).toBe('a - b')
    expect(md('Run `', true).textContent?.trim()).toBe('Run')
  })

  it('does not flash a partial link URL', () => {
    const root = md('See [the docs](https://hono.dev/do', true)
    expect(root.querySelector('a')).toBeNull()
    expect(root.textContent?.trim()).toBe('See the docs')
  })

  it('prepareStreamingMarkdown reports how much of the text is unchanged', () => {
    expect(prepareStreamingMarkdown('done\n')).toEqual({ text: 'done\n', realLength: 5 })
    expect(prepareStreamingMarkdown('```\ncode')).toEqual({ text: '```\ncode\n```', realLength: 8 })
    expect(prepareStreamingMarkdown('a **b')).toEqual({ text: 'a **b**', realLength: 5 })
    expect(prepareStreamingMarkdown('list:\n- ')).toEqual({ text: 'list:\n', realLength: 6 })
  })
})

const CORPUS = [
  [
    '## Streaming SSE with Hono',
    '',
    'Use `streamSSE` and write **one frame per event**:',
    '',
    '```ts',
    "app.get('/events', (c) => streamSSE(c, async (stream) => {",
    "  await stream.writeSSE({ data: JSON.stringify({ type: 'text-delta' }) })",
    '',
    '}))',
    '```',
    '',
    '| option | default | meaning |',
    '| --- | --- | --- |',
    '| `stallTimeoutMs` | 45000 | no byte for this long = stalled |',
    '| `stopGraceMs` | 2000 | close locally if the stop is not confirmed |',
    '',
    '- lists work',
    '- and [links](https://example.com) too',
  ].join('\n'),
  '1. first\n\n2. second *item*\n   continued\n\n   ```bash\n   npm i\n   ```\n3. third\n\n> quote **bold**\n> more\n\nafter\n===\n\n---\n\n[ref]: https://ref.example\n\nuse [ref] and ~~strike~~ _em_ ***both***\n\n    indented code\n\nend',
  '- a\n\n- b\n\n  nested para\n\n  - deep\n\nplain <b>html</b> & entities &amp;\n\n~~~\ntilde fence\n~~~\n\n| x |\n|---|\n| 1 |\n\nlast line with `code` and **bold** and _it_',
]

const shape = (tokens: { type: string; raw: string }[]) => tokens.map((t) => `${t.type}:${t.raw}`)

describe('Markdown incremental lexing', () => {
  it('gives the same blocks as lexing the whole closed text, at every prefix', () => {
    for (const text of CORPUS) {
      let cache: LexCache | undefined
      for (let n = 0; n <= text.length; n++) {
        const prefix = text.slice(0, n)
        const result = lexBlocks(prefix, true, cache)
        cache = result.cache
        const full = new Lexer({ gfm: true }).lex(prepareStreamingMarkdown(prefix).text)
        expect(shape(result.blocks), JSON.stringify(prefix)).toEqual(shape(full))
      }
    }
  })

  it('settles blocks: a block that is not among the last ones keeps its type at every later prefix', () => {
    for (const text of CORPUS) {
      let cache: LexCache | undefined
      let settled: string[] = []
      for (let n = 0; n <= text.length; n++) {
        const result = lexBlocks(text.slice(0, n), true, cache)
        cache = result.cache
        const types = result.blocks.map((t) => t.type)
        expect(types.slice(0, settled.length)).toEqual(settled)
        settled = cache === undefined ? [] : cache.prefix.map((t) => t.type)
      }
      expect(cache?.prefix.length ?? 0).toBeGreaterThan(3)
    }
  })

  it('never renders a table row with missing cells while streaming', () => {
    const text = CORPUS[0]!
    for (let n = 0; n <= text.length; n++) {
      for (const token of lexBlocks(text.slice(0, n), true).blocks) {
        if (token.type !== 'table') continue
        const header = token.header as unknown[]
        for (const row of token.rows as { text: string }[][]) {
          expect(row).toHaveLength(header.length)
          expect(row.every((cell) => cell.text !== '')).toBe(true)
        }
      }
    }
  })
})

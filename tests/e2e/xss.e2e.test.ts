/**
 * An XSS corpus in every place a server controls — assistant text, reasoning, tool labels/subjects/arguments/
 * results, error messages, history — rendered by the built demo in real Chromium. Every payload tries to call
 * `window.__pwn()`; the test counts calls (and dialogs): 0.
 */
import { rm } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it, describe } from 'vitest'
import { builtInScenarios, frame, type Scenario } from '../../src/mock'
import { artifactPath, buildDemo, chromiumPath, launchChromium, serveDemo, STRICT_CSP, type Browser, type DemoServer } from './harness'

const CALL = '__pwn()'
export const XSS_PAYLOADS: readonly string[] = [
  `<script>${CALL}</script>`,
  `<img src=x onerror="${CALL}">`,
  `<svg onload="${CALL}"><circle r="5"/></svg>`,
  `<svg><script>${CALL}</script></svg>`,
  `<iframe srcdoc="<script>parent.${CALL}</script>"></iframe>`,
  `<a href="javascript:${CALL}">click me</a>`,
  `[markdown link](javascript:${CALL})`,
  `[data link](data:text/html,<script>${CALL}</script>)`,
  `[spaced](  javascript:${CALL}  )`,
  `[entity](jav&#x09;ascript:${CALL})`,
  `![image onerror](x" onerror="${CALL})`,
  `![tracking pixel](https://evil.invalid/p.gif?${CALL})`,
  `<details open ontoggle="${CALL}">x</details>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${CALL}">`,
  `<form><button formaction="javascript:${CALL}">go</button></form>`,
  `<object data="javascript:${CALL}"></object>`,
  `<body onload="${CALL}">`,
  `<style>@import 'javascript:${CALL}';</style>`,
  '```html\n<script>' + CALL + '</script>\n```',
  `<div style="background:url(javascript:${CALL})">styled</div>`,
  `<input autofocus onfocus="${CALL}">`,
  `<marquee onstart="${CALL}">m</marquee>`,
  `[ref link][r]\n\n[r]: javascript:${CALL}`,
  `<https://ok.example/?q=<img src=x onerror=${CALL}>>`,
]

const corpus = XSS_PAYLOADS.join('\n\n')

const xss: Scenario = {
  id: 'xss',
  title: 'XSS corpus',
  steps: (c) => [
    frame('lifecycle', { phase: 'start', runId: c.runId }),
    frame('reasoning-delta', { text: corpus }),
    ...XSS_PAYLOADS.map((p, i) => frame('tool-start', { toolCallId: `x${i}`, toolName: p, label: p, subject: p, arguments: { html: p, [p]: p } })),
    ...XSS_PAYLOADS.map((p, i) => frame('tool-end', { toolCallId: `x${i}`, isError: i % 2 === 0, output: i % 3 === 0 ? p : { html: p } })),
    ...XSS_PAYLOADS.map((p) => frame('text-delta', { text: `${p}\n\n` })),
    frame('error', { message: corpus, errorKind: 'unknown' }),
    { frame: '[DONE]' },
  ],
}

const run = chromiumPath === undefined ? describe.skip : describe
let dir: string
let browser: Browser
let server: DemoServer

async function countExecutions(page: Page): Promise<() => number> {
  let calls = 0
  await page.exposeFunction('__pwnReport', () => {
    calls += 1
  })
  await page.addInitScript(() => {
    const w = globalThis as unknown as { __pwn: () => void; __pwnReport: () => void }
    w.__pwn = () => w.__pwnReport()
  })
  page.on('dialog', (d) => {
    calls += 1
    void d.dismiss()
  })
  return () => calls
}

run('XSS corpus in real Chromium', () => {
  beforeAll(async () => {
    dir = await buildDemo()
    browser = await launchChromium()
    // No CSP here: the rendering itself must be inert, not only the policy.
    server = await serveDemo(dir, { mock: { delayScale: 0, scenarios: [...builtInScenarios, xss] } })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  it('renders every payload inert: 0 executions, no script-capable markup, only safe links', async () => {
    const page = await browser.context.newPage()
    const executions = await countExecutions(page)
    await page.goto(server.url)
    const box = page.getByRole('textbox', { name: 'Message' })
    await box.waitFor()
    await box.fill(`[scenario:xss] ${XSS_PAYLOADS[1]}`)
    await page.keyboard.press('Enter')
    await page.getByRole('alert').waitFor({ timeout: 15_000 })
    // open every tool card and the reasoning block so their contents are in the DOM and visible
    for (const header of await page.locator('.oc-tool-header').all()) await header.click()
    await page.locator('.oc-reasoning-toggle').first().click()
    // hover and focus everything interactive, as a reader would
    for (const link of await page.locator('.oc-message a').all()) await link.hover()
    await page.waitForTimeout(300)
    await page.screenshot({ path: await artifactPath('08-xss-corpus.png'), fullPage: true })

    expect(executions()).toBe(0)
    const report = await page.evaluate(() => {
      const root = document.querySelector('.oc-chat') ?? document.body
      // what the server controls: the thread (messages, reasoning, tool cards) and the error banner
      const all = [...root.querySelectorAll('.oc-thread *, .oc-error *')]
      return {
        dangerousTags: all.filter((el) => ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'FORM', 'STYLE', 'BASE', 'META', 'LINK'].includes(el.tagName)).map((el) => el.tagName),
        handlerAttributes: all.flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName}[${a.name}]`)),
        styleAttributes: all.filter((el) => el.closest('.oc-markdown') !== null && el.hasAttribute('style')).length,
        hrefs: [...root.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? ''),
        images: [...root.querySelectorAll('.oc-markdown img, .oc-markdown svg image')].length,
        linkRels: [...root.querySelectorAll('.oc-markdown a[href]')].map((a) => `${a.getAttribute('target')} ${a.getAttribute('rel')}`),
      }
    })
    expect(report.dangerousTags).toEqual([])
    expect(report.handlerAttributes).toEqual([])
    expect(report.styleAttributes).toBe(0)
    expect(report.images).toBe(0)
    for (const href of report.hrefs) expect(href).toMatch(/^(https?:|mailto:)/i)
    for (const rel of report.linkRels) expect(rel).toBe('_blank noopener noreferrer')
    // the payloads are shown as text, not swallowed
    expect(await page.locator('.oc-message[data-role="assistant"]').last().textContent()).toContain('click me')
    expect(executions()).toBe(0)
    await page.close()
  }, 60_000)

  it('is just as inert under the strict extension CSP', async () => {
    const strict = await serveDemo(dir, { csp: STRICT_CSP, mock: { delayScale: 0, scenarios: [...builtInScenarios, xss] } })
    try {
      const page = await browser.context.newPage()
      const executions = await countExecutions(page)
      await page.goto(strict.url)
      await page.getByRole('textbox', { name: 'Message' }).fill(`[scenario:xss] go`)
      await page.keyboard.press('Enter')
      await page.getByRole('alert').waitFor({ timeout: 15_000 })
      expect(executions()).toBe(0)
      await page.close()
    } finally {
      await strict.close()
    }
  }, 60_000)
})

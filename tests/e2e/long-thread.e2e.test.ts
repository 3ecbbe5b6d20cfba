/**
 * The virtualized Thread in Chromium, on the benchmark pages (bench/browser): a 10,000-message session opens at the
 * end with a bounded DOM, "Jump to latest" and find-in-page work on it, and a streamed answer into a 500-message thread
 * keeps the view pinned to the end.
 */
import { rm } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildBenchPages } from '../../bench/browser/run'
import { chromiumPath, launchChromium, serveDemo, type Browser, type DemoServer } from './harness'

const run = chromiumPath === undefined ? describe.skip : describe

let dir: string
let browser: Browser
let server: DemoServer

async function open(path: string): Promise<Page> {
  const page = await browser.context.newPage()
  await page.goto(`${server.url}/${path}`)
  await page.waitForFunction(() => (window as unknown as { __bench?: { ready?: boolean } }).__bench?.ready === true, null, { timeout: 60_000 })
  return page
}

const distanceFromEnd = (page: Page) =>
  page.locator('.oc-thread-scroll').evaluate((el) => Math.round(el.scrollHeight - el.scrollTop - el.clientHeight))

run('virtualized thread in Chromium', () => {
  beforeAll(async () => {
    dir = await buildBenchPages()
    browser = await launchChromium()
    server = await serveDemo(dir)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  it('opens a 10,000-message session at the end with a bounded DOM; Jump to latest and find-in-page work', async () => {
    const page = await open('thread.html?mode=virtual&n=10000')
    const opened = await page.evaluate(() => (window as unknown as { __bench: { open: { domNodes: number; articles: number; atBottom: boolean } } }).__bench.open)
    expect(opened.atBottom).toBe(true)
    expect(opened.articles).toBeGreaterThan(0)
    expect(opened.articles).toBeLessThan(60)
    expect(opened.domNodes).toBeLessThan(2_000)

    // Find-in-page finds what is rendered (the last message).
    const lastText = (await page.locator('article.oc-message').last().innerText()).split('\n')[0]!.slice(0, 30)
    expect(await page.evaluate((text) => (window as unknown as { find(s: string): boolean }).find(text), lastText)).toBe(true)

    // The reader scrolls up: following stops and the button appears; it brings the view back to the end.
    await page.locator('.oc-thread-scroll').evaluate((el) => {
      el.scrollTop = el.scrollTop - 5_000
    })
    const jump = page.getByRole('button', { name: 'Jump to latest' })
    await jump.waitFor({ timeout: 5_000 })
    expect(await distanceFromEnd(page)).toBeGreaterThan(1_000)
    await jump.click()
    await expect.poll(() => distanceFromEnd(page), { timeout: 5_000 }).toBeLessThanOrEqual(24)
    await expect.poll(() => jump.count(), { timeout: 5_000 }).toBe(0)
    await page.close()
  }, 90_000)

  it('keeps a streamed answer in view at the end of a 500-message thread', async () => {
    const page = await open('ours.html?history=500&deltas=2000&fpc=10&interval=4')
    const result = await page.evaluate(() => (window as unknown as { __bench: { run(): Promise<{ commits: number; frames: number }> } }).__bench.run())
    expect(result.commits).toBeGreaterThan(10)
    await expect.poll(() => distanceFromEnd(page), { timeout: 5_000 }).toBeLessThanOrEqual(24)
    const last = page.locator('article.oc-message').last()
    expect(await last.getAttribute('data-role')).toBe('assistant')
    expect(await last.locator('.oc-tool').count()).toBe(5)
    expect(await page.getByRole('button', { name: 'Jump to latest' }).count()).toBe(0)
    await page.close()
  }, 90_000)
})

/**
 * The built demo in real Chromium (Debian's, driven by playwright-core), on the embedded mock server:
 * streaming, reasoning, tool cards, Stop, an error with Retry, accessibility (axe-core), and a strict CSP.
 */
import { readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { artifactPath, buildDemo, chromiumPath, launchChromium, serveDemo, STRICT_CSP, type Browser, type DemoServer } from './harness'

const require = createRequire(import.meta.url)
const run = chromiumPath === undefined ? describe.skip : describe
if (chromiumPath === undefined) console.warn('[e2e] skipped: Chromium not found (apt-get install -y chromium)')

let dir: string
let browser: Browser
let demo: DemoServer
let strict: DemoServer

async function openDemo(server: DemoServer, scenario: string): Promise<{ page: Page; consoleErrors: string[] }> {
  const page = await browser.context.newPage()
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(String(e)))
  await page.goto(server.url)
  await page.getByRole('textbox', { name: 'Message' }).waitFor()
  await page.getByLabel('Scenario').selectOption(scenario)
  return { page, consoleErrors }
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text)
  await page.keyboard.press('Enter')
}

const lastAnswer = (page: Page) => page.locator('.oc-message[data-role="assistant"]').last()

run('demo in Chromium', () => {
  beforeAll(async () => {
    dir = await buildDemo()
    browser = await launchChromium()
    demo = await serveDemo(dir, { mock: { delayScale: 0.5 } })
    strict = await serveDemo(dir, { csp: STRICT_CSP, mock: { delayScale: 0.5 } })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await demo?.close()
    await strict?.close()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  it('streams text, a reasoning block and tool cards', async () => {
    const { page, consoleErrors } = await openDemo(demo, 'reasoning')
    await send(page, 'Why is the sky blue?')
    await expect.poll(() => page.locator('.oc-reasoning').count(), { timeout: 10_000 }).toBe(1)
    await page.screenshot({ path: await artifactPath('01-reasoning-streaming.png') })
    await lastAnswer(page).and(page.locator('[data-finish="done"]')).waitFor({ timeout: 20_000 })
    expect(await page.locator('.oc-reasoning').getAttribute('data-state')).toBe('done')
    expect((await lastAnswer(page).textContent())?.length ?? 0).toBeGreaterThan(40)

    await page.getByLabel('Scenario').selectOption('tools')
    await send(page, 'Use your tools')
    await expect.poll(() => page.locator('.oc-tool').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(1)
    await page.screenshot({ path: await artifactPath('02-tools-running.png') })
    await lastAnswer(page).and(page.locator('[data-finish="done"]')).waitFor({ timeout: 30_000 })
    const states = await page.locator('.oc-tool').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-state')))
    expect(states.length).toBeGreaterThanOrEqual(3)
    expect(states).toContain('error')
    expect(states).toContain('done')
    await page.locator('.oc-tool-header').first().click()
    await page.screenshot({ path: await artifactPath('03-tools-done.png'), fullPage: true })
    expect(consoleErrors).toEqual([])
    await page.close()
  }, 90_000)

  it('Stop mid-answer finishes `aborted` within the grace period, keeping the partial text', async () => {
    const { page } = await openDemo(demo, 'long')
    await send(page, 'Write a long answer')
    await expect.poll(async () => (await lastAnswer(page).textContent())?.length ?? 0, { timeout: 15_000 }).toBeGreaterThan(200)
    const stop = page.getByRole('button', { name: 'Stop' })
    const t0 = Date.now()
    await stop.click()
    await lastAnswer(page).and(page.locator('[data-finish="aborted"]')).waitFor({ timeout: 3_000 })
    const elapsed = Date.now() - t0
    expect(elapsed).toBeLessThan(2_500)
    const partial = (await lastAnswer(page).textContent()) ?? ''
    expect(partial.length).toBeGreaterThan(200)
    await page.screenshot({ path: await artifactPath('04-stopped.png') })
    await page.close()
  }, 60_000)

  it('an error scenario shows its banner, and Retry works', async () => {
    const { page } = await openDemo(demo, 'http-500')
    await send(page, 'Hello?')
    const banner = page.getByRole('alert')
    await banner.waitFor({ timeout: 10_000 })
    expect(await banner.getAttribute('data-kind')).toBe('http')
    await page.screenshot({ path: await artifactPath('05-error-banner.png') })
    await page.getByLabel('Scenario').selectOption('plain')
    await page.getByRole('button', { name: 'Retry' }).click()
    await lastAnswer(page).and(page.locator('[data-finish="done"]')).waitFor({ timeout: 20_000 })
    expect(await page.getByRole('alert').count()).toBe(0)
    expect(await page.locator('.oc-message[data-role="user"]').count()).toBe(1)
    await page.close()
  }, 60_000)

  it('lists the conversation among the sessions and loads it back from history', async () => {
    const { page, consoleErrors } = await openDemo(demo, 'plain')
    await page.setViewportSize({ width: 1280, height: 800 })
    await send(page, 'Remember me')
    await lastAnswer(page).and(page.locator('[data-finish="done"]')).waitFor({ timeout: 20_000 })
    const answer = (await lastAnswer(page).locator('.oc-message-body').textContent()) ?? ''
    const sessions = page.getByRole('navigation', { name: 'Sessions' })
    await sessions.locator('.demo-session').first().waitFor({ timeout: 5_000 })
    await sessions.getByRole('button', { name: 'New conversation' }).click()
    await expect.poll(() => page.locator('.oc-message').count()).toBe(0)
    await sessions.locator('.demo-session').first().click()
    await expect.poll(() => page.locator('.oc-message').count(), { timeout: 10_000 }).toBe(2)
    expect(await page.locator('.oc-message[data-role="user"]').textContent()).toContain('Remember me')
    expect(await lastAnswer(page).locator('.oc-message-body').textContent()).toBe(answer)
    await page.screenshot({ path: await artifactPath('09-session-reloaded-wide.png') })
    expect(consoleErrors).toEqual([])
    await page.close()
  }, 60_000)

  it('axe-core finds no serious or critical violations (light and dark)', async () => {
    const { page } = await openDemo(demo, 'tools')
    await send(page, 'Use your tools')
    await lastAnswer(page).and(page.locator('[data-finish="done"]')).waitFor({ timeout: 30_000 })
    const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8')
    for (const theme of ['light', 'dark']) {
      await page.getByLabel('Theme').selectOption(theme)
      await page.addScriptTag({ content: axeSource })
      const result = (await page.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe
        return axe.run(document, { resultTypes: ['violations'] })
      })) as { violations: Array<{ id: string; impact: string; nodes: unknown[] }> }
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`)
      expect(serious, `theme ${theme}`).toEqual([])
      await page.screenshot({ path: await artifactPath(`06-theme-${theme}.png`) })
    }
    await page.close()
  }, 60_000)

  it('runs under a strict extension-like CSP with no CSP errors', async () => {
    const { page, consoleErrors } = await openDemo(strict, 'markdown')
    const violations: string[] = []
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v))
    await page.evaluate(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        ;(globalThis as unknown as { reportViolation: (v: string) => void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`)
      })
    })
    await send(page, 'Show me markdown')
    await lastAnswer(page).and(page.locator('[data-finish="done"]')).waitFor({ timeout: 30_000 })
    expect(await lastAnswer(page).locator('pre code').count()).toBeGreaterThan(0)
    await page.screenshot({ path: await artifactPath('07-markdown-strict-csp.png'), fullPage: true })
    expect(violations).toEqual([])
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([])
    await page.close()
  }, 60_000)
})

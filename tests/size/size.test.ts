/**
 * Size budgets of `.size-limit.cjs` (min+gzip, peers and the markdown engine excluded), on a fresh library build.
 * Same measurement as `npx size-limit` after `npm run build`.
 */
import { describe, expect, it } from 'vitest'
import { measureSizes } from '../../bench/size'

describe('bundle size budgets', () => {
  it('every entry with a budget is within it', async () => {
    const results = await measureSizes()
    const report = results.map((r) => `${r.name}: ${r.size} B${r.limit === undefined ? '' : ` (budget ${r.limit} B)`}`).join('\n')
    console.info(report)
    expect(results.length).toBeGreaterThan(0)
    for (const r of results) {
      expect(Number.isFinite(r.size), `${r.name}: not measured`).toBe(true)
      if (r.limit !== undefined) expect(r.size, `${r.name} over budget\n${report}`).toBeLessThanOrEqual(r.limit)
    }
  }, 60_000)
})

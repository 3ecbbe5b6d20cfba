import { describe, expect, it } from 'vitest'
import { ChatError, isChatError } from '../../src/protocol'

describe('ChatError', () => {
  it('carries kind, status, errorKind and code only when given, and a cause only when there is one', () => {
    const cause = new TypeError('fetch failed')
    const withAll = new ChatError({ kind: 'http', message: 'Bad gateway', status: 502, code: 'upstream', cause })
    expect(withAll).toMatchObject({ name: 'ChatError', kind: 'http', message: 'Bad gateway', status: 502, code: 'upstream', cause })
    expect(withAll).toBeInstanceOf(Error)
    expect(isChatError(withAll)).toBe(true)
    const bare = new ChatError({ kind: 'network', message: 'offline', cause: undefined })
    for (const key of ['status', 'errorKind', 'code', 'cause']) expect(Object.hasOwn(bare, key), key).toBe(false)
    expect(isChatError(new Error('x'))).toBe(false)
  })

  it('retryable: 5xx, 408, 429 and transport failures yes; other 4xx, refusals and context overflows no', () => {
    const http = (status: number) => new ChatError({ kind: 'http', message: '', status }).retryable
    expect([500, 503, 408, 429].map(http)).toEqual([true, true, true, true])
    expect([400, 401, 404, 413].map(http)).toEqual([false, false, false, false])
    const server = (errorKind: 'refusal' | 'context_length' | 'timeout' | 'rate_limit' | 'unknown') =>
      new ChatError({ kind: 'server', message: '', errorKind }).retryable
    expect([server('refusal'), server('context_length'), server('timeout'), server('rate_limit'), server('unknown')]).toEqual([false, false, true, true, true])
    expect(['network', 'protocol', 'stalled'].map((kind) => new ChatError({ kind: kind as 'network', message: '' }).retryable)).toEqual([true, true, true])
  })
})

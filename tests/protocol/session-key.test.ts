import { describe, expect, it } from 'vitest'
import { normalizeSessionKey } from '../../src/protocol'

describe('normalizeSessionKey', () => {
  it('keeps a bare key', () => {
    expect(normalizeSessionKey('abc-123')).toBe('abc-123')
  })
  it('strips one wrapping', () => {
    expect(normalizeSessionKey('agent:main:openai-user:browseros:main:abc')).toBe('abc')
  })
  it('strips any number of wrappings', () => {
    expect(normalizeSessionKey('agent:main:openai-user:browseros:main:agent:main:openai-user:browseros:main:abc')).toBe('abc')
    expect(normalizeSessionKey('agent:x:openai-user:browseros:x:agent:x:openai-user:browseros:x:agent:x:openai-user:browseros:x:k')).toBe('k')
  })
  it('keeps keys that only look similar', () => {
    expect(normalizeSessionKey('agent:main:main')).toBe('agent:main:main')
  })
})

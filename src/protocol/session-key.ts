const WRAPPED_PREFIX = /^agent:[^:]+:openai-user:browseros:[^:]+:/

/**
 * The server wraps session keys as `agent:<id>:openai-user:browseros:<id>:<key>` and wraps an echoed wrapped key
 * again. Strips any number of those prefixes so the bare key is what is kept and sent.
 */
export function normalizeSessionKey(key: string): string {
  let bare = key.trim()
  while (WRAPPED_PREFIX.test(bare)) {
    const next = bare.replace(WRAPPED_PREFIX, '')
    if (next === '') break
    bare = next
  }
  return bare
}

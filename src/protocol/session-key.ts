/** One or more wrappings, up to what follows them (a key that is nothing but wrappings keeps its last one). */
const WRAPPED_PREFIX = /^(?:agent:[^:]+:openai-user:browseros:[^:]+:)+(?!$)/

/**
 * The server wraps session keys as `agent:<id>:openai-user:browseros:<id>:<key>` and wraps an echoed wrapped key
 * again. Strips any number of those prefixes so the bare key is what is kept and sent.
 */
export function normalizeSessionKey(key: string): string {
  return key.trim().replace(WRAPPED_PREFIX, '')
}

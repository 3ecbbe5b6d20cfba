import { normalizeSessionKey } from '../protocol'

/** Longest bare session key accepted from a client (the gateway takes up to 512 characters, wrapping included). */
export const MAX_SESSION_KEY_LENGTH = 256

/**
 * The gateway session key of a `/claw` conversation: wrapped as BrowserOS's server wraps it
 * (`agent:<agentId>:openai-user:browseros:<agentId>:<key>`), so conversations started through BrowserOS and through
 * this package are the same sessions. A key that is already a gateway key of this agent (`agent:main:main`, as
 * `/sessions` lists for sessions made elsewhere) is used as it is.
 */
export function gatewaySessionKey(agentId: string, key: string): string {
  const bare = normalizeSessionKey(key)
  if (bare.startsWith(`agent:${agentId}:`)) return bare
  return `agent:${agentId}:openai-user:browseros:${agentId}:${bare}`
}

/** The key a `/claw` client keeps for a gateway session key (any wrapping stripped). */
export function clawSessionKey(gatewayKey: string): string {
  return normalizeSessionKey(gatewayKey)
}

/** Why a client-given session key is unusable, or undefined when it is fine. */
export function sessionKeyProblem(key: string): string | undefined {
  if (key.trim() === '') return 'sessionKey is empty'
  if (key.length > MAX_SESSION_KEY_LENGTH) return `sessionKey is longer than ${MAX_SESSION_KEY_LENGTH} characters`
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'sessionKey contains control characters'
  return undefined
}

import type { IncomingHttpHeaders } from 'node:http'
import { isIP } from 'node:net'

export interface OriginPolicy {
  /** Exact origins (`https://app.example.com`) or patterns with `*` (`chrome-extension://*`). */
  allowedOrigins: readonly string[]
  /** Host names (besides IP addresses and localhost) this server may be reached by. */
  allowedHosts: readonly string[]
}

export type GuardResult = { ok: true; cors: Record<string, string> } | { ok: false; reason: string }

function isLoopbackName(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'))
  const colon = host.lastIndexOf(':')
  return (colon >= 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host).toLowerCase()
}

function matches(pattern: string, origin: string): boolean {
  if (pattern === origin) return true
  if (!pattern.includes('*')) return false
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`)
  return re.test(origin)
}

/** The host names an allowed origin implies (so `allowedOrigins: ['https://chat.example.com']` also allows that Host). */
export function hostsOfOrigins(origins: readonly string[]): string[] {
  const hosts: string[] = []
  for (const origin of origins) {
    try {
      const url = new URL(origin)
      if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.hostname.includes('*')) hosts.push(url.hostname.toLowerCase())
    } catch {
      // a pattern, not a URL
    }
  }
  return hosts
}

/**
 * The origin guard of every `/claw` request:
 * - the `Host` must be an IP address, `localhost`, or an allowed host (a DNS-rebinding page has a name of its own);
 * - no `Origin` (curl, servers, same-origin GETs) is fine;
 * - an `Origin` is fine when it is loopback, same-origin, or listed in `allowedOrigins` (patterns with `*`);
 *   cross-origin allowed requests get CORS headers (with `X-Session-Key` exposed). Anything else: 403.
 */
export function checkOrigin(headers: IncomingHttpHeaders, policy: OriginPolicy): GuardResult {
  const host = typeof headers.host === 'string' ? headers.host : ''
  const hostname = hostnameOf(host)
  if (hostname === '' || !(isIP(hostname) !== 0 || isLoopbackName(hostname) || policy.allowedHosts.includes(hostname))) {
    return { ok: false, reason: `host ${JSON.stringify(host)} is not allowed` }
  }
  const origin = typeof headers.origin === 'string' ? headers.origin : undefined
  if (origin === undefined) return { ok: true, cors: {} }
  let url: URL | undefined
  try {
    url = new URL(origin)
  } catch {
    url = undefined
  }
  const listed = policy.allowedOrigins.some((pattern) => matches(pattern, origin))
  const sameOrigin = url !== undefined && url.host.toLowerCase() === host.toLowerCase()
  const loopback = url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackName(url.hostname)
  if (!listed && !sameOrigin && !loopback) return { ok: false, reason: `origin ${origin} is not allowed` }
  if (sameOrigin) return { ok: true, cors: {} }
  return {
    ok: true,
    cors: { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': 'X-Session-Key' },
  }
}

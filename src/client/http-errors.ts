import { ChatError } from '../protocol'
import { isRecord } from '../protocol/is-record'

const MAX_MESSAGE = 300


/** Reads `{error: "text"}`, `{error: {message, code}}` or `{message}` bodies. */
function messageFromJson(body: unknown): { message?: string; code?: string } {
  if (!isRecord(body)) return {}
  const error = body.error
  if (typeof error === 'string' && error.trim() !== '') return { message: error }
  if (isRecord(error)) {
    const out: { message?: string; code?: string } = {}
    if (typeof error.message === 'string') out.message = error.message
    else if (typeof error.name === 'string') out.message = error.name
    if (typeof error.code === 'string' || typeof error.code === 'number') out.code = String(error.code)
    return out
  }
  if (typeof body.message === 'string') return { message: body.message }
  return {}
}

/** A short readable line from a non-JSON body (an HTML error page's title or text, or plain text). */
function messageFromText(text: string): string | undefined {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1]
  const source = title ?? text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ')
  const line = source.replace(/\s+/g, ' ').trim()
  if (line === '') return undefined
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line
}

/** The error a non-2xx response stands for; the body is read and summarized, never thrown about. */
export async function errorFromResponse(response: Response, kind: 'http' | 'protocol' = 'http'): Promise<ChatError> {
  let text = ''
  try {
    text = await response.text()
  } catch {
    // body unreadable: the status says enough
  }
  const statusLine = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`
  let parsed: { message?: string; code?: string } = {}
  try {
    parsed = messageFromJson(JSON.parse(text))
  } catch {
    const fromText = messageFromText(text)
    if (fromText !== undefined) parsed = { message: fromText }
  }
  const message = parsed.message ?? `The server answered ${statusLine}`
  return new ChatError({ kind, status: response.status, message, ...(parsed.code === undefined ? {} : { code: parsed.code }) })
}

export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError'
}

/** A fetch failure as a typed network error (aborts are passed through unchanged). */
export function networkError(error: unknown, url: string): unknown {
  if (isAbortError(error)) return error
  const detail = error instanceof Error ? error.message : String(error)
  return new ChatError({ kind: 'network', message: `Could not reach the server (${pathOf(url)}): ${detail}`, cause: error })
}

function pathOf(url: string): string {
  const q = url.indexOf('?')
  return q < 0 ? url : url.slice(0, q)
}

import { ChatError } from '../protocol'
import { isRecord } from '../protocol/is-record'

const MAX_MESSAGE = 300

/**
 * The message and code an error body states: `{error: "text"}`, `{error: {message | name, code}}`, `{message}`,
 * an HTML error page's title (or its text without tags, scripts and styles), or plain text.
 */
function summarize(text: string): [message?: unknown, code?: unknown] {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1]
    const line = (title ?? text.replace(/<(script|style)[\s\S]*?<\/\1>|<[^>]*>/gi, ' ')).replace(/\s+/g, ' ').trim()
    return [line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line || undefined]
  }
  if (!isRecord(body)) return []
  const { error } = body
  if (isRecord(error)) return [typeof error.message === 'string' ? error.message : error.name, error.code]
  return [typeof error === 'string' && error.trim() !== '' ? error : body.message]
}

/** What a non-2xx response's body states (read and summarized, never thrown about); nothing when it says nothing. */
export async function readErrorBody(response: Response): Promise<{ message?: string; code?: string }> {
  // An unreadable body (already read, or failing) says nothing.
  const [message, code] = summarize(await response.text().catch(() => ''))
  return {
    ...(typeof message === 'string' && { message }),
    ...((typeof code === 'string' || typeof code === 'number') && { code: String(code) }),
  }
}

/** The error a non-2xx response stands for: the body's message, or the status line when it has none. */
export async function errorFromResponse(response: Response, kind: 'http' | 'protocol' = 'http'): Promise<ChatError> {
  const { status, statusText } = response
  const { message = `The server answered ${status} ${statusText}`.trimEnd(), code } = await readErrorBody(response)
  return new ChatError({ kind, status, message, code })
}

import { sessionKeyProblem } from '../gateway/session-keys'
import type { Attachment, HistoryTurn, ImageMediaType } from '../protocol'
import { ATTACHMENT_LIMITS, IMAGE_MEDIA_TYPES as IMAGE_TYPES, base64ByteLength, isTextMediaType } from '../protocol/attachment-limits'
import { isRecord } from '../protocol/is-record'

/** PROTOCOL.md's limits on a chat request. */
export const MAX_ATTACHMENTS = ATTACHMENT_LIMITS.maxCount
export const MAX_IMAGE_BYTES = ATTACHMENT_LIMITS.maxImageBytes
export const MAX_FILE_BYTES = ATTACHMENT_LIMITS.maxFileBytes
export const MAX_HISTORY_TURNS = 200

export interface ChatInput {
  message: string
  sessionKey?: string
  attachments: Attachment[]
  history: HistoryTurn[]
}

export interface StopInput {
  sessionKey: string
  runId?: string
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string }

function checkAttachment(value: unknown, index: number): Checked<Attachment> {
  const at = `attachments[${index}]`
  if (!isRecord(value)) return { ok: false, error: `${at} must be an object` }
  const name = value.name
  if (name !== undefined && typeof name !== 'string') return { ok: false, error: `${at}.name must be a string` }
  if (value.kind === 'image') {
    const mediaType = value.mediaType
    if (typeof mediaType !== 'string' || !(IMAGE_TYPES as readonly string[]).includes(mediaType)) {
      return { ok: false, error: `${at}: image mediaType must be one of ${IMAGE_TYPES.join(', ')}` }
    }
    const dataUrl = value.dataUrl
    const prefix = `data:${mediaType};base64,`
    if (typeof dataUrl !== 'string' || !dataUrl.startsWith(prefix)) return { ok: false, error: `${at}: dataUrl must be a ${prefix}… data URL` }
    const data = dataUrl.slice(prefix.length)
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return { ok: false, error: `${at}: dataUrl is not valid base64` }
    if (base64ByteLength(data) > MAX_IMAGE_BYTES) return { ok: false, error: `image exceeds ${MAX_IMAGE_BYTES} bytes` }
    const image: Attachment = { kind: 'image', mediaType: mediaType as ImageMediaType, dataUrl }
    if (typeof name === 'string') image.name = name
    return { ok: true, value: image }
  }
  if (value.kind === 'file') {
    const mediaType = value.mediaType
    if (typeof mediaType !== 'string' || !isTextMediaType(mediaType)) {
      return { ok: false, error: `${at}: file mediaType must be text/… or application/json` }
    }
    if (typeof name !== 'string' || name.trim() === '') return { ok: false, error: `${at}: a file needs a name` }
    if (typeof value.text !== 'string') return { ok: false, error: `${at}: a file needs its text` }
    if (Buffer.byteLength(value.text, 'utf8') > MAX_FILE_BYTES) return { ok: false, error: `file exceeds ${MAX_FILE_BYTES} bytes` }
    return { ok: true, value: { kind: 'file', mediaType, name, text: value.text } }
  }
  return { ok: false, error: `${at}: kind must be "image" or "file"` }
}

/** Validates `POST …/chat` (PROTOCOL.md): message, sessionKey, attachments (limits), history. */
export function checkChatBody(body: unknown): Checked<ChatInput> {
  if (!isRecord(body)) return { ok: false, error: 'Request body must be a JSON object' }
  const { message, sessionKey, attachments, history } = body
  if (message !== undefined && message !== null && typeof message !== 'string') return { ok: false, error: 'message must be a string' }
  const input: ChatInput = { message: typeof message === 'string' ? message : '', attachments: [], history: [] }
  if (sessionKey !== undefined && sessionKey !== null && sessionKey !== '') {
    if (typeof sessionKey !== 'string') return { ok: false, error: 'sessionKey must be a string' }
    const problem = sessionKeyProblem(sessionKey)
    if (problem !== undefined) return { ok: false, error: problem }
    input.sessionKey = sessionKey
  }
  if (attachments !== undefined && attachments !== null) {
    if (!Array.isArray(attachments)) return { ok: false, error: 'attachments must be an array' }
    if (attachments.length > MAX_ATTACHMENTS) return { ok: false, error: `at most ${MAX_ATTACHMENTS} attachments are allowed` }
    for (const [index, value] of attachments.entries()) {
      const checked = checkAttachment(value, index)
      if (!checked.ok) return checked
      input.attachments.push(checked.value)
    }
  }
  if (history !== undefined && history !== null) {
    if (!Array.isArray(history)) return { ok: false, error: 'history must be an array' }
    if (history.length > MAX_HISTORY_TURNS) return { ok: false, error: `history holds more than ${MAX_HISTORY_TURNS} turns` }
    for (const turn of history) {
      if (!isRecord(turn) || (turn.role !== 'user' && turn.role !== 'assistant') || typeof turn.content !== 'string') {
        return { ok: false, error: 'history items must be {role: "user"|"assistant", content: string}' }
      }
      input.history.push({ role: turn.role, content: turn.content })
    }
  }
  if (input.message.trim() === '' && input.attachments.length === 0) return { ok: false, error: 'Message is required' }
  return { ok: true, value: input }
}

/** Validates `POST …/chat/stop`. */
export function checkStopBody(body: unknown): Checked<StopInput> {
  if (!isRecord(body) || typeof body.sessionKey !== 'string' || body.sessionKey.trim() === '') return { ok: false, error: 'sessionKey is required' }
  const problem = sessionKeyProblem(body.sessionKey)
  if (problem !== undefined) return { ok: false, error: problem }
  if (body.runId !== undefined && body.runId !== null && (typeof body.runId !== 'string' || body.runId === '')) return { ok: false, error: 'runId must be a non-empty string' }
  return { ok: true, value: typeof body.runId === 'string' ? { sessionKey: body.sessionKey, runId: body.runId } : { sessionKey: body.sessionKey } }
}

/** Agent ids as the gateway normalizes them: letters, digits, `_` and `-`. */
export function agentIdProblem(agentId: string): string | undefined {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(agentId) ? undefined : 'Invalid agent id'
}

import type { ImageMediaType } from './routes'

/** PROTOCOL.md's limits on a chat request's attachments: checked before upload by the client, on arrival by the server. */
export const ATTACHMENT_LIMITS = Object.freeze({
  maxCount: 10,
  maxImageBytes: 5 * 1024 * 1024,
  maxFileBytes: 1024 * 1024,
})

export const IMAGE_MEDIA_TYPES: readonly ImageMediaType[] = ['image/png', 'image/jpeg', 'image/webp', 'image/gif']

/** A file attachment's media type: text of any kind, or JSON. */
export const isTextMediaType = (type: string): boolean => type.startsWith('text/') || type === 'application/json'

/** Decoded byte length of base64 data (without decoding it). */
export function base64ByteLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0
  return Math.max(0, Math.floor((base64.length * 3) / 4) - padding)
}

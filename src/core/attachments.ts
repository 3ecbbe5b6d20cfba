import type { Attachment, ImageMediaType } from '../protocol'
import { ATTACHMENT_LIMITS, IMAGE_MEDIA_TYPES, base64ByteLength, isTextMediaType } from '../protocol/attachment-limits'

export { ATTACHMENT_LIMITS, IMAGE_MEDIA_TYPES }

export type AttachmentErrorCode = 'too-many' | 'too-large' | 'unsupported-type' | 'unreadable'

/** An attachment the server would refuse, caught before anything is uploaded. */
export class AttachmentError extends Error {
  readonly code: AttachmentErrorCode
  declare readonly attachmentName?: string
  constructor(code: AttachmentErrorCode, message: string, attachmentName?: string) {
    super(message)
    this.name = 'AttachmentError'
    this.code = code
    if (attachmentName !== undefined) this.attachmentName = attachmentName
  }
}

/** Decoded byte length of a base64 `data:` URL (without decoding it). */
export function dataUrlByteLength(dataUrl: string): number {
  const comma = dataUrl.indexOf(',')
  return base64ByteLength(comma < 0 ? '' : dataUrl.slice(comma + 1))
}

const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`

/** Throws an `AttachmentError` when the server's limits would refuse `attachment`. */
export function validateAttachment(attachment: Attachment): void {
  const name = attachment.name ?? attachment.kind
  if (attachment.kind === 'image') {
    if (!IMAGE_MEDIA_TYPES.includes(attachment.mediaType)) {
      throw new AttachmentError('unsupported-type', `“${name}” is a ${attachment.mediaType}; images must be PNG, JPEG, WebP or GIF`, name)
    }
    if (!attachment.dataUrl.startsWith('data:')) throw new AttachmentError('unreadable', `“${name}” has no data: URL`, name)
    const bytes = dataUrlByteLength(attachment.dataUrl)
    if (bytes > ATTACHMENT_LIMITS.maxImageBytes) {
      throw new AttachmentError('too-large', `“${name}” is ${mib(bytes)}; images may be at most ${mib(ATTACHMENT_LIMITS.maxImageBytes)}`, name)
    }
    return
  }
  if (!isTextMediaType(attachment.mediaType)) {
    throw new AttachmentError('unsupported-type', `“${name}” is ${attachment.mediaType || 'of an unknown type'}; files must be text or JSON`, name)
  }
  const bytes = new TextEncoder().encode(attachment.text).length
  if (bytes > ATTACHMENT_LIMITS.maxFileBytes) {
    throw new AttachmentError('too-large', `“${name}” is ${mib(bytes)}; text files may be at most ${mib(ATTACHMENT_LIMITS.maxFileBytes)}`, name)
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  const step = 0x8000
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step))
  return btoa(binary)
}

/** Reads a browser `File` (or any `Blob` with a name) into a protocol attachment; size is checked before reading. */
export async function fileToAttachment(file: Blob & { name?: string }): Promise<Attachment> {
  const name = file.name ?? 'attachment'
  const type = file.type
  if ((IMAGE_MEDIA_TYPES as readonly string[]).includes(type)) {
    if (file.size > ATTACHMENT_LIMITS.maxImageBytes) {
      throw new AttachmentError('too-large', `“${name}” is ${mib(file.size)}; images may be at most ${mib(ATTACHMENT_LIMITS.maxImageBytes)}`, name)
    }
    const bytes = new Uint8Array(await file.arrayBuffer())
    return { kind: 'image', mediaType: type as ImageMediaType, dataUrl: `data:${type};base64,${toBase64(bytes)}`, name }
  }
  if (isTextMediaType(type)) {
    if (file.size > ATTACHMENT_LIMITS.maxFileBytes) {
      throw new AttachmentError('too-large', `“${name}” is ${mib(file.size)}; text files may be at most ${mib(ATTACHMENT_LIMITS.maxFileBytes)}`, name)
    }
    return { kind: 'file', mediaType: type, name, text: await file.text() }
  }
  throw new AttachmentError('unsupported-type', `“${name}” is ${type || 'of an unknown type'}; attach images or text files`, name)
}

const isBlob = (value: unknown): value is Blob => typeof Blob !== 'undefined' && value instanceof Blob

/** Turns files into attachments and checks every limit; throws `AttachmentError` before anything is sent. */
export async function prepareAttachments(input: ReadonlyArray<Blob | Attachment>): Promise<Attachment[]> {
  if (input.length > ATTACHMENT_LIMITS.maxCount) {
    throw new AttachmentError('too-many', `${input.length} attachments; at most ${ATTACHMENT_LIMITS.maxCount} can be sent at once`)
  }
  const out: Attachment[] = []
  for (const item of input) {
    const attachment = isBlob(item) ? await fileToAttachment(item) : item
    validateAttachment(attachment)
    out.push(attachment)
  }
  return out
}

import type { Attachment, ImageMediaType } from '../protocol'
import { ATTACHMENT_LIMITS, IMAGE_MEDIA_TYPES, base64ByteLength, isTextMediaType } from '../protocol/attachment-limits'

export { ATTACHMENT_LIMITS, IMAGE_MEDIA_TYPES }

export type AttachmentErrorCode = 'too-many' | 'too-large' | 'unsupported-type' | 'unreadable'

/** An attachment the server would refuse, caught before anything is uploaded. */
export class AttachmentError extends Error {
  declare readonly code: AttachmentErrorCode
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

const MiB = 1024 * 1024
const mib = (bytes: number): string => `${(bytes / MiB).toFixed(bytes % MiB ? 1 : 0)} MiB`

/** The error for attachment `name`: `problem` follows its quoted name. */
const refuse = (code: AttachmentErrorCode, name: string, problem: string): AttachmentError =>
  new AttachmentError(code, `“${name}” ${problem}`, name)

/** Throws when `bytes` exceed the limit for an image or a text file. */
function checkSize(name: string, bytes: number, image: boolean): void {
  const limit = image ? ATTACHMENT_LIMITS.maxImageBytes : ATTACHMENT_LIMITS.maxFileBytes
  if (bytes > limit) throw refuse('too-large', name, `is ${mib(bytes)}; ${image ? 'images' : 'text files'} may be at most ${mib(limit)}`)
}

/** Throws an `AttachmentError` when the server's limits would refuse `attachment`. */
export function validateAttachment(attachment: Attachment): void {
  const name = attachment.name ?? attachment.kind
  if (attachment.kind === 'image') {
    if (!IMAGE_MEDIA_TYPES.includes(attachment.mediaType)) {
      throw refuse('unsupported-type', name, `is a ${attachment.mediaType}; images must be PNG, JPEG, WebP or GIF`)
    }
    if (!attachment.dataUrl.startsWith('data:')) throw refuse('unreadable', name, 'has no data: URL')
    checkSize(name, dataUrlByteLength(attachment.dataUrl), true)
  } else {
    if (!isTextMediaType(attachment.mediaType)) throw refuse('unsupported-type', name, `is ${attachment.mediaType || 'of an unknown type'}; files must be text or JSON`)
    checkSize(name, new TextEncoder().encode(attachment.text).length, false)
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
  const image = (IMAGE_MEDIA_TYPES as readonly string[]).includes(type)
  if (!image && !isTextMediaType(type)) throw refuse('unsupported-type', name, `is ${type || 'of an unknown type'}; attach images or text files`)
  checkSize(name, file.size, image)
  return image
    ? { kind: 'image', mediaType: type as ImageMediaType, dataUrl: `data:${type};base64,${toBase64(new Uint8Array(await file.arrayBuffer()))}`, name }
    : { kind: 'file', mediaType: type, name, text: await file.text() }
}

/** Turns files into attachments and checks every limit; throws `AttachmentError` before anything is sent. */
export async function prepareAttachments(input: ReadonlyArray<Blob | Attachment>): Promise<Attachment[]> {
  if (input.length > ATTACHMENT_LIMITS.maxCount) {
    throw new AttachmentError('too-many', `${input.length} attachments; at most ${ATTACHMENT_LIMITS.maxCount} can be sent at once`)
  }
  const out: Attachment[] = []
  for (const item of input) {
    // Attachment objects have a `kind`; anything else is a file to read.
    const attachment = 'kind' in item ? item : await fileToAttachment(item)
    validateAttachment(attachment)
    out.push(attachment)
  }
  return out
}

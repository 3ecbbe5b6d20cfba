import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  ATTACHMENT_LIMITS,
  AttachmentError,
  dataUrlByteLength,
  fileToAttachment,
  IMAGE_MEDIA_TYPES,
  prepareAttachments,
  validateAttachment,
  type AttachmentErrorCode,
} from '../../src/core'
import type { Attachment } from '../../src/protocol'

const MiB = 1024 * 1024
const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)

afterEach(() => {
  vi.restoreAllMocks()
})

/** Runs `f` and returns the AttachmentError it throws (fails the test if it throws anything else, or nothing). */
async function attachmentError(f: () => unknown): Promise<AttachmentError> {
  try {
    await f()
  } catch (error) {
    expect(error).toBeInstanceOf(AttachmentError)
    return error as AttachmentError
  }
  throw new Error('expected an AttachmentError')
}

function expectCode(error: AttachmentError, code: AttachmentErrorCode, message: string, attachmentName?: string): void {
  expect(error.name).toBe('AttachmentError')
  expect(error.code).toBe(code)
  expect(error.message).toBe(message)
  expect(error.attachmentName).toBe(attachmentName)
}

describe('limits', () => {
  it('are 10 attachments, 5 MiB per image, 1 MiB per text file, and four image types', () => {
    expect(ATTACHMENT_LIMITS).toEqual({ maxCount: 10, maxImageBytes: 5 * MiB, maxFileBytes: MiB })
    expect(Object.isFrozen(ATTACHMENT_LIMITS)).toBe(true)
    expect(IMAGE_MEDIA_TYPES).toEqual(['image/png', 'image/jpeg', 'image/webp', 'image/gif'])
  })
})

describe('dataUrlByteLength', () => {
  it.each([
    ['', 0],
    ['QQ==', 1],
    ['QUI=', 2],
    ['QUJD', 3],
    ['QUJDRA==', 4],
    ['QUJDREU=', 5],
    ['QUJDREVG', 6],
    ['iVBORw0KGgo=', 8],
  ])('payload %j decodes to %d bytes', (payload, bytes) => {
    expect(dataUrlByteLength(`data:image/png;base64,${payload}`)).toBe(bytes)
    expect(Buffer.from(payload, 'base64').length).toBe(bytes)
  })

  it('matches the real decoded length for every length 0..64', () => {
    for (let n = 0; n <= 64; n++) {
      const base64 = Buffer.alloc(n, 0xab).toString('base64')
      expect(dataUrlByteLength(`data:image/gif;base64,${base64}`)).toBe(n)
    }
  })

  it('is 0 without a comma, and never negative', () => {
    expect(dataUrlByteLength('data:image/png;base64')).toBe(0)
    expect(dataUrlByteLength('data:,==')).toBe(0)
  })
})

describe('fileToAttachment', () => {
  it('reads a PNG into a base64 data URL', async () => {
    const file = new File([PNG_SIGNATURE], 'shot.png', { type: 'image/png' })
    expect(await fileToAttachment(file)).toStrictEqual({
      kind: 'image',
      mediaType: 'image/png',
      dataUrl: 'data:image/png;base64,iVBORw0KGgo=',
      name: 'shot.png',
    })
  })

  it('encodes an image larger than the 32 KiB encoding step byte-exactly', async () => {
    const bytes = new Uint8Array(100_003)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + (i >> 8)) & 0xff
    const attachment = await fileToAttachment(new File([bytes], 'noise.webp', { type: 'image/webp' }))
    expect(attachment.kind).toBe('image')
    if (attachment.kind !== 'image') return
    expect(attachment.dataUrl).toBe(`data:image/webp;base64,${Buffer.from(bytes).toString('base64')}`)
    expect(dataUrlByteLength(attachment.dataUrl)).toBe(100_003)
  })

  it('reads a text file (UTF-8) into a file attachment', async () => {
    const file = new File(['Héllo € 😀\nline 2'], 'notes.txt', { type: 'text/plain' })
    expect(await fileToAttachment(file)).toStrictEqual({ kind: 'file', mediaType: 'text/plain', name: 'notes.txt', text: 'Héllo € 😀\nline 2' })
  })

  it('reads JSON and other text/* types as files', async () => {
    expect(await fileToAttachment(new File(['{"a":1}'], 'a.json', { type: 'application/json' }))).toStrictEqual({
      kind: 'file', mediaType: 'application/json', name: 'a.json', text: '{"a":1}',
    })
    expect(await fileToAttachment(new File(['# T'], 'r.md', { type: 'text/markdown' }))).toStrictEqual({
      kind: 'file', mediaType: 'text/markdown', name: 'r.md', text: '# T',
    })
  })

  it('names a Blob without a name `attachment`', async () => {
    expect(await fileToAttachment(new Blob(['x'], { type: 'text/csv' }))).toStrictEqual({ kind: 'file', mediaType: 'text/csv', name: 'attachment', text: 'x' })
  })

  it('refuses an image over 5 MiB without reading it', async () => {
    const file = new File([new Uint8Array(5 * MiB + 1)], 'big.png', { type: 'image/png' })
    const read = vi.spyOn(file, 'arrayBuffer')
    const error = await attachmentError(() => fileToAttachment(file))
    expectCode(error, 'too-large', '“big.png” is 5.0 MiB; images may be at most 5 MiB', 'big.png')
    expect(read).not.toHaveBeenCalled()
  })

  it('accepts an image of exactly 5 MiB', async () => {
    const attachment = await fileToAttachment(new File([new Uint8Array(5 * MiB)], 'edge.gif', { type: 'image/gif' }))
    expect(attachment.kind === 'image' ? dataUrlByteLength(attachment.dataUrl) : -1).toBe(5 * MiB)
  })

  it('refuses a text file over 1 MiB without reading it', async () => {
    const file = new File(['a'.repeat(3 * MiB)], 'huge.log', { type: 'text/plain' })
    const read = vi.spyOn(file, 'text')
    const error = await attachmentError(() => fileToAttachment(file))
    expectCode(error, 'too-large', '“huge.log” is 3 MiB; text files may be at most 1 MiB', 'huge.log')
    expect(read).not.toHaveBeenCalled()
  })

  it.each([
    ['application/pdf', 'doc.pdf', '“doc.pdf” is application/pdf; attach images or text files'],
    ['image/svg+xml', 'logo.svg', '“logo.svg” is image/svg+xml; attach images or text files'],
    ['', 'mystery', '“mystery” is of an unknown type; attach images or text files'],
  ])('refuses type %j as unsupported', async (type, name, message) => {
    const file = new File(['x'], name, { type })
    const error = await attachmentError(() => fileToAttachment(file))
    expectCode(error, 'unsupported-type', message, name)
  })
})

describe('validateAttachment', () => {
  it('accepts valid images and text files', () => {
    expect(() => validateAttachment({ kind: 'image', mediaType: 'image/jpeg', dataUrl: 'data:image/jpeg;base64,/9j/4A==' })).not.toThrow()
    expect(() => validateAttachment({ kind: 'file', mediaType: 'text/plain', name: 'a.txt', text: 'a'.repeat(MiB) })).not.toThrow()
  })

  it('an image of an unsupported type', async () => {
    const error = await attachmentError(() =>
      validateAttachment({ kind: 'image', mediaType: 'image/bmp' as 'image/png', dataUrl: 'data:image/bmp;base64,Qk0=', name: 'old.bmp' }),
    )
    expectCode(error, 'unsupported-type', '“old.bmp” is a image/bmp; images must be PNG, JPEG, WebP or GIF', 'old.bmp')
  })

  it('an image without a data: URL is unreadable (named by its kind when it has no name)', async () => {
    const error = await attachmentError(() => validateAttachment({ kind: 'image', mediaType: 'image/png', dataUrl: 'https://example.com/a.png' }))
    expectCode(error, 'unreadable', '“image” has no data: URL', 'image')
  })

  it('an image data URL over 5 MiB is too large; exactly 5 MiB passes', async () => {
    // 5 MiB = 3·1747626 + 2 bytes → 1747627 base64 groups with one `=`
    const exact = `data:image/png;base64,${'A'.repeat(6_990_507)}=`
    expect(dataUrlByteLength(exact)).toBe(5 * MiB)
    expect(() => validateAttachment({ kind: 'image', mediaType: 'image/png', dataUrl: exact })).not.toThrow()
    const over = `data:image/png;base64,${'A'.repeat(6_990_508)}`
    expect(dataUrlByteLength(over)).toBe(5 * MiB + 1)
    const error = await attachmentError(() => validateAttachment({ kind: 'image', mediaType: 'image/png', dataUrl: over, name: 'p.png' }))
    expectCode(error, 'too-large', '“p.png” is 5.0 MiB; images may be at most 5 MiB', 'p.png')
  })

  it('a text file is measured in UTF-8 bytes, not characters', async () => {
    // 349,526 × "€" = 349,526 characters but 1,048,578 bytes
    const text = '€'.repeat(349_526)
    const error = await attachmentError(() => validateAttachment({ kind: 'file', mediaType: 'text/plain', name: 'euro.txt', text }))
    expectCode(error, 'too-large', '“euro.txt” is 1.0 MiB; text files may be at most 1 MiB', 'euro.txt')
  })

  it('a file of a non-text type is unsupported', async () => {
    const error = await attachmentError(() => validateAttachment({ kind: 'file', mediaType: 'application/zip', name: 'a.zip', text: '' }))
    expectCode(error, 'unsupported-type', '“a.zip” is application/zip; files must be text or JSON', 'a.zip')
  })
})

describe('prepareAttachments', () => {
  it('turns files into attachments, in order, and passes attachment objects through', async () => {
    const given: Attachment = { kind: 'file', mediaType: 'application/json', name: 'given.json', text: '[]' }
    const out = await prepareAttachments([new File([PNG_SIGNATURE], 'a.png', { type: 'image/png' }), given, new File(['hi'], 'b.txt', { type: 'text/plain' })])
    expect(out).toStrictEqual([
      { kind: 'image', mediaType: 'image/png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=', name: 'a.png' },
      given,
      { kind: 'file', mediaType: 'text/plain', name: 'b.txt', text: 'hi' },
    ])
    expect(out[1]).toBe(given)
  })

  it('accepts 10 and nothing', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => new File([`f${i}`], `f${i}.txt`, { type: 'text/plain' }))
    expect((await prepareAttachments(ten)).map((a) => (a.kind === 'file' ? a.text : ''))).toEqual(Array.from({ length: 10 }, (_, i) => `f${i}`))
    expect(await prepareAttachments([])).toEqual([])
  })

  it('11 attachments → too-many, before any file is read', async () => {
    const files = Array.from({ length: 11 }, (_, i) => new File(['x'], `f${i}.txt`, { type: 'text/plain' }))
    const reads = files.map((file) => vi.spyOn(file, 'text'))
    const error = await attachmentError(() => prepareAttachments(files))
    expectCode(error, 'too-many', '11 attachments; at most 10 can be sent at once')
    for (const read of reads) expect(read).not.toHaveBeenCalled()
  })

  it('validates attachment objects too', async () => {
    const error = await attachmentError(() =>
      prepareAttachments([{ kind: 'image', mediaType: 'image/png', dataUrl: 'blob:http://x/1', name: 'blob.png' }]),
    )
    expectCode(error, 'unreadable', '“blob.png” has no data: URL', 'blob.png')
  })

  it('stops at the first bad file: an image over 5 MiB among good files is too large', async () => {
    const big = new File([new Uint8Array(5 * MiB + 1)], 'big.jpg', { type: 'image/jpeg' })
    const after = new File(['later'], 'later.txt', { type: 'text/plain' })
    const readAfter = vi.spyOn(after, 'text')
    const error = await attachmentError(() => prepareAttachments([new File(['ok'], 'ok.txt', { type: 'text/plain' }), big, after]))
    expectCode(error, 'too-large', '“big.jpg” is 5.0 MiB; images may be at most 5 MiB', 'big.jpg')
    expect(readAfter).not.toHaveBeenCalled()
  })
})

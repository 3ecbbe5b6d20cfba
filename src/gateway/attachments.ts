import type { Attachment } from '../protocol'
import type { GatewayAttachment } from './frames'

export interface GatewayTurn {
  message: string
  attachments: GatewayAttachment[]
}

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}

/**
 * A `/claw` turn as `chat.send` takes it: images become gateway attachments (base64 `content`, no `data:`
 * prefix); text files are appended to the message inside `<file name="…" type="…">` blocks (the gateway's
 * attachment path is for media).
 */
export function gatewayTurn(message: string, attachments: readonly Attachment[] = []): GatewayTurn {
  const images: GatewayAttachment[] = []
  let text = message
  for (const attachment of attachments) {
    if (attachment.kind === 'image') {
      const match = DATA_URL.exec(attachment.dataUrl)
      if (match === null) continue
      const image: GatewayAttachment = { type: 'image', mimeType: attachment.mediaType, content: match[2] as string }
      if (attachment.name !== undefined) image.fileName = attachment.name
      images.push(image)
    } else {
      const block = `<file name="${escapeAttribute(attachment.name)}" type="${escapeAttribute(attachment.mediaType)}">\n${attachment.text}\n</file>`
      text = text.trim() === '' ? block : `${text}\n\n${block}`
    }
  }
  return { message: text, attachments: images }
}

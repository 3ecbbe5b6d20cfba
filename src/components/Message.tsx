import { memo } from 'react'
import type { Attachment, ChatMessage, ChatStore, MessagePart } from '../index'
import { useChatMessage, useChatMessageIsLive } from '../index'
import { errorTitle } from './ErrorBanner'
import { Markdown } from './Markdown'
import { ReasoningBlock } from './ReasoningBlock'
import { useChatStrings, type ChatStrings } from './strings'
import { ToolCard } from './ToolCard'
import { UsageBadge } from './UsageBadge'
import { cx } from './util'

export interface MessageProps {
  message: ChatMessage
  /** The answer being streamed: announced politely to screen readers, its last text parsed streaming-safe. */
  live?: boolean
  /** Per-message usage in the footer (default true). */
  showUsage?: boolean
  className?: string
  strings?: Partial<ChatStrings>
}

function AttachmentView({ attachment, strings }: { attachment: Attachment; strings: ChatStrings }) {
  const name = attachment.name ?? attachment.kind
  // Only local data: images are shown; nothing is ever fetched.
  if (attachment.kind === 'image' && attachment.dataUrl.startsWith('data:image/')) {
    return <img className="oc-attachment-image" src={attachment.dataUrl} alt={strings.attachmentLabel(name)} />
  }
  return (
    <span className="oc-attachment-file" title={strings.attachmentLabel(name)}>
      <span className="oc-file-icon" aria-hidden="true" />
      {name}
    </span>
  )
}

function PartView({ part, streaming, strings }: { part: MessagePart; streaming: boolean; strings: ChatStrings }) {
  switch (part.type) {
    case 'text':
      return <Markdown text={part.text} streaming={streaming} />
    case 'reasoning':
      return <ReasoningBlock text={part.text} state={part.state} durationMs={part.durationMs} />
    case 'tool':
      return (
        <ToolCard
          toolCallId={part.toolCallId}
          name={part.name}
          label={part.label}
          subject={part.subject}
          arguments={part.arguments}
          state={part.state}
          durationMs={part.durationMs}
          output={part.output}
        />
      )
    case 'attachment':
      return <AttachmentView attachment={part.attachment} strings={strings} />
    default:
      return null
  }
}

const partKey = (part: MessagePart, index: number): string => (part.type === 'tool' ? `tool:${part.toolCallId}` : `${part.type}:${index}`)

/** One message: its parts in stream order, and a footer with how it ended and its usage. */
export const Message = memo(function Message({ message, live = false, showUsage = true, className, strings: override }: MessageProps) {
  const strings = useChatStrings(override)
  const { role, parts, finish } = message
  const attachments = parts.filter((p) => p.type === 'attachment')
  const others = role === 'user' ? parts.filter((p) => p.type !== 'attachment') : parts
  const empty = parts.length === 0
  let notice: string | undefined
  let detail: string | undefined
  if (finish === 'aborted') notice = strings.finishAborted
  else if (finish === 'interrupted') notice = strings.finishInterrupted
  else if (finish === 'error') {
    notice = message.error === undefined ? strings.finishError : errorTitle(message.error, strings)
    if (message.error !== undefined && message.error.message !== notice) detail = message.error.message
  }
  const usage = showUsage && role === 'assistant' && !live ? message.usage : undefined
  return (
    <article
      className={cx('oc-message', className)}
      data-role={role}
      data-finish={finish}
      data-live={live ? '' : undefined}
      aria-label={role === 'user' ? strings.userRole : strings.assistantRole}
    >
      {role === 'user' && attachments.length > 0 && (
        <div className="oc-message-attachments">
          {attachments.map((part, i) => (part.type === 'attachment' ? <AttachmentView key={i} attachment={part.attachment} strings={strings} /> : null))}
        </div>
      )}
      <div className="oc-message-body" aria-live={live ? 'polite' : undefined} aria-atomic={live ? false : undefined}>
        {role === 'user'
          ? others.map((part, i) => (part.type === 'text' ? <p key={i} className="oc-user-text">{part.text}</p> : null))
          : others.map((part, i) => <PartView key={partKey(part, i)} part={part} streaming={live && i === others.length - 1} strings={strings} />)}
        {live && empty && <span className="oc-typing" aria-hidden="true"><span /><span /><span /></span>}
      </div>
      {(notice !== undefined || usage !== undefined) && (
        <div className="oc-message-footer">
          {notice !== undefined && (
            <span className="oc-finish" data-finish={finish} title={detail}>
              {notice}
              {detail !== undefined && <span className="oc-finish-detail">{detail}</span>}
            </span>
          )}
          <UsageBadge usage={usage} />
        </div>
      )}
    </article>
  )
})

export interface ChatMessageRowProps {
  id: string
  store?: ChatStore
  showUsage?: boolean
}

/** A message of a chat store, subscribed by id: it re-renders only when this message changes. */
export const ChatMessageRow = memo(function ChatMessageRow({ id, store, showUsage }: ChatMessageRowProps) {
  const message = useChatMessage(id, store)
  const live = useChatMessageIsLive(id, store)
  if (message === undefined) return null
  return <Message message={message} live={live} showUsage={showUsage} />
})

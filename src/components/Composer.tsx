import { memo, useId, useRef, useState, type ClipboardEvent, type FormEvent, type KeyboardEvent } from 'react'
import type { Attachment, ChatStatus, PendingMessage } from '../index'
import { ATTACHMENT_LIMITS, AttachmentError, IMAGE_MEDIA_TYPES, fileToAttachment, isBusyStatus, validateAttachment } from '../index'
import { StopButton } from './StopButton'
import { useChatStrings, type ChatStrings } from './strings'
import { cx } from './util'

export interface ComposerInput {
  text: string
  attachments: Attachment[]
}

export interface ComposerProps {
  /** Called with the text and attachments; while busy the chat queues it. May reject with an `AttachmentError`. */
  onSend: (input: ComposerInput) => void | Promise<void>
  /** The chat's status: while busy, sending queues and Esc stops. */
  status?: ChatStatus
  onStop?: () => void
  disabled?: boolean
  /** Messages sent while busy, waiting for their turn (the hook's `queue`). */
  queue?: PendingMessage[]
  onRemoveQueued?: (id: string) => void
  onUpdateQueued?: (id: string, text: string) => void
  /** Image attachments by paste and file picker (default true). */
  allowAttachments?: boolean
  placeholder?: string
  autoFocus?: boolean
  className?: string
  strings?: Partial<ChatStrings>
}

const isBusy = (status: ChatStatus | undefined): boolean => status !== undefined && isBusyStatus(status)
const IMAGE_ACCEPT = IMAGE_MEDIA_TYPES.join(',')
const isComposing = (event: KeyboardEvent): boolean => event.nativeEvent.isComposing || event.keyCode === 229

interface QueuedItemProps {
  item: PendingMessage
  onRemove?: (id: string) => void
  onUpdate?: (id: string, text: string) => void
  strings: ChatStrings
}

/** One queued message: its text, editable inline, and removable. */
const QueuedItem = memo(function QueuedItem({ item, onRemove, onUpdate, strings }: QueuedItemProps) {
  const [draft, setDraft] = useState<string | undefined>(undefined)
  const textId = useId()
  const editRef = useRef<HTMLButtonElement>(null)
  const save = () => {
    if (draft === undefined) return
    if (draft.trim() === '' && item.attachments.length === 0) onRemove?.(item.id)
    else if (draft !== item.text) onUpdate?.(item.id, draft)
    setDraft(undefined)
    queueMicrotask(() => editRef.current?.focus())
  }
  const cancel = () => {
    setDraft(undefined)
    queueMicrotask(() => editRef.current?.focus())
  }
  return (
    <li className="oc-queued" data-editing={draft !== undefined ? '' : undefined}>
      {draft === undefined ? (
        <>
          <span id={textId} className="oc-queued-text">
            {item.text}
            {item.attachments.length > 0 && <span className="oc-queued-attachments">{strings.queuedAttachments(item.attachments.length)}</span>}
          </span>
          <span className="oc-queued-actions">
            {onUpdate !== undefined && (
              <button ref={editRef} type="button" className="oc-link-button oc-queued-edit" aria-describedby={textId} onClick={() => setDraft(item.text)}>
                {strings.editQueued}
              </button>
            )}
            {onRemove !== undefined && (
              <button type="button" className="oc-link-button oc-queued-remove" aria-describedby={textId} onClick={() => onRemove(item.id)}>
                {strings.removeQueued}
              </button>
            )}
          </span>
        </>
      ) : (
        <>
          <textarea
            className="oc-queued-input"
            aria-label={strings.queuedEditLabel}
            value={draft}
            rows={1}
            autoFocus
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.shiftKey && !isComposing(event)) {
                event.preventDefault()
                save()
              } else if (event.key === 'Escape') {
                event.preventDefault()
                event.stopPropagation()
                cancel()
              }
            }}
          />
          <span className="oc-queued-actions">
            <button type="button" className="oc-link-button oc-queued-save" onClick={save}>
              {strings.saveQueued}
            </button>
            <button type="button" className="oc-link-button oc-queued-cancel" onClick={cancel}>
              {strings.cancelEdit}
            </button>
          </span>
        </>
      )}
    </li>
  )
})

/**
 * The message box: Enter sends, Shift+Enter adds a line, Esc stops a busy run; images by paste or file picker;
 * while busy, sending queues and the queue is shown (editable, removable).
 */
export function Composer(props: ComposerProps) {
  const { onSend, status, onStop, disabled = false, queue, onRemoveQueued, onUpdateQueued, allowAttachments = true, autoFocus, className } = props
  const strings = useChatStrings(props.strings)
  const [text, setText] = useState('')
  const [attachments, setAttachments] = useState<Attachment[]>([])
  const [error, setError] = useState<string | undefined>(undefined)
  const fileInput = useRef<HTMLInputElement>(null)
  const textarea = useRef<HTMLTextAreaElement>(null)
  const inputId = useId()
  const errorId = useId()
  const busy = isBusy(status)
  const empty = text.trim() === '' && attachments.length === 0

  const showError = (err: unknown) => {
    if (err instanceof AttachmentError) {
      setError(strings.attachmentError({ code: err.code, message: err.message, ...(err.attachmentName === undefined ? {} : { attachmentName: err.attachmentName }) }))
    } else {
      throw err
    }
  }

  const addFiles = async (files: File[]) => {
    if (files.length === 0) return
    setError(undefined)
    const added: Attachment[] = []
    try {
      if (attachments.length + files.length > ATTACHMENT_LIMITS.maxCount) {
        throw new AttachmentError('too-many', strings.tooManyAttachments(ATTACHMENT_LIMITS.maxCount))
      }
      for (const file of files) {
        // This picker takes images only: say so before reading anything else.
        if (!(IMAGE_MEDIA_TYPES as readonly string[]).includes(file.type)) throw new AttachmentError('unsupported-type', strings.imagesOnly(file.name), file.name)
        const attachment = await fileToAttachment(file)
        validateAttachment(attachment)
        added.push(attachment)
      }
    } catch (err) {
      showError(err)
    }
    if (added.length > 0) setAttachments((current) => [...current, ...added].slice(0, ATTACHMENT_LIMITS.maxCount))
  }

  const submit = () => {
    if (disabled || empty) return
    const input: ComposerInput = { text, attachments }
    setText('')
    setAttachments([])
    setError(undefined)
    let result: void | Promise<void>
    try {
      result = onSend(input)
    } catch (err) {
      restore(input)
      showError(err)
      return
    }
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
      ;(result as Promise<void>).catch((err: unknown) => {
        if (!(err instanceof AttachmentError)) return
        restore(input)
        showError(err)
      })
    }
  }

  const restore = (input: ComposerInput) => {
    setText((current) => (current === '' ? input.text : current))
    setAttachments((current) => (current.length === 0 ? input.attachments : current))
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !isComposing(event)) {
      event.preventDefault()
      submit()
    } else if (event.key === 'Escape' && busy && onStop !== undefined && status !== 'stopping') {
      event.preventDefault()
      onStop()
    }
  }

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    if (!allowAttachments || disabled) return
    const files = Array.from(event.clipboardData?.files ?? []).filter((f) => f.type.startsWith('image/'))
    if (files.length === 0) return
    if ((event.clipboardData.getData('text/plain') ?? '') === '') event.preventDefault()
    void addFiles(files)
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    submit()
  }

  const sendLabel = busy ? strings.queueSend : strings.send

  return (
    <form className={cx('oc-composer', className)} onSubmit={onSubmit} data-busy={busy ? '' : undefined} aria-disabled={disabled || undefined}>
      {queue !== undefined && queue.length > 0 && (
        <section className="oc-queue" aria-label={strings.queuedHeading(queue.length)}>
          <p className="oc-queue-heading" aria-hidden="true">
            {strings.queuedHeading(queue.length)}
          </p>
          <ul className="oc-queue-list">
            {queue.map((item) => (
              <QueuedItem key={item.id} item={item} onRemove={onRemoveQueued} onUpdate={onUpdateQueued} strings={strings} />
            ))}
          </ul>
        </section>
      )}
      {attachments.length > 0 && (
        <ul className="oc-composer-attachments">
          {attachments.map((attachment, index) => {
            const name = attachment.name ?? attachment.kind
            return (
              <li key={index} className="oc-composer-attachment">
                {attachment.kind === 'image' && attachment.dataUrl.startsWith('data:image/') ? (
                  <img className="oc-composer-thumb" src={attachment.dataUrl} alt={strings.attachmentLabel(name)} />
                ) : (
                  <span className="oc-attachment-file">{name}</span>
                )}
                <button
                  type="button"
                  className="oc-icon-button oc-attachment-remove"
                  aria-label={strings.removeAttachment(name)}
                  title={strings.removeAttachment(name)}
                  onClick={() => {
                    setAttachments((current) => current.filter((_, i) => i !== index))
                    textarea.current?.focus()
                  }}
                >
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            )
          })}
        </ul>
      )}
      {error !== undefined && (
        <p id={errorId} className="oc-composer-error" role="alert">
          {error}
        </p>
      )}
      <div className="oc-composer-row">
        {allowAttachments && (
          <>
            <input
              ref={fileInput}
              className="oc-file-input"
              type="file"
              accept={IMAGE_ACCEPT}
              multiple
              hidden
              tabIndex={-1}
              onChange={(event) => {
                const files = Array.from(event.target.files ?? [])
                event.target.value = ''
                void addFiles(files)
              }}
            />
            <button
              type="button"
              className="oc-icon-button oc-attach"
              aria-label={strings.attachImage}
              title={strings.attachImage}
              disabled={disabled}
              onClick={() => fileInput.current?.click()}
            >
              <span className="oc-attach-icon" aria-hidden="true" />
            </button>
          </>
        )}
        <textarea
          ref={textarea}
          id={inputId}
          className="oc-composer-input"
          aria-label={strings.composerLabel}
          aria-describedby={error !== undefined ? errorId : undefined}
          placeholder={props.placeholder ?? (busy ? strings.placeholderBusy : strings.placeholder)}
          value={text}
          rows={1}
          disabled={disabled}
          autoFocus={autoFocus}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        {onStop !== undefined && status !== undefined && <StopButton status={status} onStop={onStop} />}
        <button type="submit" className="oc-button oc-send" data-queue={busy ? '' : undefined} disabled={disabled || empty} aria-label={sendLabel} title={sendLabel}>
          <span className="oc-send-icon" aria-hidden="true" />
          <span className="oc-send-label">{sendLabel}</span>
        </button>
      </div>
    </form>
  )
}

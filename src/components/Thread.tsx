import { memo, useRef, type ReactNode } from 'react'
import type { ChatMessage, ChatState, ChatStore } from '../index'
import { useChatMessageIds, useChatSelector } from '../index'
import { ChatMessageRow, Message } from './Message'
import { ChatStringsProvider, useChatStrings, type ChatStrings } from './strings'
import { useStickToBottom } from './use-stick-to-bottom'
import { cx } from './util'

export interface ThreadProps {
  /** The chat's store (`chat.store`); without it, the store of a `<ChatStoreProvider>` above, unless `messages` is given. */
  store?: ChatStore
  /** Render these messages instead of a store's (stories, transcripts). */
  messages?: ChatMessage[]
  /** With `messages`: the id of the message being streamed. */
  liveMessageId?: string
  /** Per-message usage in the footers (default true). */
  showUsage?: boolean
  /** Shown while there is no message. */
  emptyState?: ReactNode
  className?: string
  strings?: Partial<ChatStrings>
}

interface FrameProps {
  count: number
  followKey: unknown
  emptyState?: ReactNode
  className?: string
  children: ReactNode
}

/** The scrolling log: follows new content, stops when the reader scrolls up, and offers "Jump to latest". */
function ThreadFrame({ count, followKey, emptyState, className, children }: FrameProps) {
  const strings = useChatStrings()
  const scrollRef = useRef<HTMLDivElement>(null)
  const contentRef = useRef<HTMLDivElement>(null)
  const { following, jumpToLatest } = useStickToBottom(scrollRef, contentRef, followKey)
  return (
    <div className={cx('oc-thread', className)}>
      {/* The log is not itself a live region: only the message being streamed announces (aria-live on it). */}
      <div ref={scrollRef} className="oc-thread-scroll" role="log" aria-live="off" aria-label={strings.threadLabel} tabIndex={0}>
        <div ref={contentRef} className="oc-thread-content">
          {count === 0 ? <div className="oc-thread-empty">{emptyState ?? strings.emptyThread}</div> : children}
        </div>
      </div>
      {!following && (
        <button
          type="button"
          className="oc-button oc-jump"
          onClick={() => {
            jumpToLatest()
            scrollRef.current?.focus({ preventScroll: true })
          }}
        >
          <span className="oc-jump-icon" aria-hidden="true" />
          {strings.jumpToLatest}
        </button>
      )}
    </div>
  )
}

function lastUserMessageId(state: ChatState): string | undefined {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const message = state.messages[i]!
    if (message.role === 'user') return message.id
  }
  return undefined
}

const StoreThread = memo(function StoreThread({ store, showUsage, emptyState, className }: Omit<ThreadProps, 'messages' | 'liveMessageId' | 'strings'>) {
  // Re-renders only when a message is added or removed: each row subscribes to its own message.
  const ids = useChatMessageIds(store)
  const followKey = useChatSelector(lastUserMessageId, store)
  return (
    <ThreadFrame count={ids.length} followKey={followKey} emptyState={emptyState} className={className}>
      {ids.map((id) => (
        <ChatMessageRow key={id} id={id} store={store} showUsage={showUsage} />
      ))}
    </ThreadFrame>
  )
})

function StaticThread({ messages, liveMessageId, showUsage, emptyState, className }: Omit<ThreadProps, 'store' | 'strings'> & { messages: ChatMessage[] }) {
  let followKey: string | undefined
  for (let i = messages.length - 1; i >= 0 && followKey === undefined; i--) if (messages[i]!.role === 'user') followKey = messages[i]!.id
  return (
    <ThreadFrame count={messages.length} followKey={followKey} emptyState={emptyState} className={className}>
      {messages.map((message) => (
        <Message key={message.id} message={message} live={message.id === liveMessageId} showUsage={showUsage} />
      ))}
    </ThreadFrame>
  )
}

/** The conversation as a `role="log"`, one row per message. */
export function Thread({ strings, messages, ...props }: ThreadProps) {
  const thread = messages !== undefined ? <StaticThread messages={messages} {...props} /> : <StoreThread {...props} />
  return strings === undefined ? thread : <ChatStringsProvider strings={strings}>{thread}</ChatStringsProvider>
}

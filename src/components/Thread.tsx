import { memo, useCallback, useRef, type ReactNode } from 'react'
import type { ChatMessage, ChatState, ChatStore } from '../index'
import { useChatMessageIds, useChatSelector } from '../index'
import { ChatMessageRow, Message } from './Message'
import { ChatStringsProvider, useChatStrings, type ChatStrings } from './strings'
import { useStickToBottom } from './use-stick-to-bottom'
import { observeElementRect, useVirtualRows } from './use-virtual-rows'
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

/** Threads with at least this many messages render only the rows in and near the view. */
export const VIRTUALIZE_FROM = 50
/** A row's height before it is measured (px). */
const ESTIMATED_ROW_PX = 140
/** The space between rows (px): `.oc-thread-content`'s `gap`. */
const ROW_GAP_PX = 16
/** Rows rendered above and below the view. */
const OVERSCAN_ROWS = 4
/** The view's size while the log has none (not laid out yet, hidden, or no layout at all: SSR, jsdom). */
const UNMEASURED_VIEW = { width: 0, height: 800 }

interface FrameProps {
  count: number
  /** A stable key per row (the message id): measured heights follow the message, not its index. */
  rowKey: (index: number) => string
  renderRow: (index: number) => ReactNode
  followKey: unknown
  emptyState?: ReactNode
  className?: string
}

/**
 * The scrolling log: follows new content, stops when the reader scrolls up, and offers "Jump to latest". A long thread
 * is virtualized: only the rows in and near the view are in the DOM (in order, so find-in-page and reading order work
 * for what is rendered), placed by the virtualizer, which writes their offsets and the content's height to the DOM
 * itself and re-renders the list only when a row in view is not rendered (`useVirtualRows`) — a message that grows
 * while it streams costs no extra commit. It opens at the end.
 */
function ThreadFrame({ count, rowKey, renderRow, followKey, emptyState, className }: FrameProps) {
  const strings = useChatStrings()
  const scrollRef = useRef<HTMLDivElement>(null)
  const contentRef = useRef<HTMLDivElement>(null)
  const virtual = count >= VIRTUALIZE_FROM
  const virtualizer = useVirtualRows({
    count: virtual ? count : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    getItemKey: rowKey,
    gap: ROW_GAP_PX,
    overscan: OVERSCAN_ROWS,
    // Open at the end, where stick-to-bottom puts the view: the first render is the last rows, not the first.
    initialOffset: () => count * (ESTIMATED_ROW_PX + ROW_GAP_PX),
    initialRect: UNMEASURED_VIEW,
    // A log of no height (hidden, not laid out) still renders the rows of a typical view, not none.
    observeElementRect: (instance, onRect) => observeElementRect(instance, (rect) => onRect(rect.height > 0 ? rect : UNMEASURED_VIEW)),
  })
  const { following, jumpToLatest } = useStickToBottom(scrollRef, contentRef, followKey)
  const { containerRef } = virtualizer
  const setContent = useCallback(
    (node: HTMLDivElement | null) => {
      contentRef.current = node
      containerRef(virtual ? node : null)
      // Back to a short thread: drop the height the virtualizer wrote.
      if (node !== null && !virtual) node.style.removeProperty('height')
    },
    [containerRef, virtual],
  )
  // A short thread renders every row (no layout needed: find-in-page, printing and tests see all of it).
  const items = virtual ? virtualizer.items : Array.from({ length: count }, (_, index) => ({ key: rowKey(index), index }))
  const rows =
    count === 0 ? (
      <div className="oc-thread-empty">{emptyState ?? strings.emptyThread}</div>
    ) : (
      items.map(({ key, index }) => (
        <div key={key} className="oc-thread-row" data-index={index} ref={virtual ? virtualizer.rowRef : undefined}>
          {renderRow(index)}
        </div>
      ))
    )
  return (
    <div className={cx('oc-thread', className)} data-virtual={virtual ? '' : undefined}>
      {/* The log is not itself a live region: only the message being streamed announces (aria-live on it). */}
      <div ref={scrollRef} className="oc-thread-scroll" role="log" aria-live="off" aria-label={strings.threadLabel} tabIndex={0}>
        <div ref={setContent} className="oc-thread-content">
          {rows}
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
  const rowKey = useCallback((index: number) => ids[index] as string, [ids])
  const renderRow = useCallback((index: number) => <ChatMessageRow id={ids[index] as string} store={store} showUsage={showUsage} />, [ids, store, showUsage])
  return <ThreadFrame count={ids.length} rowKey={rowKey} renderRow={renderRow} followKey={followKey} emptyState={emptyState} className={className} />
})

function StaticThread({ messages, liveMessageId, showUsage, emptyState, className }: Omit<ThreadProps, 'store' | 'strings'> & { messages: ChatMessage[] }) {
  let followKey: string | undefined
  for (let i = messages.length - 1; i >= 0 && followKey === undefined; i--) if (messages[i]!.role === 'user') followKey = messages[i]!.id
  const rowKey = (index: number): string => messages[index]!.id
  const renderRow = (index: number): ReactNode => {
    const message = messages[index]!
    return <Message message={message} live={message.id === liveMessageId} showUsage={showUsage} />
  }
  return <ThreadFrame count={messages.length} rowKey={rowKey} renderRow={renderRow} followKey={followKey} emptyState={emptyState} className={className} />
}

/** The conversation as a `role="log"`, one row per message. */
export function Thread({ strings, messages, ...props }: ThreadProps) {
  const thread = messages !== undefined ? <StaticThread messages={messages} {...props} /> : <StoreThread {...props} />
  return strings === undefined ? thread : <ChatStringsProvider strings={strings}>{thread}</ChatStringsProvider>
}

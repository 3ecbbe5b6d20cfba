import { useStore } from 'zustand'
import {
  selectError,
  selectIsBusy,
  selectMessage,
  selectMessageIds,
  selectMessages,
  selectQueue,
  selectStatus,
  selectUsage,
  type ChatMessage,
  type ChatState,
  type ChatStatus,
  type ChatStore,
  type PendingMessage,
  type Usage,
} from '../core'
import type { ChatError } from '../protocol'
import { useChatStoreContext } from './provider'

/**
 * Fine-grained subscriptions: each re-renders only when its slice changes. Pass the store (`chat.store`) or
 * render below `<ChatStoreProvider store={chat.store}>`.
 */
export function useChatSelector<T>(selector: (state: ChatState) => T, store?: ChatStore): T {
  return useStore(useChatStoreContext(store), selector)
}

/** One message; re-renders only when that message changes (settled messages never do). */
export function useChatMessage(id: string, store?: ChatStore): ChatMessage | undefined {
  return useChatSelector((state) => selectMessage(state, id), store)
}

/** Message ids in order; unchanged while a message streams, so a thread re-renders only when messages are added. */
export function useChatMessageIds(store?: ChatStore): string[] {
  return useChatSelector(selectMessageIds, store)
}

export function useChatMessages(store?: ChatStore): ChatMessage[] {
  return useChatSelector(selectMessages, store)
}

export function useChatStatus(store?: ChatStore): ChatStatus {
  return useChatSelector(selectStatus, store)
}

export function useChatError(store?: ChatStore): ChatError | undefined {
  return useChatSelector(selectError, store)
}

export function useChatUsage(store?: ChatStore): Usage {
  return useChatSelector(selectUsage, store)
}

export function useChatQueue(store?: ChatStore): PendingMessage[] {
  return useChatSelector(selectQueue, store)
}

export function useChatIsBusy(store?: ChatStore): boolean {
  return useChatSelector(selectIsBusy, store)
}

/** The message being streamed (undefined between runs). */
export function useChatLiveMessage(store?: ChatStore): ChatMessage | undefined {
  return useChatSelector((state) => state.live, store)
}

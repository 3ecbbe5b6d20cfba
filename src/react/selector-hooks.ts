import { useCallback, useSyncExternalStore } from 'react'
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

type Listener = () => void

/** Per store: one store subscription, and listeners keyed by message id. */
const channels = new WeakMap<ChatStore, Map<string, Set<Listener>>>()

/**
 * Subscribes to one message. A delta only replaces `state.live`, so it wakes the live message's subscribers alone:
 * its cost does not grow with the thread. A change of `state.messages` (a message added, settled or loaded) wakes all.
 */
function subscribeMessage(store: ChatStore, id: string, listener: Listener): () => void {
  let byId = channels.get(store)
  if (byId === undefined) {
    const all = (byId = new Map<string, Set<Listener>>())
    channels.set(store, all)
    // Never unsubscribed: it lives as long as the store (the WeakMap entry goes with it) and costs nothing when idle.
    store.subscribe((state, prev) => {
      const wake = (key: string | undefined): void => all.get(key as string)?.forEach((l) => l())
      if (state.messages !== prev.messages) all.forEach((listeners) => listeners.forEach((l) => l()))
      else if (state.live !== prev.live) {
        wake(prev.live?.id)
        if (state.live?.id !== prev.live?.id) wake(state.live?.id)
      }
    })
  }
  let listeners = byId.get(id)
  if (listeners === undefined) byId.set(id, (listeners = new Set()))
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0 && byId.get(id) === listeners) byId.delete(id)
  }
}

function useMessageSlice<T>(id: string, read: (state: ChatState) => T, store?: ChatStore): T {
  const resolved = useChatStoreContext(store)
  const subscribe = useCallback((listener: Listener) => subscribeMessage(resolved, id, listener), [resolved, id])
  const get = (): T => read(resolved.getState())
  return useSyncExternalStore(subscribe, get, get)
}

/** One message; re-renders only when that message changes (settled messages never do, nor does a delta wake them). */
export function useChatMessage(id: string, store?: ChatStore): ChatMessage | undefined {
  return useMessageSlice(id, (state) => selectMessage(state, id), store)
}

/** Whether this message is the one being streamed; like `useChatMessage`, woken only when that can change. */
export function useChatMessageIsLive(id: string, store?: ChatStore): boolean {
  return useMessageSlice(id, (state) => state.live?.id === id, store)
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

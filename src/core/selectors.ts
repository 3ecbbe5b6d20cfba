import type { ChatMessage, ChatState, ChatStatus } from './types'

/** Per messages array: a derived value and the one extra input (the live message or its id) it was derived with. */
type Cache<K, V> = WeakMap<ChatMessage[], { key: K; value: V }>

/** `derive()` for `messages` and `key`, reused until either changes; shared by every subscriber. */
function cached<K, V>(cache: Cache<K, V>, messages: ChatMessage[], key: K, derive: () => V): V {
  let entry = cache.get(messages)
  if (!entry || entry.key !== key) cache.set(messages, (entry = { key, value: derive() }))
  return entry.value
}

const combined: Cache<ChatMessage, ChatMessage[]> = new WeakMap()
const idLists: Cache<string | undefined, string[]> = new WeakMap()
const indexes: Cache<undefined, Map<string, ChatMessage>> = new WeakMap()

/** All messages, the live one last. The same array is returned until a message is added or the live one changes. */
export function selectMessages(state: ChatState): ChatMessage[] {
  const { messages, live } = state
  return live ? cached(combined, messages, live, () => [...messages, live]) : messages
}

/** Message ids in order; the same array until a message is added or removed (streaming does not change it). */
export function selectMessageIds(state: ChatState): string[] {
  return cached(idLists, state.messages, state.live?.id, () => selectMessages(state).map((m) => m.id))
}

/** One message by id in O(1) (the index is built once per messages array and shared by every subscriber). */
export function selectMessage(state: ChatState, id: string): ChatMessage | undefined {
  const { messages, live } = state
  if (live?.id === id) return live
  return cached(indexes, messages, undefined, () => new Map(messages.map((m) => [m.id, m]))).get(id)
}

export const selectStatus = (state: ChatState): ChatState['status'] => state.status
export const selectError = (state: ChatState): ChatState['error'] => state.error
export const selectUsage = (state: ChatState): ChatState['usage'] => state.usage
export const selectQueue = (state: ChatState): ChatState['queue'] => state.queue
/** A turn is on its way: sent, streaming, or being stopped. */
export const isBusyStatus = (status: ChatStatus): boolean => status === 'submitted' || status === 'streaming' || status === 'stopping'
export const selectIsBusy = (state: ChatState): boolean => isBusyStatus(state.status)

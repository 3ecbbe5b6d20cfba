import type { ChatMessage, ChatState } from './types'

const combined = new WeakMap<ChatMessage[], { live: ChatMessage | undefined; all: ChatMessage[] }>()
const idLists = new WeakMap<ChatMessage[], { liveId: string | undefined; ids: string[] }>()
const indexes = new WeakMap<ChatMessage[], Map<string, ChatMessage>>()

/** All messages, the live one last. The same array is returned until a message is added or the live one changes. */
export function selectMessages(state: ChatState): ChatMessage[] {
  const { messages, live } = state
  if (live === undefined) return messages
  const cached = combined.get(messages)
  if (cached !== undefined && cached.live === live) return cached.all
  const all = [...messages, live]
  combined.set(messages, { live, all })
  return all
}

/** Message ids in order; the same array until a message is added or removed (streaming does not change it). */
export function selectMessageIds(state: ChatState): string[] {
  const { messages, live } = state
  const liveId = live?.id
  const cached = idLists.get(messages)
  if (cached !== undefined && cached.liveId === liveId) return cached.ids
  const ids = messages.map((m) => m.id)
  if (liveId !== undefined) ids.push(liveId)
  idLists.set(messages, { liveId, ids })
  return ids
}

/** One message by id in O(1) (the index is built once per messages array and shared by every subscriber). */
export function selectMessage(state: ChatState, id: string): ChatMessage | undefined {
  if (state.live?.id === id) return state.live
  let index = indexes.get(state.messages)
  if (index === undefined) {
    index = new Map(state.messages.map((m) => [m.id, m]))
    indexes.set(state.messages, index)
  }
  return index.get(id)
}

export const selectStatus = (state: ChatState): ChatState['status'] => state.status
export const selectError = (state: ChatState): ChatState['error'] => state.error
export const selectUsage = (state: ChatState): ChatState['usage'] => state.usage
export const selectQueue = (state: ChatState): ChatState['queue'] => state.queue
export const selectIsBusy = (state: ChatState): boolean =>
  state.status === 'submitted' || state.status === 'streaming' || state.status === 'stopping'

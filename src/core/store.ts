import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ChatAction } from './actions'
import { createInitialState, reduceAll } from './reducer'
import type { ChatState } from './types'

export interface ChatStore extends StoreApi<ChatState> {
  /** Applies actions in order and notifies subscribers once (or not at all when nothing changed). */
  dispatch(actions: ChatAction | readonly ChatAction[]): void
}

export interface CreateChatStoreOptions {
  sessionKey?: string
  initialState?: ChatState
  /** Clock for durations; default `Date.now`. */
  now?: () => number
}

/** A zustand vanilla store over the pure reducer. */
export function createChatStore(options: CreateChatStoreOptions = {}): ChatStore {
  const now = options.now ?? Date.now
  const api = createStore<ChatState>()(() => options.initialState ?? createInitialState(options.sessionKey))
  const dispatch = (actions: ChatAction | readonly ChatAction[]): void => {
    const prev = api.getState()
    const next = reduceAll(prev, Array.isArray(actions) ? (actions as readonly ChatAction[]) : [actions as ChatAction], now())
    if (next !== prev) api.setState(next, true)
  }
  return { ...api, dispatch }
}

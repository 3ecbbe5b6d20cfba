import { createContext, createElement, useContext, type ReactNode } from 'react'
import type { ChatStore } from '../core'
import type { HeadersOption } from '../client'

/** Defaults shared by every hook below the provider; each hook's own options win. */
export interface OpenClawConfig {
  baseUrl?: string
  fetch?: typeof fetch
  headers?: HeadersOption
}

const ConfigContext = createContext<OpenClawConfig>({})
const StoreContext = createContext<ChatStore | undefined>(undefined)

/** Optional: shares `baseUrl`, `fetch` and `headers` with every OpenClaw hook below it. */
export function OpenClawProvider(props: OpenClawConfig & { children?: ReactNode }): ReactNode {
  const { children, ...config } = props
  return createElement(ConfigContext.Provider, { value: config }, children)
}

export function useOpenClawConfig(): OpenClawConfig {
  return useContext(ConfigContext)
}

/** Makes a chat's store available to the fine-grained selector hooks (`useChatMessage(id)`, …) below it. */
export function ChatStoreProvider(props: { store: ChatStore; children?: ReactNode }): ReactNode {
  return createElement(StoreContext.Provider, { value: props.store }, props.children)
}

export function useChatStoreContext(store?: ChatStore): ChatStore {
  const fromContext = useContext(StoreContext)
  const resolved = store ?? fromContext
  if (resolved === undefined) {
    throw new Error('openclaw-chat: pass the chat store to this hook, or render it inside <ChatStoreProvider store={chat.store}>')
  }
  return resolved
}

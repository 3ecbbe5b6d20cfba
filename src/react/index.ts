export { useOpenClawChat } from './use-openclaw-chat'
export type { ChatHistoryState, UseOpenClawChatOptions, UseOpenClawChatResult } from './use-openclaw-chat'
export { ChatStoreProvider, OpenClawProvider, useChatStoreContext, useOpenClawConfig } from './provider'
export type { OpenClawConfig } from './provider'
export * from './selector-hooks'
export {
  DEFAULT_HISTORY_PAGE_SIZE,
  useAgentSession,
  useAgentSessions,
  useAgents,
  useClawStatus,
  useOpenClawClient,
  useSessionHistory,
  useStopChat,
} from './queries'
export { openClawKeys } from './query-keys'

export * from './types'
export type { ChatAction, LocalAction } from './actions'
export { applyEvent, applyEvents, createInitialState, messageText, reduce, reduceAll, EMPTY_USAGE } from './reducer'
export { createChatStore } from './store'
export type { ChatStore, CreateChatStoreOptions } from './store'
export { createCoalescer, scheduleFrame } from './coalescer'
export type { Coalescer, Schedule } from './coalescer'
export * from './attachments'
export { awaitsAnswer, historyItemToMessage, historyItemUsage, historyPageMessages, historyTurns, DEFAULT_HISTORY_TURNS, DEFAULT_RESUME_MAX_AGE_MS } from './history'
export * from './selectors'
export { ChatController, DEFAULT_STALL_TIMEOUT_MS, DEFAULT_STOP_GRACE_MS, defaultGenerateId } from './controller'
export type {
  ChatCallbacks,
  ChatControllerOptions,
  FinishInfo,
  ProtocolDiagnostic,
  SendInput,
  UnknownEventInfo,
  UsageRefreshRequest,
} from './controller'

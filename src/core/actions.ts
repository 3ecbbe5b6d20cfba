import type { ChatError, ChatEvent } from '../protocol'
import type { ChatMessage, MessageUsage, PendingMessage } from './types'

/** Local (client-side) actions; their names never collide with stream event types. */
export type LocalAction =
  | {
      /** A turn begins: `user` is appended (absent on retry), `dropMessageId` removed, `assistant` goes live. */
      type: 'turn/start'
      user?: ChatMessage
      assistant: ChatMessage
      dropMessageId?: string
    }
  | { type: 'turn/stop-requested' }
  | {
      /** The client ends the turn itself: stop confirmed locally, stream cut, stalled, or HTTP failure. */
      type: 'turn/finish'
      finish: 'aborted' | 'interrupted' | 'error'
      error?: ChatError
    }
  | { type: 'session/key'; sessionKey: string }
  | { type: 'history/loaded'; messages: ChatMessage[] }
  /**
   * The newest history page again (a refetch on mount, a resume poll): messages after the newest one the store
   * holds are appended, only when that newest message is in the page (nothing local after it) and no turn is live.
   */
  | { type: 'history/synced'; messages: ChatMessage[] }
  | { type: 'usage/filled'; messageId: string; usage: MessageUsage }
  | { type: 'queue/add'; item: PendingMessage }
  | { type: 'queue/remove'; id: string }
  | { type: 'queue/update'; id: string; text: string }
  | { type: 'error/clear' }
  | { type: 'reset'; sessionKey?: string }

export type ChatAction = ChatEvent | LocalAction

/** Turn-level steps shared by the tests that drive the same behaviour over different paths (server, transport, real gateway). */
import { messageText, type ChatController, type ChatMessage, type ChatState } from '../../src/core'
import { until } from './fake-server'

/** The last settled message. */
export const lastMessage = (state: ChatState): ChatMessage => state.messages[state.messages.length - 1] as ChatMessage

/** The streaming answer's text so far. */
export const liveText = (state: ChatState): string => messageText(state.live ?? { parts: [] })

/** The prompt the fake models answer slowly, word by word (`w0 w1 w2 …`). */
export const SLOW_PROMPT = 'SLOW please write a long answer'

/** A streamed-text condition: at least `n` words. */
export const words = (n: number) => (text: string): boolean => text.split(' ').length >= n

/**
 * Sends the slow prompt, waits until the streamed text satisfies `streamed`, stops, and waits for the turn to end.
 * Returns how long the stop took and the finished message.
 */
export async function stopMidAnswer(chat: ChatController, streamed: (text: string) => boolean): Promise<{ elapsedMs: number; message: ChatMessage; partial: string }> {
  const state = (): ChatState => chat.store.getState()
  const sent = chat.send(SLOW_PROMPT)
  await until(() => streamed(liveText(state())), 20_000)
  const t0 = Date.now()
  await chat.stop()
  await sent
  const message = lastMessage(state())
  return { elapsedMs: Date.now() - t0, message, partial: messageText(message) }
}

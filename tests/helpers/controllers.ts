import { afterEach } from 'vitest'
import { ChatController, type ChatCallbacks, type ChatControllerOptions, type FinishInfo, type ProtocolDiagnostic, type UnknownEventInfo } from '../../src/core'
import type { ChatEvent } from '../../src/protocol'

/** A list for the controllers a test file creates: each is disposed after its test, so no timer or stream outlives it. */
export function disposedAfterEach(): ChatController[] {
  const controllers: ChatController[] = []
  afterEach(() => {
    for (const c of controllers.splice(0)) c.dispose()
  })
  return controllers
}

/** What a controller reported through its callbacks, in order. */
export interface CallbackLog {
  events: ChatEvent[]
  unknown: UnknownEventInfo[]
  diagnostics: ProtocolDiagnostic[]
  finishes: FinishInfo[]
}

/** A controller with deterministic ids whose callbacks are recorded (`options` may not set the callbacks). */
export function recordingController(options: Omit<ChatControllerOptions, keyof ChatCallbacks | 'generateId'>): { chat: ChatController; log: CallbackLog } {
  const log: CallbackLog = { events: [], unknown: [], diagnostics: [], finishes: [] }
  let n = 0
  const chat = new ChatController({
    ...options,
    generateId: () => `id-${++n}`,
    onEvent: (event) => log.events.push(event),
    onUnknownEvent: (info) => log.unknown.push(info),
    onDiagnostic: (d) => log.diagnostics.push(d),
    onFinish: (info) => log.finishes.push(info),
  })
  return { chat, log }
}

import { afterEach } from 'vitest'
import type { ChatController } from '../../src/core'

/** A list for the controllers a test file creates: each is disposed after its test, so no timer or stream outlives it. */
export function disposedAfterEach(): ChatController[] {
  const controllers: ChatController[] = []
  afterEach(() => {
    for (const c of controllers.splice(0)) c.dispose()
  })
  return controllers
}

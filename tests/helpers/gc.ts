import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** The garbage collector: `--expose-gc`'s when given, else exposed at runtime; undefined where neither works. */
export const gc: (() => void) | undefined =
  globalThis.gc ??
  (() => {
    try {
      setFlagsFromString('--expose-gc')
      return runInNewContext('gc') as () => void
    } catch {
      return undefined
    }
  })()

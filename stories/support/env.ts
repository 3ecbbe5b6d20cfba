/// <reference types="vite/client" />

/**
 * Every story also runs as a test (tests/stories: portable stories in jsdom under Vitest, mode `test`). There the mock
 * server runs without delays and the short timeouts are shorter still, so a story's `play` finishes in milliseconds;
 * in Storybook the same stories stream at realistic speed.
 */
export const IN_TESTS = import.meta.env.MODE === 'test'

/** `ms` in Storybook; a tenth of it (at least 20 ms) in the stories test. */
export const storyMs = (ms: number): number => (IN_TESTS ? Math.max(20, Math.round(ms / 10)) : ms)

/** How long a `play` function waits for a streamed state to appear. */
export const PLAY_TIMEOUT_MS = IN_TESTS ? 5_000 : 15_000

/** Which backend the demo talks to, fixed at build/serve time by vite.config.ts. */
export type DemoBackend = 'mock' | 'server' | 'gateway'

declare const __OPENCLAW_BACKEND__: DemoBackend | undefined

export const backend: DemoBackend = typeof __OPENCLAW_BACKEND__ === 'string' ? __OPENCLAW_BACKEND__ : 'mock'

/** openclaw-chat — headless entry: protocol, core, client and React hooks. No components, markdown or CSS. */
export * from './protocol'
export * from './core'
export * from './client'
export * from './react'

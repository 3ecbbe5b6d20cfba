export { createOpenClawClient } from './client'
export type { HeadersOption, OpenClawClient, OpenClawClientOptions } from './client'
export { errorFromResponse } from './http-errors'

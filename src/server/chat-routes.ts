import type { IncomingMessage, ServerResponse } from 'node:http'
import { gatewayTurn } from '../gateway/attachments'
import type { GatewayRunHandle } from '../gateway/chat'
import { gatewayErrorStatus } from '../gateway/errors'
import { clawSessionKey, gatewaySessionKey } from '../gateway/session-keys'
import type { OpenStream, ServerContext } from './context'
import { HttpError, readJsonBody, sendJson } from './http'
import { assertAgent } from './info-routes'
import { SseStream } from './sse'
import { checkChatBody, checkStopBody } from './validate'

function newKey(): string {
  return globalThis.crypto.randomUUID()
}

/**
 * `POST /claw/agents/:agentId/chat`: validates, sends `chat.send`, then streams the run as SSE (keep-alive
 * comments, `usage` before `done`, `[DONE]` last). Failures before the stream are JSON `{error}`.
 */
export async function handleChat(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, agentId: string, cors: Record<string, string>): Promise<void> {
  const checked = checkChatBody(await readJsonBody(req, ctx.maxBodyBytes))
  if (!checked.ok) throw new HttpError(400, checked.error)
  if (ctx.closing) throw new HttpError(503, 'The server is shutting down')
  const input = checked.value
  await assertAgent(ctx, agentId)
  const bare = input.sessionKey === undefined ? newKey() : clawSessionKey(input.sessionKey)
  const sessionKey = gatewaySessionKey(agentId, bare)
  const turn = gatewayTurn(input.message, input.attachments)
  let run: GatewayRunHandle
  try {
    run = await ctx.chat.start({ sessionKey, message: turn.message, attachments: turn.attachments })
  } catch (error) {
    const status = gatewayErrorStatus(error)
    const message = error instanceof Error ? error.message : 'Could not reach the OpenClaw gateway'
    ctx.logger.warn(`chat.send failed for agent ${agentId}: ${message}`)
    return sendJson(res, status, { error: message }, cors)
  }
  const sse = new SseStream(res, { ...cors, 'x-session-key': gatewaySessionKey(agentId, bare) }, ctx.keepAliveMs)
  let resolveDone = (): void => undefined
  const stream: OpenStream = { sse, run, done: new Promise<void>((resolve) => (resolveDone = resolve)) }
  ctx.streams.add(stream)
  // The client went away: stop listening (the run goes on; a stop is always an explicit POST …/chat/stop).
  res.on('close', () => run.detach())
  try {
    for await (const events of run.events) {
      sse.send(events)
      if (sse.ended) break
    }
  } finally {
    run.detach()
    sse.done()
    ctx.streams.delete(stream)
    resolveDone()
    ctx.logger.info(`run ${run.runId} (agent ${agentId}) ended: ${run.outcome ?? 'client gone'}`)
  }
}

/** `POST /claw/agents/:agentId/chat/stop`: `chat.abort`; when the gateway cannot be told, open streams end anyway. */
export async function handleStop(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, agentId: string, cors: Record<string, string>): Promise<void> {
  const checked = checkStopBody(await readJsonBody(req, 64 * 1024))
  if (!checked.ok) throw new HttpError(400, checked.error)
  const sessionKey = gatewaySessionKey(agentId, checked.value.sessionKey)
  try {
    const result = await ctx.chat.abort({ sessionKey, ...(checked.value.runId === undefined ? {} : { runId: checked.value.runId }) })
    sendJson(res, 200, result, cors)
  } catch (error) {
    const message = error instanceof Error ? error.message : 'The gateway could not be reached'
    ctx.logger.warn(`chat.abort failed (the stream was closed here): ${message}`)
    sendJson(res, 500, { error: `Could not stop the run on the gateway (${message}); the stream was closed` }, cors)
  }
}

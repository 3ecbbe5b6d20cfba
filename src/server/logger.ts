/** Where the server writes its one-line logs. Secrets never reach it: lines are passed through `redact` first. */
export interface ClawLogger {
  info(line: string): void
  warn(line: string): void
  error(line: string): void
}

export const consoleLogger: ClawLogger = {
  info: (line) => console.error(`[openclaw-chat-server] ${line}`),
  warn: (line) => console.error(`[openclaw-chat-server] warning: ${line}`),
  error: (line) => console.error(`[openclaw-chat-server] error: ${line}`),
}

export const silentLogger: ClawLogger = { info: () => undefined, warn: () => undefined, error: () => undefined }

/** A logger that replaces every occurrence of the given secrets with `***`. */
export function redactingLogger(base: ClawLogger, secrets: ReadonlyArray<string | undefined>): ClawLogger {
  const hidden = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4)
  const redact = (line: string): string => hidden.reduce((text, secret) => text.split(secret).join('***'), line)
  return { info: (l) => base.info(redact(l)), warn: (l) => base.warn(redact(l)), error: (l) => base.error(redact(l)) }
}

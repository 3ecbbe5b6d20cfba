import { createContext, useContext, useMemo, useRef, type ReactNode } from 'react'
import type { ChatErrorKind, ServerErrorKind } from '../index'

/**
 * Every user-visible string of the components. Override any subset with `<ChatStringsProvider strings={…}>` or a
 * component's `strings` prop; formatting (numbers, durations, cost) lives here too so a locale can change it.
 */
export interface ChatStrings {
  // Thread
  threadLabel: string
  emptyThread: string
  jumpToLatest: string
  userRole: string
  assistantRole: string
  // Message footer
  finishAborted: string
  finishInterrupted: string
  finishError: string
  attachmentLabel: (name: string) => string
  // Reasoning
  thinking: string
  /** Header of a finished reasoning block with a known duration, e.g. "Thought for 3 s". */
  thoughtFor: (duration: string) => string
  /** Header of a finished reasoning block without a duration (loaded from history). */
  thought: string
  showReasoning: string
  hideReasoning: string
  // Tools
  toolRunning: string
  toolFailed: string
  toolInterrupted: string
  toolDone: string
  toolName: string
  toolArguments: string
  toolResult: string
  toolNoResult: string
  showMore: string
  showLess: string
  toolDetails: (title: string) => string
  // Usage
  usageLabel: (tokensIn: string, tokensOut: string, cost: string) => string
  usageIn: (tokens: string) => string
  usageOut: (tokens: string) => string
  sessionUsage: string
  // Markdown
  copyCode: string
  copied: string
  copyCodeLabel: (language: string) => string
  // Composer
  composerLabel: string
  placeholder: string
  placeholderBusy: string
  send: string
  queueSend: string
  attachImage: string
  removeAttachment: (name: string) => string
  /** An `AttachmentError` (code `too-many`, `too-large`, `unsupported-type`, `unreadable`) as shown to the reader. */
  attachmentError: (error: { code: string; message: string; attachmentName?: string }) => string
  tooManyAttachments: (max: number) => string
  imagesOnly: (name: string) => string
  queuedHeading: (count: number) => string
  editQueued: string
  saveQueued: string
  cancelEdit: string
  removeQueued: string
  queuedEditLabel: string
  queuedAttachments: (count: number) => string
  // Stop
  stop: string
  stopping: string
  // Errors
  errorTitle: string
  errorHttp: (status: number | undefined) => string
  errorNetwork: string
  errorStalled: string
  errorProtocol: string
  errorServer: (errorKind: ServerErrorKind | undefined) => string
  errorDetail: (kind: ChatErrorKind, message: string) => string
  retry: string
  dismiss: string
  // Agents and header
  agentLabel: string
  agentsLoading: string
  agentsError: string
  newChat: string
  // Formatting
  formatDuration: (ms: number) => string
  formatTokens: (count: number) => string
  formatCost: (usd: number) => string
}

const nf = (options: Intl.NumberFormatOptions): Intl.NumberFormat => new Intl.NumberFormat('en', options)
const compact = nf({ notation: 'compact', maximumFractionDigits: 1 })
const integer = nf({ maximumFractionDigits: 0 })

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return ''
  if (ms < 1000) return `${Math.round(ms)} ms`
  const seconds = ms / 1000
  if (seconds < 10) return `${(Math.round(seconds * 10) / 10).toString()} s`
  if (seconds < 60) return `${Math.round(seconds)} s`
  const minutes = Math.floor(seconds / 60)
  const rest = Math.round(seconds - minutes * 60)
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`
}

function formatCost(usd: number): string {
  if (!Number.isFinite(usd)) return ''
  if (usd === 0) return '$0'
  if (usd < 0.01) return `$${usd.toPrecision(2).replace(/0+$/, '')}`
  return `$${usd.toFixed(2)}`
}

const SERVER_ERRORS: Record<ServerErrorKind, string> = {
  refusal: 'The model declined to answer this request.',
  timeout: 'The model took too long to answer.',
  rate_limit: 'Rate limit reached. Wait a moment, then try again.',
  context_length: 'This conversation is too long for the model. Start a new chat.',
  unknown: 'The agent ran into an error.',
}

export const defaultStrings: ChatStrings = {
  threadLabel: 'Conversation',
  emptyThread: 'Send a message to start the conversation.',
  jumpToLatest: 'Jump to latest',
  userRole: 'You',
  assistantRole: 'Agent',
  finishAborted: 'Stopped',
  finishInterrupted: 'Interrupted',
  finishError: 'The answer failed',
  attachmentLabel: (name) => `Attachment: ${name}`,
  thinking: 'Thinking…',
  thoughtFor: (duration) => `Thought for ${duration}`,
  thought: 'Reasoning',
  showReasoning: 'Show reasoning',
  hideReasoning: 'Hide reasoning',
  toolRunning: 'Running…',
  toolFailed: 'Failed',
  toolInterrupted: 'Interrupted',
  toolDone: 'Done',
  toolName: 'Tool',
  toolArguments: 'Arguments',
  toolResult: 'Result',
  toolNoResult: 'No result',
  showMore: 'Show more',
  showLess: 'Show less',
  toolDetails: (title) => `Details of ${title}`,
  usageLabel: (tokensIn, tokensOut, cost) =>
    [tokensIn && `${tokensIn} tokens in`, tokensOut && `${tokensOut} tokens out`, cost && `cost ${cost}`].filter(Boolean).join(', '),
  usageIn: (tokens) => `${tokens} in`,
  usageOut: (tokens) => `${tokens} out`,
  sessionUsage: 'Session',
  copyCode: 'Copy',
  copied: 'Copied',
  copyCodeLabel: (language) => (language ? `Copy ${language} code` : 'Copy code'),
  composerLabel: 'Message',
  placeholder: 'Ask something…',
  placeholderBusy: 'Type to queue a message…',
  send: 'Send',
  queueSend: 'Queue',
  attachImage: 'Attach image',
  removeAttachment: (name) => `Remove ${name}`,
  attachmentError: (error) => error.message,
  tooManyAttachments: (max) => `At most ${max} attachments can be sent at once.`,
  imagesOnly: (name) => `“${name}” is not an image: attach PNG, JPEG, WebP or GIF files.`,
  queuedHeading: (count) => (count === 1 ? '1 queued message' : `${count} queued messages`),
  editQueued: 'Edit',
  saveQueued: 'Save',
  cancelEdit: 'Cancel',
  removeQueued: 'Remove',
  queuedEditLabel: 'Edit queued message',
  queuedAttachments: (count) => (count === 1 ? '1 attachment' : `${count} attachments`),
  stop: 'Stop',
  stopping: 'Stopping…',
  errorTitle: 'Something went wrong',
  errorHttp: (status) => (status === undefined ? 'The server refused the request.' : `The server answered with an error (HTTP ${status}).`),
  errorNetwork: 'Could not reach the server. Check the connection and try again.',
  errorStalled: 'The server stopped responding.',
  errorProtocol: 'The server sent a response the chat could not read.',
  errorServer: (errorKind) => SERVER_ERRORS[errorKind ?? 'unknown'] ?? SERVER_ERRORS.unknown,
  errorDetail: (_kind, message) => message,
  retry: 'Retry',
  dismiss: 'Dismiss',
  agentLabel: 'Agent',
  agentsLoading: 'Loading agents…',
  agentsError: 'Could not load the agents',
  newChat: 'New chat',
  formatDuration,
  formatTokens: (count) => (count >= 10_000 ? compact.format(count) : integer.format(count)),
  formatCost,
}

const StringsContext = createContext<ChatStrings>(defaultStrings)

function shallowEqual(a: object, b: object): boolean {
  if (a === b) return true
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  for (const key of keys) if (!Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false
  return true
}

/** Overrides some strings for every component below it (nested providers merge). */
export function ChatStringsProvider(props: { strings: Partial<ChatStrings>; children?: ReactNode }): ReactNode {
  const parent = useContext(StringsContext)
  // An inline `strings={{…}}` object is new on every render: keep the previous one while its entries are the same,
  // so the components below do not all re-render.
  const stable = useRef(props.strings)
  if (!shallowEqual(stable.current, props.strings)) stable.current = props.strings
  const strings = stable.current
  const value = useMemo(() => ({ ...parent, ...strings }), [parent, strings])
  return <StringsContext.Provider value={value}>{props.children}</StringsContext.Provider>
}

/** The strings in effect: the provider's, with a component's own `strings` prop on top. */
export function useChatStrings(override?: Partial<ChatStrings>): ChatStrings {
  const base = useContext(StringsContext)
  return useMemo(() => (override === undefined ? base : { ...base, ...override }), [base, override])
}

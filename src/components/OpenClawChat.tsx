import { useCallback, useState } from 'react'
import type { UseOpenClawChatOptions } from '../index'
import { useAgents, useOpenClawChat } from '../index'
import { AgentPicker } from './AgentPicker'
import { Composer, type ComposerInput } from './Composer'
import { ErrorBanner } from './ErrorBanner'
import { ChatStringsProvider, useChatStrings, type ChatStrings } from './strings'
import { Thread } from './Thread'
import { UsageBadge } from './UsageBadge'
import { cx } from './util'

export interface OpenClawChatProps extends UseOpenClawChatOptions {
  /** Show an agent picker (agents from `GET /claw/agents`); the chosen agent replaces `agentId`. */
  showAgentPicker?: boolean
  onAgentChange?: (agentId: string) => void
  /** Session totals in the header (default true). */
  showSessionUsage?: boolean
  /** Per-message usage in the footers (default true). */
  showMessageUsage?: boolean
  /** A "New chat" button in the header (default true). */
  showNewChat?: boolean
  allowAttachments?: boolean
  placeholder?: string
  autoFocus?: boolean
  /** `auto` (default) follows `prefers-color-scheme` or an ancestor's `data-theme`. */
  theme?: 'light' | 'dark' | 'auto'
  className?: string
  strings?: Partial<ChatStrings>
}

function ConnectedAgentPicker(props: { baseUrl?: string; fetch?: typeof fetch; headers?: UseOpenClawChatOptions['headers']; value: string; onChange: (id: string) => void; disabled?: boolean }) {
  const agents = useAgents({ baseUrl: props.baseUrl, fetch: props.fetch, headers: props.headers })
  return (
    <AgentPicker
      agents={agents.data?.agents ?? []}
      value={props.value}
      onChange={props.onChange}
      loading={agents.isLoading}
      error={agents.error ?? undefined}
      disabled={props.disabled}
    />
  )
}

function ChatBody(props: OpenClawChatProps) {
  const {
    showAgentPicker = false,
    onAgentChange,
    showSessionUsage = true,
    showMessageUsage = true,
    showNewChat = true,
    allowAttachments,
    placeholder,
    autoFocus,
    theme = 'auto',
    className,
    strings: _strings,
    ...options
  } = props
  const strings = useChatStrings()
  const [picked, setPicked] = useState<{ from: string; agentId: string } | undefined>(undefined)
  // A new `agentId` prop wins over an earlier pick.
  const agentId = picked !== undefined && picked.from === options.agentId ? picked.agentId : options.agentId
  const chat = useOpenClawChat({ ...options, agentId })
  const { send, stop, retry, clearError, removeQueued, updateQueued, reset } = chat
  const onSend = useCallback((input: ComposerInput) => send(input), [send])
  const onStop = useCallback(() => void stop(), [stop])
  const onRetry = useCallback(() => void retry(), [retry])
  const onAgent = useCallback(
    (id: string) => {
      setPicked({ from: options.agentId, agentId: id })
      onAgentChange?.(id)
    },
    [options.agentId, onAgentChange],
  )
  const status = chat.status
  const hasHeader = showAgentPicker || showSessionUsage || showNewChat
  return (
    <div className={cx('oc-chat', className)} data-theme={theme === 'auto' ? undefined : theme} data-status={status}>
      {hasHeader && (
        <header className="oc-chat-header">
          {showAgentPicker && (
            <ConnectedAgentPicker baseUrl={options.baseUrl} fetch={options.fetch} headers={options.headers} value={agentId} onChange={onAgent} />
          )}
          <span className="oc-chat-header-spacer" />
          {showSessionUsage && <UsageBadge usage={chat.usage} variant="session" />}
          {showNewChat && (
            <button type="button" className="oc-button oc-new-chat" onClick={reset}>
              {strings.newChat}
            </button>
          )}
        </header>
      )}
      <Thread store={chat.store} showUsage={showMessageUsage} />
      <ErrorBanner error={chat.error} onRetry={onRetry} onDismiss={clearError} />
      <Composer
        onSend={onSend}
        status={status}
        onStop={onStop}
        queue={chat.queue}
        onRemoveQueued={removeQueued}
        onUpdateQueued={updateQueued}
        allowAttachments={allowAttachments}
        placeholder={placeholder}
        autoFocus={autoFocus}
      />
    </div>
  )
}

/**
 * A complete chat for one OpenClaw agent: thread, error banner, composer with stop and queue, and optionally an
 * agent picker. Needs a `QueryClientProvider` above it (and nothing else).
 */
export function OpenClawChat(props: OpenClawChatProps) {
  const body = <ChatBody {...props} />
  return props.strings === undefined ? body : <ChatStringsProvider strings={props.strings}>{body}</ChatStringsProvider>
}

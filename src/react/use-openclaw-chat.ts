import { MutationObserver, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import type { HeadersOption, OpenClawClient } from '../client'
import {
  ChatController,
  historyItemUsage,
  historyPageMessages,
  selectMessages,
  type ChatCallbacks,
  type ChatMessage,
  type ChatState,
  type ChatStatus,
  type ChatStore,
  type MessageUsage,
  type PendingMessage,
  type SendInput,
  type Usage,
} from '../core'
import { normalizeSessionKey, type ChatError, type ChatTransport, type HistoryPage } from '../protocol'
import { DEFAULT_HISTORY_PAGE_SIZE, useOpenClawClient } from './queries'
import { openClawKeys } from './query-keys'

export interface UseOpenClawChatOptions extends ChatCallbacks {
  agentId: string
  /** Default '' (same origin); routes under `${baseUrl}/claw/...`. */
  baseUrl?: string
  /** Continue this conversation: its history is loaded (once, through react-query) before new messages. */
  sessionKey?: string
  fetch?: typeof fetch
  headers?: HeadersOption
  /** No byte for this long = stalled (default 45 000). */
  stallTimeoutMs?: number
  /** The server did not confirm a stop within this long → close locally (default 2 000). */
  stopGraceMs?: number
  /** Prior turns sent as `history` with each message (default 20). */
  historyTurns?: number
  /** History page size (default 50). */
  historyPageSize?: number
  /** Another transport (e.g. a gateway's WebSocket) instead of the `/claw` HTTP client. */
  transport?: ChatTransport
}

export interface ChatHistoryState {
  /** The first page of a given `sessionKey` is loading. */
  isLoading: boolean
  error: ChatError | undefined
  /** Older pages exist on the server. */
  hasOlder: boolean
  /** Fetches the next older page and places it before the current messages. */
  loadOlder: () => Promise<void>
}

export interface UseOpenClawChatResult {
  messages: ChatMessage[]
  status: ChatStatus
  error: ChatError | undefined
  /** Session totals. */
  usage: Usage
  sessionKey: string | undefined
  runId: string | undefined
  queue: PendingMessage[]
  /** status is submitted, streaming or stopping. */
  isBusy: boolean
  history: ChatHistoryState
  send: (input: string | SendInput) => Promise<void>
  stop: () => Promise<void>
  retry: () => Promise<void>
  /** Starts a new conversation (stops a running turn first). */
  reset: () => void
  removeQueued: (id: string) => void
  updateQueued: (id: string, text: string) => void
  clearError: () => void
  /** The underlying store, for the fine-grained selector hooks (`useChatMessage(id, chat.store)`). */
  store: ChatStore
}

type Tracked = 'messages' | 'status' | 'error' | 'usage' | 'sessionKey' | 'runId' | 'queue' | 'isBusy'

const readers: Record<Tracked, (state: ChatState) => unknown> = {
  messages: selectMessages,
  status: (s) => s.status,
  error: (s) => s.error,
  usage: (s) => s.usage,
  sessionKey: (s) => s.sessionKey,
  runId: (s) => s.runId,
  queue: (s) => s.queue,
  isBusy: (s) => s.status === 'submitted' || s.status === 'streaming' || s.status === 'stopping',
}

/**
 * Re-renders only when a field this component actually read changes: a component that uses `send` and
 * `status` does not re-render for every delta.
 */
function useTrackedState(store: ChatStore): { snapshot: ChatState; read: (key: Tracked) => unknown } {
  const tracked = useRef(new Set<Tracked>())
  const last = useRef<ChatState | undefined>(undefined)
  const getSnapshot = useCallback((): ChatState => {
    const next = store.getState()
    const prev = last.current
    if (prev !== undefined && prev !== next) {
      let same = true
      for (const key of tracked.current) {
        if (!Object.is(readers[key](prev), readers[key](next))) {
          same = false
          break
        }
      }
      if (same) return prev
    }
    last.current = next
    return next
  }, [store])
  const snapshot = useSyncExternalStore(store.subscribe, getSnapshot, getSnapshot)
  return {
    snapshot,
    read: (key) => {
      tracked.current.add(key)
      return readers[key](store.getState())
    },
  }
}

function latestUsage(page: HistoryPage, message: ChatMessage): MessageUsage | undefined {
  const items = Array.isArray(page.items) ? page.items : []
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]
    if (item?.role !== 'assistant') continue
    return historyItemUsage(item)
  }
  return message.usage
}

function stopThroughMutation(queryClient: QueryClient, base: ChatTransport, baseUrl: string): ChatTransport['stop'] {
  return (request) =>
    new MutationObserver(queryClient, {
      mutationKey: openClawKeys.stop(baseUrl, request.agentId),
      mutationFn: () => base.stop(request),
      retry: false,
    }).mutate()
}

/**
 * The headless chat hook. Works inside a plain `<QueryClientProvider>`; `OpenClawProvider` is optional.
 */
export function useOpenClawChat(options: UseOpenClawChatOptions): UseOpenClawChatResult {
  const queryClient = useQueryClient()
  const optionsRef = useRef(options)
  optionsRef.current = options
  // Callbacks read the latest options, so changing a callback never re-creates anything.
  const [callbacks] = useState<ChatCallbacks>(() => ({
    onEvent: (event) => optionsRef.current.onEvent?.(event),
    onUnknownEvent: (info) => optionsRef.current.onUnknownEvent?.(info),
    onDiagnostic: (diagnostic) => optionsRef.current.onDiagnostic?.(diagnostic),
    onFinish: (info) => optionsRef.current.onFinish?.(info),
    onError: (error) => optionsRef.current.onError?.(error),
  }))
  const client: OpenClawClient = useOpenClawClient({ baseUrl: options.baseUrl, fetch: options.fetch, headers: options.headers })
  const baseTransport: ChatTransport = options.transport ?? client
  const { agentId } = options
  const pageSize = options.historyPageSize ?? DEFAULT_HISTORY_PAGE_SIZE
  const wantedKey = options.sessionKey === undefined || options.sessionKey === '' ? undefined : normalizeSessionKey(options.sessionKey)

  const transport = useMemo<ChatTransport>(() => {
    const wrapped: ChatTransport = {
      chat: (request) => baseTransport.chat(request),
      stop: stopThroughMutation(queryClient, baseTransport, client.baseUrl),
    }
    if (baseTransport.history !== undefined) wrapped.history = (request) => baseTransport.history!(request)
    return wrapped
  }, [baseTransport, queryClient, client.baseUrl])

  const entry = useRef<{ controller: ChatController; agentId: string; transport: ChatTransport } | undefined>(undefined)
  let current = entry.current
  if (
    current === undefined ||
    current.agentId !== agentId ||
    current.transport !== transport ||
    (wantedKey !== undefined && wantedKey !== current.controller.store.getState().sessionKey)
  ) {
    const controller = new ChatController({
      ...callbacks,
      agentId,
      transport,
      ...(wantedKey === undefined ? {} : { sessionKey: wantedKey }),
    })
    current = { controller, agentId, transport }
    entry.current = current
  }
  const controller = current.controller

  useEffect(() => {
    controller.activate()
    return () => controller.dispose()
  }, [controller])

  // Settings that may change between renders without starting a new conversation.
  const { stallTimeoutMs, stopGraceMs, historyTurns } = options
  useEffect(() => {
    controller.setOptions({
      ...callbacks,
      agentId,
      transport,
      ...(stallTimeoutMs === undefined ? {} : { stallTimeoutMs }),
      ...(stopGraceMs === undefined ? {} : { stopGraceMs }),
      ...(historyTurns === undefined ? {} : { historyTurns }),
      refreshUsage: async ({ sessionKey, message }) => {
        if (transport.history === undefined) return undefined
        const page = await queryClient.fetchQuery({
          queryKey: openClawKeys.latestHistory(client.baseUrl, agentId, sessionKey),
          queryFn: ({ signal }) => transport.history!({ agentId, sessionKey, limit: 4, signal }),
          staleTime: 0,
          retry: false,
        })
        return latestUsage(page, message)
      },
    })
  }, [controller, callbacks, agentId, transport, stallTimeoutMs, stopGraceMs, historyTurns, queryClient, client.baseUrl])

  // History of a given session: the newest page once, through react-query; older pages on demand.
  const historyQuery = useQuery<HistoryPage, ChatError>({
    queryKey: openClawKeys.history(client.baseUrl, agentId, wantedKey ?? ''),
    queryFn: ({ signal }) => transport.history!({ agentId, sessionKey: wantedKey ?? '', limit: pageSize, signal }),
    enabled: wantedKey !== undefined && transport.history !== undefined,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: 1,
  })
  const [olderCursor, setOlderCursor] = useState<{ controller: ChatController; cursor: string | undefined; hasMore: boolean } | undefined>(undefined)
  const loaded = useRef(new WeakSet<object>())
  useEffect(() => {
    const page = historyQuery.data
    if (page === undefined || loaded.current.has(page)) return
    loaded.current.add(page)
    controller.loadHistory(historyPageMessages(page))
    setOlderCursor({ controller, cursor: page.page?.cursor ?? undefined, hasMore: page.page?.hasMore === true })
  }, [historyQuery.data, controller])

  const older = olderCursor?.controller === controller ? olderCursor : undefined
  const loadOlder = useCallback(async (): Promise<void> => {
    const sessionKey = controller.store.getState().sessionKey
    if (older?.cursor === undefined || !older.hasMore || sessionKey === undefined || transport.history === undefined) return
    const cursor = older.cursor
    const page = await queryClient.fetchQuery({
      queryKey: openClawKeys.history(client.baseUrl, agentId, sessionKey, cursor),
      queryFn: ({ signal }) => transport.history!({ agentId, sessionKey, cursor, limit: pageSize, signal }),
      staleTime: Infinity,
    })
    controller.loadHistory(historyPageMessages(page))
    setOlderCursor({ controller, cursor: page.page?.cursor ?? undefined, hasMore: page.page?.hasMore === true })
  }, [older, controller, transport, queryClient, client.baseUrl, agentId, pageSize])

  const { snapshot, read } = useTrackedState(controller.store)
  const historyError = historyQuery.error ?? undefined
  const history = useMemo<ChatHistoryState>(
    () => ({ isLoading: historyQuery.isLoading, error: historyError ?? undefined, hasOlder: older?.hasMore === true, loadOlder }),
    [historyQuery.isLoading, historyError, older?.hasMore, loadOlder],
  )

  return useMemo<UseOpenClawChatResult>(() => {
    const actions = {
      send: (input: string | SendInput) => controller.send(input),
      stop: () => controller.stop(),
      retry: () => controller.retry(),
      reset: () => controller.reset(),
      removeQueued: (id: string) => controller.removeQueued(id),
      updateQueued: (id: string, text: string) => controller.updateQueued(id, text),
      clearError: () => controller.clearError(),
    }
    const result = { ...actions, history, store: controller.store } as UseOpenClawChatResult
    for (const key of Object.keys(readers) as Tracked[]) {
      Object.defineProperty(result, key, { enumerable: true, get: () => read(key) })
    }
    return result
    // A new object whenever a field this component reads changes, so memoized children see the change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [controller, history, snapshot])
}

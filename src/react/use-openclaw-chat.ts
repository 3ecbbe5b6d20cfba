import { MutationObserver, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import type { HeadersOption, OpenClawClient } from '../client'
import {
  awaitsAnswer,
  ChatController,
  historyItemUsage,
  historyPageMessages,
  selectError,
  selectIsBusy,
  selectMessages,
  selectQueue,
  selectStatus,
  selectUsage,
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
  /**
   * After a reload during a run, the history ends with a question the server is still answering: the newest page is
   * polled this often until the answer is there (default 2 000).
   */
  resumePollIntervalMs?: number
  /** Polling for that answer stops after this long (default 180 000; 0 = never poll). */
  resumeTimeoutMs?: number
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
  /**
   * The history ends with a question and no answer yet (the page was reloaded while the server was answering):
   * the newest page is polled until the answer arrives, a turn is sent here, or `resumeTimeoutMs` passes.
   */
  isResuming: boolean
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
  status: selectStatus,
  error: selectError,
  usage: selectUsage,
  sessionKey: (s) => s.sessionKey,
  runId: (s) => s.runId,
  queue: selectQueue,
  isBusy: selectIsBusy,
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

const CALLBACKS = ['onEvent', 'onUnknownEvent', 'onDiagnostic', 'onFinish', 'onError'] as const

/** Callbacks that call whatever the latest options hold. */
function forwardCallbacks(optionsRef: { current: ChatCallbacks }): ChatCallbacks {
  const callbacks: Record<string, (value: never) => void> = {}
  for (const name of CALLBACKS) callbacks[name] = (value) => (optionsRef.current[name] as ((value: unknown) => void) | undefined)?.(value)
  return callbacks as ChatCallbacks
}

const DEFAULT_RESUME_POLL_INTERVAL_MS = 2_000
const DEFAULT_RESUME_TIMEOUT_MS = 180_000

function lastItemId(page: HistoryPage): string | undefined {
  const items = Array.isArray(page.items) ? page.items : []
  const item = items[items.length - 1]
  return typeof item?.id === 'string' ? item.id : undefined
}

/**
 * The controller of this hook and what it was made for. `historyKey`: the session whose server history it shows (a
 * controller that started a conversation itself never takes that session's history: it already holds those turns).
 * `pages`: history pages already merged into it; `loaded`: the first one was.
 */
interface ControllerEntry {
  controller: ChatController
  agentId: string
  transport: ChatTransport
  historyKey: string | undefined
  pages: WeakSet<object>
  loaded: boolean
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
  const [callbacks] = useState(() => forwardCallbacks(optionsRef))
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

  const entry = useRef<ControllerEntry | undefined>(undefined)
  let current = entry.current
  if (
    current === undefined ||
    current.agentId !== agentId ||
    current.transport !== transport ||
    (wantedKey !== undefined && wantedKey !== current.controller.store.getState().sessionKey)
  ) {
    const controller = new ChatController({ ...callbacks, agentId, transport, sessionKey: wantedKey })
    current = { controller, agentId, transport, historyKey: wantedKey, pages: new WeakSet(), loaded: false }
    entry.current = current
  }
  const controller = current.controller
  const takesHistory = wantedKey !== undefined && current.historyKey === wantedKey && transport.history !== undefined

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
      stallTimeoutMs,
      stopGraceMs,
      historyTurns,
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

  // Resuming: the history ends with a question the server may still be answering (a reload during a run).
  const resumePollIntervalMs = options.resumePollIntervalMs ?? DEFAULT_RESUME_POLL_INTERVAL_MS
  const resumeTimeoutMs = options.resumeTimeoutMs ?? DEFAULT_RESUME_TIMEOUT_MS
  const [resume, setResume] = useState<{ controller: ChatController; deadline: number } | undefined>(undefined)
  const isResuming = resume?.controller === controller

  // History of a given session: the newest page through react-query, fetched again on every mount (a cached page
  // may predate turns made since) and polled while resuming; older pages on demand.
  const historyQuery = useQuery<HistoryPage, ChatError>({
    queryKey: openClawKeys.history(client.baseUrl, agentId, wantedKey ?? ''),
    queryFn: ({ signal }) => transport.history!({ agentId, sessionKey: wantedKey ?? '', limit: pageSize, signal }),
    enabled: takesHistory,
    staleTime: Infinity,
    refetchOnMount: 'always',
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    refetchInterval: isResuming ? resumePollIntervalMs : false,
    refetchIntervalInBackground: true,
    retry: 1,
  })
  const [olderCursor, setOlderCursor] = useState<{ controller: ChatController; cursor: string | undefined; hasMore: boolean } | undefined>(undefined)
  useEffect(() => {
    const page = historyQuery.data
    if (page === undefined || !takesHistory || current.pages.has(page)) return
    current.pages.add(page)
    const messages = historyPageMessages(page)
    if (!current.loaded) {
      current.loaded = true
      controller.loadHistory(messages)
      setOlderCursor({ controller, cursor: page.page?.cursor ?? undefined, hasMore: page.page?.hasMore === true })
    } else {
      controller.syncHistory(messages)
    }
    // Wait for the answer only while this conversation is the server's (nothing sent from here since).
    const state = controller.store.getState()
    const waiting =
      resumeTimeoutMs > 0 && state.live === undefined && awaitsAnswer(page) && state.messages[state.messages.length - 1]?.id === lastItemId(page)
    setResume((prev) => (waiting ? (prev?.controller === controller ? prev : { controller, deadline: Date.now() + resumeTimeoutMs }) : undefined))
  }, [historyQuery.data, current, controller, takesHistory, resumeTimeoutMs])

  useEffect(() => {
    if (!isResuming || resume === undefined) return
    const stop = (): void => setResume((prev) => (prev === resume ? undefined : prev))
    const timer = setTimeout(stop, Math.max(0, resume.deadline - Date.now()))
    // A turn sent from here ends the wait: its own answer streams, and a poll could no longer be merged.
    const unsubscribe = controller.store.subscribe((state) => {
      if (state.live !== undefined) stop()
    })
    return () => {
      clearTimeout(timer)
      unsubscribe()
    }
  }, [isResuming, resume, controller])

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
    () => ({ isLoading: historyQuery.isLoading, error: historyError, hasOlder: older?.hasMore === true, loadOlder, isResuming }),
    [historyQuery.isLoading, historyError, older?.hasMore, loadOlder, isResuming],
  )

  return useMemo<UseOpenClawChatResult>(() => {
    const result = {
      send: (input: string | SendInput) => controller.send(input),
      stop: () => controller.stop(),
      retry: () => controller.retry(),
      reset: () => controller.reset(),
      removeQueued: (id: string) => controller.removeQueued(id),
      updateQueued: (id: string, text: string) => controller.updateQueued(id, text),
      clearError: () => controller.clearError(),
      history,
      store: controller.store,
    } as UseOpenClawChatResult
    for (const key of Object.keys(readers) as Tracked[]) {
      Object.defineProperty(result, key, { enumerable: true, get: () => read(key) })
    }
    return result
    // A new object whenever a field this component reads changes, so memoized children see the change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [controller, history, snapshot])
}

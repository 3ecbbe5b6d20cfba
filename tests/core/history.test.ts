import { describe, expect, it } from 'vitest'
import {
  DEFAULT_HISTORY_TURNS,
  historyItemToMessage,
  historyItemUsage,
  historyPageMessages,
  historyTurns,
  type ChatMessage,
  type MessagePart,
} from '../../src/core'
import type { HistoryItem } from '../../src/protocol'

const PNG = { kind: 'image', mediaType: 'image/png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=', name: 'shot.png' }

describe('historyItemToMessage', () => {
  it('maps an assistant item: reasoning, tool calls, image attachments, text, usage, ISO timestamp', () => {
    const item: HistoryItem = {
      id: 'm1',
      role: 'assistant',
      text: 'Here is what I found.',
      timestamp: '2024-05-01T12:30:00.000Z',
      tokensIn: 1200,
      tokensOut: 85,
      costUsd: 0.0042,
      reasoning: { text: 'Search first, then read.', durationMs: 1500 },
      toolCalls: [
        {
          toolCallId: 'call-1', toolName: 'web_search', label: 'Searched the web', subject: 'hono sse', status: 'completed',
          input: { query: 'hono sse' }, output: '5 results', durationMs: 640,
        },
        // no id, failed: the error becomes the output
        { toolName: 'fetch_url', status: 'failed', error: 'ENOTFOUND example.invalid', durationMs: 210 },
        // the bare minimum
        { toolName: 'read', status: 'completed' },
        // output wins over error
        { toolCallId: 'call-4', toolName: 'exec', status: 'failed', output: { code: 2 }, error: 'exit 2' },
      ],
      attachments: [
        PNG,
        // only images with a data URL are kept
        { kind: 'file', mediaType: 'text/plain', name: 'notes.txt' },
        { kind: 'image', mediaType: 'image/jpeg', name: 'lost.jpg' },
      ],
    }
    const expected: ChatMessage = {
      id: 'm1',
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'Search first, then read.', state: 'done', durationMs: 1500 },
        {
          type: 'tool', toolCallId: 'call-1', name: 'web_search', state: 'done', label: 'Searched the web', subject: 'hono sse',
          arguments: { query: 'hono sse' }, output: '5 results', durationMs: 640,
        },
        { type: 'tool', toolCallId: 'm1:tool:1', name: 'fetch_url', state: 'error', output: 'ENOTFOUND example.invalid', durationMs: 210 },
        { type: 'tool', toolCallId: 'm1:tool:2', name: 'read', state: 'done' },
        { type: 'tool', toolCallId: 'call-4', name: 'exec', state: 'error', output: { code: 2 } },
        { type: 'attachment', attachment: { kind: 'image', mediaType: 'image/png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=', name: 'shot.png' } },
        { type: 'text', text: 'Here is what I found.' },
      ],
      createdAt: Date.UTC(2024, 4, 1, 12, 30),
      finish: 'done',
      usage: { tokensIn: 1200, tokensOut: 85, costUsd: 0.0042 },
    }
    expect(historyItemToMessage(item)).toStrictEqual(expected)
  })

  it('a role other than user reads as assistant (the only other role a message has)', () => {
    const item = { id: 'x1', role: 'system', text: 'Be brief.' } as unknown as Parameters<typeof historyItemToMessage>[0]
    expect(historyItemToMessage(item)).toMatchObject({ id: 'x1', role: 'assistant', finish: 'done', parts: [{ type: 'text', text: 'Be brief.' }] })
  })

  it('maps a user item: attachments before text, no finish, no usage even when the item has token counts', () => {
    const message = historyItemToMessage({ id: 'u1', role: 'user', text: 'What is on this screenshot?', timestamp: 1714566600000, tokensIn: 12, attachments: [PNG] })
    expect(message).toStrictEqual({
      id: 'u1',
      role: 'user',
      parts: [
        { type: 'attachment', attachment: PNG },
        { type: 'text', text: 'What is on this screenshot?' },
      ],
      createdAt: 1714566600000,
    })
  })

  it('leaves out empty reasoning, empty text and absent optional fields', () => {
    expect(historyItemToMessage({ id: 'a', role: 'assistant', text: '', reasoning: { text: '' } })).toStrictEqual({
      id: 'a', role: 'assistant', parts: [], createdAt: 0, finish: 'done',
    })
    // reasoning without a duration has no durationMs key
    expect(historyItemToMessage({ id: 'b', role: 'assistant', text: 'ok', reasoning: { text: 'hmm' } }).parts).toStrictEqual([
      { type: 'reasoning', text: 'hmm', state: 'done' },
      { type: 'text', text: 'ok' },
    ])
  })

  it('tool status: `failed` → error, anything else → done', () => {
    const parts = historyItemToMessage({
      id: 'x', role: 'assistant', text: '',
      toolCalls: [
        { toolCallId: '1', toolName: 't', status: 'failed' },
        { toolCallId: '2', toolName: 't', status: 'completed' },
      ],
    }).parts
    expect(parts.map((p) => (p.type === 'tool' ? p.state : p.type))).toEqual(['error', 'done'])
  })

  it.each([
    ['an epoch-ms number', 1714566600123, 1714566600123],
    ['an ISO string with offset', '2024-05-01T14:30:00+02:00', Date.UTC(2024, 4, 1, 12, 30)],
    ['an ISO string with milliseconds', '2024-05-01T12:30:00.456Z', Date.UTC(2024, 4, 1, 12, 30, 0, 456)],
    ['a date-only ISO string (UTC)', '2024-05-01', Date.UTC(2024, 4, 1)],
    ['zero', 0, 0],
    ['an unparsable string', 'yesterday-ish', 0],
    ['NaN', Number.NaN, 0],
    ['Infinity', Number.POSITIVE_INFINITY, 0],
    ['nothing', undefined, 0],
  ] as const)('timestamp as %s → %d', (_label, timestamp, createdAt) => {
    const item: HistoryItem = timestamp === undefined ? { id: 't', role: 'user', text: 'x' } : { id: 't', role: 'user', text: 'x', timestamp }
    expect(historyItemToMessage(item).createdAt).toBe(createdAt)
  })

  it('an assistant item with partial usage keeps only the known fields (zero included)', () => {
    expect(historyItemToMessage({ id: 'p', role: 'assistant', text: 'x', tokensOut: 0 }).usage).toStrictEqual({ tokensOut: 0 })
    expect('usage' in historyItemToMessage({ id: 'q', role: 'assistant', text: 'x' })).toBe(false)
  })
})

describe('historyItemUsage', () => {
  it('reads the numeric usage fields, or undefined when there are none', () => {
    expect(historyItemUsage({ id: 'a', role: 'assistant', text: '', tokensIn: 3, tokensOut: 4, costUsd: 0.01 })).toStrictEqual({ tokensIn: 3, tokensOut: 4, costUsd: 0.01 })
    expect(historyItemUsage({ id: 'a', role: 'assistant', text: '', costUsd: 0 })).toStrictEqual({ costUsd: 0 })
    expect(historyItemUsage({ id: 'a', role: 'assistant', text: '' })).toBeUndefined()
    // a non-number (as a loose server may send) is ignored
    expect(historyItemUsage({ id: 'a', role: 'assistant', text: '', tokensIn: '12' as unknown as number })).toBeUndefined()
  })
})

describe('historyPageMessages', () => {
  it('maps the items of a page in order', () => {
    const page = {
      agentId: 'main',
      sessionKey: 's',
      items: [
        { id: 'u1', role: 'user', text: 'Hi', timestamp: 1000 },
        { id: 'a1', role: 'assistant', text: 'Hello!', timestamp: 2000, tokensIn: 5, tokensOut: 2 },
      ],
      page: { hasMore: false, limit: 50 },
    }
    expect(historyPageMessages(page)).toStrictEqual([
      { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Hi' }], createdAt: 1000 },
      { id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'Hello!' }], createdAt: 2000, finish: 'done', usage: { tokensIn: 5, tokensOut: 2 } },
    ])
  })

  it('skips malformed items and keeps the good ones', () => {
    const items: unknown[] = [
      null,
      42,
      'text',
      [],
      { role: 'user', text: 'no id' },
      { id: 7, role: 'user', text: 'numeric id' },
      { id: 'sys', role: 'system', text: 'wrong role' },
      { id: 'norole', text: 'no role' },
      { id: 'u1', role: 'user', text: 'kept' },
      // loose but acceptable: no text, non-array toolCalls and attachments
      { id: 'a1', role: 'assistant', toolCalls: 'nope', attachments: { kind: 'image' } },
    ]
    expect(historyPageMessages({ items })).toStrictEqual([
      { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'kept' }], createdAt: 0 },
      { id: 'a1', role: 'assistant', parts: [], createdAt: 0, finish: 'done' },
    ])
  })

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', '{"items":[]}'],
    ['a number', 5],
    ['an array of items', [{ id: 'u1', role: 'user', text: 'x' }]],
    ['an object without items', { agentId: 'main' }],
    ['items that are not an array', { items: { 0: { id: 'u1', role: 'user', text: 'x' } } }],
    ['items null', { items: null }],
  ])('a malformed page (%s) gives no messages', (_label, page) => {
    expect(historyPageMessages(page)).toEqual([])
  })
})

const text = (id: string, role: 'user' | 'assistant', t: string): ChatMessage => ({ id, role, parts: [{ type: 'text', text: t }], createdAt: 0 })

describe('historyTurns', () => {
  it('the last `limit` turns, oldest first, as plain text', () => {
    const messages = [text('1', 'user', 'one'), text('2', 'assistant', 'two'), text('3', 'user', 'three'), text('4', 'assistant', 'four')]
    expect(historyTurns(messages, 3)).toEqual([
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'three' },
      { role: 'assistant', content: 'four' },
    ])
    expect(historyTurns(messages, 10)).toHaveLength(4)
    expect(historyTurns(messages, 0)).toEqual([])
    expect(historyTurns([], 5)).toEqual([])
  })

  it('defaults to 20 turns', () => {
    expect(DEFAULT_HISTORY_TURNS).toBe(20)
    const messages = Array.from({ length: 25 }, (_, i) => text(String(i), i % 2 === 0 ? 'user' : 'assistant', `m${i}`))
    const turns = historyTurns(messages)
    expect(turns).toHaveLength(20)
    expect(turns[0]).toEqual({ role: 'assistant', content: 'm5' })
    expect(turns[19]).toEqual({ role: 'user', content: 'm24' })
  })

  it('joins text parts only, and skips messages without text (they do not count toward the limit)', () => {
    const toolOnly: ChatMessage = {
      id: 't', role: 'assistant', createdAt: 0,
      parts: [{ type: 'tool', toolCallId: 'c', name: 'search', state: 'done' }],
    }
    const imageOnly: ChatMessage = {
      id: 'i', role: 'user', createdAt: 0,
      parts: [{ type: 'attachment', attachment: { kind: 'image', mediaType: 'image/png', dataUrl: 'data:image/png;base64,AA==' } }],
    }
    const emptyText = text('e', 'assistant', '')
    const mixedParts: MessagePart[] = [
      { type: 'reasoning', text: 'not sent', state: 'done' },
      { type: 'text', text: 'Before the tool. ' },
      { type: 'tool', toolCallId: 'c2', name: 'read', state: 'done', output: 'not sent either' },
      { type: 'text', text: 'After it.' },
    ]
    const mixed: ChatMessage = { id: 'm', role: 'assistant', parts: mixedParts, createdAt: 0 }
    const messages = [text('0', 'user', 'first'), text('1', 'user', 'question'), mixed, toolOnly, imageOnly, emptyText]
    expect(historyTurns(messages, 2)).toEqual([
      { role: 'user', content: 'question' },
      { role: 'assistant', content: 'Before the tool. After it.' },
    ])
  })

  it('caps each turn at 16,000 characters (the beginning is kept)', () => {
    const long = `${'a'.repeat(15_990)}0123456789TAIL-NOT-SENT`
    const exact = 'b'.repeat(16_000)
    const over = 'c'.repeat(16_001)
    const turns = historyTurns([text('1', 'user', long), text('2', 'assistant', exact), text('3', 'user', over)])
    expect(turns.map((t) => t.content.length)).toEqual([16_000, 16_000, 16_000])
    expect(turns[0]?.content).toBe(`${'a'.repeat(15_990)}0123456789`)
    expect(turns[1]?.content).toBe(exact)
    expect(turns[2]?.content).toBe('c'.repeat(16_000))
  })

  it('does not modify the messages it reads', () => {
    const messages = [text('1', 'user', 'x'.repeat(20_000))]
    historyTurns(messages)
    expect((messages[0]?.parts[0] as { text: string }).text).toHaveLength(20_000)
  })
})

describe('regressions', () => {
  it('null tool calls and attachments inside an item are skipped, not thrown on', () => {
    const messages = historyPageMessages({
      items: [
        { id: 'a', role: 'assistant', text: 'x', toolCalls: [null, { toolName: 'read', status: 'completed' }] },
        { id: 'b', role: 'user', text: 'y', attachments: [null, 5] },
      ],
    })
    expect(messages.map((m) => m.parts.map((p) => p.type))).toEqual([['tool', 'text'], ['text']])
  })

  it('the per-turn cap never cuts a surrogate pair in half', () => {
    const text = 'a'.repeat(15_999) + '😀'
    const [turn] = historyTurns([{ id: 'u', role: 'user', parts: [{ type: 'text', text }], createdAt: 0 }])
    expect(turn?.content).toBe('a'.repeat(15_999))
  })
})

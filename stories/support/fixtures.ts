import type { Attachment, ChatMessage, MessagePart, PendingMessage } from '../../src/index'

/** A 96×64 PNG (a sun over green hills), inline: stories never fetch anything. */
export const LANDSCAPE_PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAGAAAABACAIAAABqVuVZAAAA6UlEQVR42u3YUQ3DMAyE4QPW52EqiMEZiIEYkj0Vwbq0tVPn8ktH4D4psmOtrw/ZiSAACCCAAAIIIIAAIgDNAvR9L78C0J5OhpGcaDKYAHIBOqQTaCRXnSgjgAACCCCAAAIIIIDYpPmLATQ5EPcgLorcpAECqEyW5+NvZgRqcekppdFpspnkQZPHJDOdcCOZ0YQzyVUnykiuNFFM6rZQ3KVzsaC67V130VwsqD4bVwWdcx2VPSZL0ZwoqLwRUJPmaEFlvNv6NO0FFYg9lktjR43eKjsAAQQQQAABBBBAABGAAAIIIIAAMssGzrV+6zfuSoEAAAAASUVORK5CYII='

export const landscape: Attachment = { kind: 'image', mediaType: 'image/png', dataUrl: LANDSCAPE_PNG, name: 'landscape.png' }

/** Fixed timestamps keep the stories (and their snapshots) stable. */
const T0 = Date.UTC(2025, 0, 15, 9, 30)

export function userMessage(id: string, text: string, attachments: Attachment[] = []): ChatMessage {
  const parts: MessagePart[] = [...attachments.map((attachment): MessagePart => ({ type: 'attachment', attachment })), ...(text === '' ? [] : [{ type: 'text' as const, text }])]
  return { id, role: 'user', parts, createdAt: T0 }
}

export function assistantMessage(id: string, content: string | MessagePart[], extra: Partial<Omit<ChatMessage, 'id' | 'role' | 'parts'>> = {}): ChatMessage {
  const parts: MessagePart[] = typeof content === 'string' ? [{ type: 'text', text: content }] : content
  return { id, role: 'assistant', parts, createdAt: T0, ...extra }
}

export const USAGE = { tokensIn: 1234, tokensOut: 56, costUsd: 0.001346 }

export const queued = (id: string, text: string, attachments: Attachment[] = []): PendingMessage => ({ id, text, attachments, createdAt: T0 })

// ---------- Markdown ----------

export const PLAIN_TEXT = [
  'Streaming keeps the interface responsive: the answer appears **as it is written**, and you can stop it at any time.',
  '',
  'A second paragraph with *emphasis*, `inline code`, a [link](https://example.com) and a bare URL: https://openclaw.example/docs.',
].join('\n')

export const CODE_BLOCKS = [
  'Here is the handler in TypeScript:',
  '',
  '```ts',
  "import { streamSSE } from 'hono/streaming'",
  '',
  'export const events = (c: Context) =>',
  '  streamSSE(c, async (stream) => {',
  "    for await (const event of run.events()) await stream.writeSSE({ data: JSON.stringify(event) })",
  '  })',
  '```',
  '',
  'Run it with:',
  '',
  '```bash',
  'npm run dev -- --port 8787 # serves /claw on localhost',
  '```',
  '',
  'The same idea in Python:',
  '',
  '```python',
  'async def events(request):',
  '    async for event in run.events():',
  '        yield f"data: {json.dumps(event)}\\n\\n"',
  '```',
  '',
  'And a block in a language without highlighting:',
  '',
  '```brainfuck',
  '++++++++[>++++[>++>+++<<-]>+<<-]>>.',
  '```',
].join('\n')

export const TABLE = [
  '| option | default | meaning |',
  '| --- | ---: | --- |',
  '| `stallTimeoutMs` | 45000 | no byte for this long = stalled |',
  '| `stopGraceMs` | 2000 | close locally if the stop is not confirmed |',
  '| `historyTurns` | 20 | prior turns sent with each message |',
  '| `historyPageSize` | 50 | messages per history page |',
].join('\n')

/** Mid-stream: a fence that is still open, a list and emphasis not yet closed. */
export const STREAMING_UNCLOSED_FENCE = [
  'Sure, here is the component:',
  '',
  '```tsx',
  'export function Counter() {',
  '  const [count, setCount] = useState(0)',
  '  return <button onClick={() => setCount((c) => c + 1)}>',
].join('\n')

/** Model output that tries to inject markup: everything must come out as inert text. */
export const XSS_ATTEMPT = [
  'Hello <script>alert("xss")</script>',
  '',
  '<img src=x onerror="alert(1)">',
  '',
  '<svg onload=alert(2)><circle r="10" /></svg>',
  '',
  '<iframe src="https://evil.example"></iframe>',
  '',
  '[click me](javascript:alert(3)) · [data link](data:text/html;base64,PHNjcmlwdD4=) · ![tracker](https://tracker.example/pixel.gif)',
  '',
  '<a href="javascript:alert(4)" style="color:red">styled anchor</a> and <b onmouseover="alert(5)">bold</b>',
].join('\n')

export function longAnswer(sections = 12): string {
  const out: string[] = ['# A long answer', '']
  for (let i = 1; i <= sections; i++) {
    out.push(`## Part ${i}`, '')
    out.push(
      `Paragraph ${i}: a streaming chat has to stay smooth however long the answer gets. Each delta is coalesced into one update per frame, and only the block being written re-renders; the blocks above it keep their DOM.`,
      '',
    )
    if (i % 3 === 0) out.push('```json', JSON.stringify({ part: i, ok: true, items: [i, i * 2, i * 3] }, null, 2), '```', '')
    if (i % 4 === 0) out.push('- first point', '- second point with `code`', '- third point', '')
    if (i % 5 === 0) out.push('> A quotation, to vary the blocks.', '')
  }
  return out.join('\n')
}

// ---------- Threads ----------

const TOPICS = ['streaming', 'tool calls', 'reasoning', 'attachments', 'usage', 'stopping a run', 'history', 'themes']

/** A deterministic conversation of `count` messages (alternating user/assistant) with varied parts. */
export function longThread(count = 200): ChatMessage[] {
  const messages: ChatMessage[] = []
  for (let i = 0; i < count; i++) {
    const turn = Math.floor(i / 2)
    const topic = TOPICS[turn % TOPICS.length]!
    if (i % 2 === 0) {
      messages.push(userMessage(`u${turn}`, `Question ${turn + 1}: how does the chat handle ${topic}?`))
      continue
    }
    const parts: MessagePart[] = []
    if (turn % 5 === 1) parts.push({ type: 'reasoning', text: `Thinking about ${topic}.`, state: 'done', durationMs: 1200 + turn * 10 })
    if (turn % 4 === 2) {
      parts.push({ type: 'tool', toolCallId: `t${turn}`, name: 'web_search', label: 'Searched the web', subject: topic, arguments: { query: topic }, state: 'done', durationMs: 640, output: '3 results' })
    }
    parts.push({
      type: 'text',
      text:
        turn % 6 === 3
          ? `For ${topic}, the relevant option is:\n\n\`\`\`ts\nuseOpenClawChat({ agentId: 'main', stallTimeoutMs: 45_000 })\n\`\`\``
          : `Answer ${turn + 1}: **${topic}** is handled by the store; each message row subscribes to its own message, so a long thread stays fast.`,
    })
    messages.push(assistantMessage(`a${turn}`, parts, { finish: 'done', usage: { tokensIn: 900 + turn * 37, tokensOut: 40 + (turn % 9) * 11, costUsd: 0.0009 + turn * 0.00001 } }))
  }
  return messages
}

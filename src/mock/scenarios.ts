import { frame, textSteps, type Scenario, type ScenarioContext, type ScenarioStep } from './scenario'

const USAGE = { tokensIn: 1234, tokensOut: 56, costUsd: 0.001346 }

/** `lifecycle start` → body → `lifecycle end` → `usage` → `done` → `[DONE]`, as a current server sends a run. */
export function standardRun(context: ScenarioContext, body: ScenarioStep[], finalText: string, usage = USAGE): ScenarioStep[] {
  return [
    frame('lifecycle', { phase: 'start', runId: context.runId }, 60),
    ...body,
    frame('lifecycle', { phase: 'end', runId: context.runId }, 20),
    frame('usage', usage),
    frame('done', { text: finalText }),
    { frame: '[DONE]' },
  ]
}

const PLAIN = "Hello! I'm a mock OpenClaw agent. I stream my answer in small pieces, the way a real server relays the gateway."

const MARKDOWN = [
  '## Streaming SSE with Hono',
  '',
  'Use `streamSSE` and write **one frame per event**:',
  '',
  '```ts',
  "app.get('/events', (c) => streamSSE(c, async (stream) => {",
  "  await stream.writeSSE({ data: JSON.stringify({ type: 'text-delta' }) })",
  '}))',
  '```',
  '',
  '| option | default | meaning |',
  '| --- | --- | --- |',
  '| `stallTimeoutMs` | 45000 | no byte for this long = stalled |',
  '| `stopGraceMs` | 2000 | close locally if the stop is not confirmed |',
  '',
  '- lists work',
  '- and [links](https://example.com) too',
].join('\n')

const REASONING = 'The user wants a short summary. I should read the page title first, then pick the three key points and keep it brief.'
const AFTER_REASONING = 'Here is the summary: the page explains how streaming chat UIs stay responsive.'

function tools(context: ScenarioContext): ScenarioStep[] {
  const before = 'Let me look that up. '
  const after = 'I found two sources and read the page; one request failed.'
  return standardRun(
    context,
    [
      ...textSteps(before),
      frame('tool-start', { toolCallId: 't1', toolName: 'web_search', label: 'Searched the web', subject: 'hono sse', arguments: { query: 'hono sse', limit: 5 } }, 80),
      frame('tool-end', { toolCallId: 't1', isError: false, output: '5 results: hono.dev/docs/helpers/streaming, …', durationMs: 640 }, 640),
      frame('tool-start', { toolCallId: 't2', toolName: 'fetch_url', label: 'Read a page', subject: 'https://hono.dev/docs/helpers/streaming', arguments: { url: 'https://hono.dev/docs/helpers/streaming' } }, 60),
      frame('tool-start', { toolCallId: 't3', toolName: 'fetch_url', label: 'Read a page', subject: 'https://example.invalid/', arguments: { url: 'https://example.invalid/' } }, 40),
      frame('tool-end', { toolCallId: 't3', isError: true, output: 'getaddrinfo ENOTFOUND example.invalid', durationMs: 210 }, 210),
      frame('tool-end', { toolCallId: 't2', isError: false, output: '# Streaming Helper\nThe Streaming Helper provides methods for streaming responses…', durationMs: 930 }, 500),
      ...textSteps(after),
    ],
    before + after,
  )
}

function errorScenario(kind: string, message: string): Scenario {
  return {
    id: `error-${kind}`,
    title: `Server error: ${kind}`,
    steps: (context) => [
      frame('lifecycle', { phase: 'start', runId: context.runId }, 60),
      ...textSteps('I started answering, and then '),
      frame('lifecycle', { phase: 'error', runId: context.runId }, 100),
      frame('error', { message, errorKind: kind }),
      { frame: '[DONE]' },
    ],
  }
}

/** The built-in scenarios, by id. A message containing `[scenario:<id>]` picks one. */
export const builtInScenarios: Scenario[] = [
  { id: 'plain', title: 'Plain answer', steps: (c) => standardRun(c, textSteps(PLAIN), PLAIN) },
  { id: 'markdown', title: 'Markdown with code and a table', steps: (c) => standardRun(c, textSteps(MARKDOWN, { perBurst: 6 }), MARKDOWN) },
  {
    id: 'reasoning',
    title: 'Reasoning, then the answer',
    steps: (c) => standardRun(c, [...textSteps(REASONING, { type: 'reasoning-delta' }), ...textSteps(AFTER_REASONING)], AFTER_REASONING),
  },
  { id: 'tools', title: 'Tools: labelled, failing, overlapping', steps: tools },
  {
    id: 'long',
    title: 'A long answer (5,000 deltas)',
    steps: (c) => {
      const pieces = Array.from({ length: 5000 }, (_, i) => (i % 120 === 119 ? `word${i}.\n\n` : `word${i} `))
      return standardRun(c, pieces.map((text, i) => frame('text-delta', { text }, i % 5 === 0 ? 16 : 0)), pieces.join(''))
    },
  },
  errorScenario('refusal', 'The model refused to answer this request.'),
  errorScenario('timeout', 'The model did not answer in time.'),
  errorScenario('rate_limit', 'Rate limit reached; try again in a minute.'),
  errorScenario('context_length', 'The conversation is too long for this model.'),
  errorScenario('unknown', 'Something went wrong in the agent.'),
  {
    id: 'http-500',
    title: 'HTTP 500 before the stream',
    http: { status: 500, body: JSON.stringify({ error: 'Gateway is not connected' }), contentType: 'application/json' },
    steps: () => [],
  },
  {
    id: 'silent',
    title: 'A server that goes silent',
    steps: (c) => [frame('lifecycle', { phase: 'start', runId: c.runId }, 60), ...textSteps('I will stop talking after this sentence'), { silence: true }],
  },
  {
    id: 'stop-ignored',
    title: 'A stop that is never confirmed',
    stop: 'ignore',
    steps: (c) => [frame('lifecycle', { phase: 'start', runId: c.runId }, 60), ...textSteps(`${PLAIN} ${PLAIN} ${PLAIN}`, { burstMs: 300 }), { silence: true }],
  },
  {
    id: 'unknown-events',
    title: 'Unknown event types mixed in',
    steps: (c) =>
      standardRun(
        c,
        [frame('heartbeat', { at: 1 }), ...textSteps('Unknown events are ignored. '), frame('agent-status', { mood: 'fine' }), ...textSteps('The answer still arrives.')],
        'Unknown events are ignored. The answer still arrives.',
      ),
  },
  {
    id: 'malformed',
    title: 'Malformed frames',
    steps: (c) =>
      standardRun(
        c,
        [
          ...textSteps('Good frame. '),
          { raw: 'data: {"type":"text-delta","data":{"text":\n\n', delayMs: 50 },
          { raw: 'data: [1,2,3]\n\n' },
          { raw: 'data: {"type":"text-delta","data":{"text":42}}\n\n' },
          { raw: ': keepalive\n\n' },
          ...textSteps('Still here after the bad frames.'),
        ],
        'Good frame. Still here after the bad frames.',
      ),
  },
  {
    id: 'legacy',
    title: 'A legacy server (thinking, tool-output)',
    steps: () => [
      ...textSteps('Checking the file first.', { type: 'thinking' }),
      frame('tool-start', { toolCallId: 'L1', toolName: 'read', kind: 'read' }, 80),
      frame('tool-end', { toolCallId: 'L1', status: 'completed', durationMs: 120 }, 120),
      frame('tool-output', { toolCallId: 'L1', isError: false, meta: 'hello.txt: 2 lines' }),
      ...textSteps('The file has two lines.'),
      frame('done', { text: 'The file has two lines.' }),
      { frame: '[DONE]' },
    ],
  },
  {
    id: 'drop',
    title: 'Connection dropped mid-answer',
    steps: (c) => [frame('lifecycle', { phase: 'start', runId: c.runId }, 60), ...textSteps('This answer will be cut off in the mid'), { raw: 'data: {"type":"text-del' }, { drop: true, delayMs: 50 }],
  },
]

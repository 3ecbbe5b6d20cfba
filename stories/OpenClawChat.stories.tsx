import type { Meta, Parameters, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { OpenClawChat, type OpenClawChatProps } from '../src/components'
import { createMockServer, SCENARIO_HEADER } from '../src/mock'
import { withHeight, withQueryClient } from './support/decorators'
import { IN_TESTS, PLAY_TIMEOUT_MS, storyMs } from './support/env'

/**
 * The full chat on the built-in mock `/claw` server (one server per mounted story): each story picks a scripted
 * scenario with the `x-mock-scenario` header and its `play` sends a message through the composer, so the story shows
 * that scenario streamed. Storybook plays them at realistic speed (`delayScale: 1`); the stories test without delays.
 */
function MockBackedChat({ delayScale, ...props }: OpenClawChatProps & { delayScale: number }) {
  const [server] = useState(() => createMockServer({ delayScale }))
  return <OpenClawChat {...props} fetch={server.fetch} />
}

const delayScale = (parameters: Parameters): number => {
  const fromParameters = (parameters.mock as { delayScale?: number } | undefined)?.delayScale
  return fromParameters ?? (IN_TESTS ? 0 : 1)
}

const scenario = (id: string): Pick<OpenClawChatProps, 'headers'> => ({ headers: { [SCENARIO_HEADER]: id } })

const meta = {
  title: 'Components/OpenClawChat',
  component: OpenClawChat,
  decorators: [withHeight(600), withQueryClient],
  render: (args, context) => <MockBackedChat {...args} delayScale={delayScale(context.parameters)} />,
  args: { agentId: 'main', autoFocus: false },
  parameters: {
    // `delayScale` of the mock server: 1 = realistic timing, 0 = as fast as possible (default 0 in the stories test).
    mock: {},
  },
} satisfies Meta<typeof OpenClawChat>
export default meta
type Story = StoryObj<typeof meta>

// ---------- play helpers ----------

const waitOptions = { timeout: PLAY_TIMEOUT_MS }

/** Types `text` into the composer and presses Enter. */
async function send(canvasElement: HTMLElement, text: string): Promise<void> {
  const box = await within(canvasElement).findByRole('textbox', { name: 'Message' })
  // `{` and `[` start key descriptors in user-event: doubled, they are typed as themselves.
  await userEvent.type(box, `${text.replace(/[{[]/g, (c) => c + c)}{Enter}`)
}

const chatStatus = (canvasElement: HTMLElement): string | null => canvasElement.querySelector('.oc-chat')?.getAttribute('data-status') ?? null

/** The run is over (ready, or error). */
async function settled(canvasElement: HTMLElement): Promise<void> {
  await waitFor(() => expect(chatStatus(canvasElement)).toMatch(/^(ready|error)$/), waitOptions)
}

const lastAnswer = (canvasElement: HTMLElement): HTMLElement | null => {
  const answers = canvasElement.querySelectorAll<HTMLElement>('article[data-role="assistant"]')
  return answers[answers.length - 1] ?? null
}

// ---------- stories ----------

/** Nothing sent yet. */
export const Empty: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('log')).toHaveTextContent('Send a message to start the conversation.')
    await expect(canvas.getByRole('button', { name: 'New chat' })).toBeInTheDocument()
  },
}

/** A plain answer streamed in small pieces, then its usage (per message and the session totals). */
export const Plain: Story = {
  args: scenario('plain'),
  play: async ({ canvasElement }) => {
    await send(canvasElement, 'Hello! Who are you?')
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveTextContent(/mock OpenClaw agent/), waitOptions)
    await settled(canvasElement)
    await waitFor(() => expect(lastAnswer(canvasElement)?.querySelector('.oc-usage')).toHaveTextContent('1,234 in56 out$0.0013'))
    await expect(canvasElement.querySelector('.oc-chat-header .oc-usage')).toHaveTextContent('Session1,234 in56 out$0.0013')
  },
}

/** Markdown with a heading, a highlighted code block, a table, a list and a link. */
export const Markdown: Story = {
  args: scenario('markdown'),
  play: async ({ canvasElement }) => {
    await send(canvasElement, 'How do I stream SSE with Hono?')
    await waitFor(() => expect(lastAnswer(canvasElement)?.querySelector('code.language-ts')).not.toBeNull(), waitOptions)
    await waitFor(() => expect(lastAnswer(canvasElement)?.querySelector('table')).not.toBeNull(), waitOptions)
    await settled(canvasElement)
    await expect(within(lastAnswer(canvasElement)!).getByRole('link', { name: 'links' })).toHaveAttribute('href', 'https://example.com')
  },
}

/** Reasoning first ("Thinking…", open), collapsed to "Thought for …" once the answer starts. */
export const Reasoning: Story = {
  args: scenario('reasoning'),
  play: async ({ canvasElement }) => {
    await send(canvasElement, 'Summarize this page for me.')
    await waitFor(() => expect(lastAnswer(canvasElement)?.querySelector('.oc-reasoning')).not.toBeNull(), waitOptions)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveTextContent(/Here is the summary/), waitOptions)
    await settled(canvasElement)
    const toggle = lastAnswer(canvasElement)!.querySelector('.oc-reasoning-toggle')!
    await expect(toggle).toHaveTextContent(/^Thought for /)
    await expect(toggle).toHaveAttribute('aria-expanded', 'false')
  },
}

/** Tools: labelled cards with subjects, two overlapping calls, one of them failing. */
export const Tools: Story = {
  args: scenario('tools'),
  play: async ({ canvasElement }) => {
    await send(canvasElement, 'Look up how Hono streams server-sent events.')
    await waitFor(() => expect(lastAnswer(canvasElement)?.querySelectorAll('.oc-tool')).toHaveLength(3), waitOptions)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveTextContent(/I found two sources/), waitOptions)
    await settled(canvasElement)
    const cards = Array.from(lastAnswer(canvasElement)!.querySelectorAll<HTMLElement>('.oc-tool'))
    await expect(cards.map((card) => card.dataset.state)).toEqual(['done', 'done', 'error'])
    await expect(cards[2]?.querySelector('.oc-tool-status')).toHaveTextContent('Failed · 210 ms')
  },
}

/** A very long answer (5,000 deltas): the thread follows the end while it streams. */
export const Long: Story = {
  args: scenario('long'),
  play: async ({ canvasElement }) => {
    await send(canvasElement, 'Write me something long.')
    // The streamed state: a few hundred words in (the rest keeps streaming in Storybook).
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveTextContent(/word300\b/), waitOptions)
    await expect(within(canvasElement).queryByRole('button', { name: 'Jump to latest' })).toBeNull()
    if (IN_TESTS) await settled(canvasElement)
  },
}

/** The model refuses: the banner says so, without Retry (resending would not help); the partial answer is kept. */
export const ErrorRefusal: Story = {
  args: scenario('error-refusal'),
  play: async ({ canvasElement }) => {
    await send(canvasElement, 'Tell me something you should not.')
    const alert = await within(canvasElement).findByRole('alert', {}, waitOptions)
    await expect(alert.querySelector('.oc-error-title')).toHaveTextContent('The model declined to answer this request.')
    await expect(within(alert).queryByRole('button', { name: 'Retry' })).toBeNull()
    await settled(canvasElement)
    await expect(lastAnswer(canvasElement)).toHaveAttribute('data-finish', 'error')
  },
}

/** The server answers HTTP 500 before any stream: the banner offers Retry and Dismiss. */
export const Http500: Story = {
  args: scenario('http-500'),
  play: async ({ canvasElement }) => {
    await send(canvasElement, 'Hello?')
    const alert = await within(canvasElement).findByRole('alert', {}, waitOptions)
    await expect(alert.querySelector('.oc-error-title')).toHaveTextContent('The server answered with an error (HTTP 500).')
    await expect(alert.querySelector('.oc-error-detail')).toHaveTextContent('Gateway is not connected')
    await expect(within(alert).getByRole('button', { name: 'Retry' })).toBeInTheDocument()
    await settled(canvasElement)
  },
}

/** The server goes silent mid-answer: after `stallTimeoutMs` (short here) the run is stalled and the answer interrupted. */
export const Silent: Story = {
  args: { ...scenario('silent'), stallTimeoutMs: storyMs(3000) },
  play: async ({ canvasElement }) => {
    await send(canvasElement, 'Are you still there?')
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveTextContent(/I will stop talking/), waitOptions)
    const alert = await within(canvasElement).findByRole('alert', {}, waitOptions)
    await expect(alert.querySelector('.oc-error-title')).toHaveTextContent('The server stopped responding.')
    await settled(canvasElement)
    await expect(lastAnswer(canvasElement)).toHaveAttribute('data-finish', 'interrupted')
  },
}

/** Stop is pressed but the server never confirms it: "Stopping…", then after `stopGraceMs` (short here) it closes locally. */
export const StopIgnored: Story = {
  args: { ...scenario('stop-ignored'), stopGraceMs: storyMs(1500) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await send(canvasElement, 'Tell me about yourself, at length.')
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveTextContent(/Hello!/), waitOptions)
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }))
    await expect(await canvas.findByRole('button', { name: 'Stopping…' })).toHaveAttribute('aria-disabled', 'true')
    await settled(canvasElement)
    await expect(lastAnswer(canvasElement)).toHaveAttribute('data-finish', 'aborted')
    await expect(within(lastAnswer(canvasElement)!).getByText('Stopped')).toBeInTheDocument()
  },
}

/** A legacy server (`thinking`, `tool-output`, no lifecycle or usage): the same UI. */
export const Legacy: Story = {
  args: scenario('legacy'),
  play: async ({ canvasElement }) => {
    await send(canvasElement, 'How many lines does hello.txt have?')
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveTextContent(/The file has two lines\./), waitOptions)
    await settled(canvasElement)
    const answer = lastAnswer(canvasElement)!
    await expect(answer.querySelector('.oc-reasoning')).not.toBeNull()
    await expect(answer.querySelector('.oc-tool-label')).toHaveTextContent('read')
  },
}

/** The connection drops mid-answer: the partial answer stays, marked interrupted, and the banner offers Retry. */
export const ConnectionDropped: Story = {
  args: scenario('drop'),
  play: async ({ canvasElement }) => {
    await send(canvasElement, 'Tell me a long story.')
    const alert = await within(canvasElement).findByRole('alert', {}, waitOptions)
    await expect(within(alert).getByRole('button', { name: 'Retry' })).toBeInTheDocument()
    await settled(canvasElement)
    await expect(lastAnswer(canvasElement)).toHaveTextContent(/cut off in the mid/)
    await expect(lastAnswer(canvasElement)).toHaveAttribute('data-finish', 'interrupted')
  },
}

/** A message sent while the agent is still answering waits in the queue (editable, removable). */
export const Queued: Story = {
  args: scenario('stop-ignored'),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await send(canvasElement, 'Tell me about yourself.')
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveTextContent(/Hello!/), waitOptions)
    await send(canvasElement, 'And what can you do?')
    const queue = await canvas.findByRole('region', { name: '1 queued message' })
    await expect(queue).toHaveTextContent('And what can you do?')
    await expect(within(queue).getByRole('button', { name: 'Edit' })).toBeInTheDocument()
  },
}

/** The agent picker in the header, filled from `GET /claw/agents`. */
export const WithAgentPicker: Story = {
  args: { ...scenario('plain'), showAgentPicker: true },
  play: async ({ canvasElement }) => {
    const select = await within(canvasElement).findByRole('combobox', { name: 'Agent' })
    await waitFor(() => expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Main agent', 'Research']), waitOptions)
  },
}

/** Header-less and without attachments, for a narrow embed. */
export const Minimal: Story = {
  args: { ...scenario('plain'), showNewChat: false, showSessionUsage: false, allowAttachments: false, placeholder: 'Ask the agent…' },
}

export const Dark: Story = {
  ...Tools,
  globals: { theme: 'dark' },
}

export const DarkReasoning: Story = {
  ...Reasoning,
  globals: { theme: 'dark' },
}

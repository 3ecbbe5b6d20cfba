import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { Message } from '../src/components'
import { withMaxWidth } from './support/decorators'
import { assistantMessage, CODE_BLOCKS, LANDSCAPE_PNG, landscape, USAGE, userMessage } from './support/fixtures'

const PARTIAL = 'Use `streamSSE` and write **one frame per event**. The handler keeps the connection open and'

/** One message: its parts in stream order (text, reasoning, tools, attachments) and a footer with how it ended. */
const meta = {
  title: 'Components/Message',
  component: Message,
  decorators: [withMaxWidth('48rem')],
  args: { message: userMessage('u1', 'How do I stream server-sent events with Hono?') },
} satisfies Meta<typeof Message>
export default meta
type Story = StoryObj<typeof meta>

export const User: Story = {
  play: async ({ canvasElement }) => {
    const article = within(canvasElement).getByRole('article', { name: 'You' })
    await expect(article).toHaveAttribute('data-role', 'user')
  },
}

/** Raw HTML in a user's text is text, like everything they type. */
export const UserMultiline: Story = {
  args: { message: userMessage('u2', 'Two questions:\n1. what is <b>SSE</b>?\n2. how do I stop a run?') },
}

export const UserWithImageAttachment: Story = {
  args: { message: userMessage('u3', 'What is in this picture?', [landscape]) },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('img', { name: 'Attachment: landscape.png' })).toHaveAttribute('src', LANDSCAPE_PNG)
  },
}

/** An image and a text file: the file shows as a chip with its name. */
export const UserWithFileAttachment: Story = {
  args: { message: userMessage('u4', 'Summarize the notes.', [landscape, { kind: 'file', mediaType: 'text/markdown', name: 'notes.md', text: '# Notes' }]) },
}

/** Sent, nothing streamed yet: the typing indicator. */
export const AssistantWaiting: Story = {
  args: { message: assistantMessage('a0', []), live: true },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.oc-typing')).not.toBeNull()
  },
}

/** Streaming: reasoning done, a tool running, the text arriving (announced politely; no usage yet). */
export const AssistantStreaming: Story = {
  args: {
    live: true,
    message: assistantMessage('a1', [
      { type: 'reasoning', text: 'Look up the Hono streaming helper first.', state: 'done', durationMs: 2100 },
      { type: 'tool', toolCallId: 't1', name: 'web_search', label: 'Searched the web', subject: 'hono sse', arguments: { query: 'hono sse' }, state: 'done', durationMs: 640, output: '5 results' },
      { type: 'tool', toolCallId: 't2', name: 'fetch_url', label: 'Read a page', subject: 'https://hono.dev/docs/helpers/streaming', state: 'running' },
      { type: 'text', text: PARTIAL },
    ]),
  },
  play: async ({ canvasElement }) => {
    const article = within(canvasElement).getByRole('article', { name: 'Agent' })
    await expect(article).toHaveAttribute('data-live')
    await expect(article.querySelector('.oc-message-body')).toHaveAttribute('aria-live', 'polite')
    await expect(article.querySelector('.oc-usage')).toBeNull()
  },
}

/** Reasoning still streaming, before any answer. */
export const AssistantThinking: Story = {
  args: { live: true, message: assistantMessage('a2', [{ type: 'reasoning', text: 'The user wants a short summary. I should read the page title first, then', state: 'streaming' }]) },
}

/** Done, with the message's usage in the footer. */
export const DoneWithUsage: Story = {
  args: {
    message: assistantMessage('a3', [{ type: 'reasoning', text: 'Short answer with a code sample.', state: 'done', durationMs: 3400 }, { type: 'text', text: CODE_BLOCKS }], {
      finish: 'done',
      usage: USAGE,
    }),
  },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.oc-usage')?.textContent).toBe('1,234 in56 out$0.0013')
  },
}

/** Done, usage hidden (`showUsage={false}`). */
export const DoneWithoutUsage: Story = {
  args: { ...DoneWithUsage.args, showUsage: false },
}

/** Stopped by the reader: the partial answer stays, marked "Stopped"; a tool that was running is interrupted. */
export const Aborted: Story = {
  args: {
    message: assistantMessage(
      'a4',
      [
        { type: 'tool', toolCallId: 't1', name: 'fetch_url', label: 'Read a page', subject: 'https://hono.dev/docs', state: 'interrupted' },
        { type: 'text', text: PARTIAL },
      ],
      { finish: 'aborted' },
    ),
  },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('Stopped')).toBeInTheDocument()
  },
}

/** The connection dropped (or the server went silent) mid-answer. */
export const Interrupted: Story = {
  args: { message: assistantMessage('a5', 'This answer will be cut off in the mid', { finish: 'interrupted' }) },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('Interrupted')).toBeInTheDocument()
  },
}

/** Failed with a server error: the headline for its kind, and the server's message as detail. */
export const ErrorState: Story = {
  name: 'Error',
  args: {
    message: assistantMessage('a6', 'I started answering, and then ', {
      finish: 'error',
      error: { kind: 'server', errorKind: 'rate_limit', message: 'Rate limit reached; try again in a minute.' },
    }),
  },
  play: async ({ canvasElement }) => {
    const footer = canvasElement.querySelector('.oc-finish')!
    await expect(footer).toHaveAttribute('data-finish', 'error')
    await expect(footer).toHaveTextContent('Rate limit reached. Wait a moment, then try again.')
    await expect(footer.querySelector('.oc-finish-detail')).toHaveTextContent('Rate limit reached; try again in a minute.')
  },
}

/** Failed before any text arrived (HTTP 500), loaded from a transcript without error details. */
export const ErrorWithoutDetails: Story = {
  args: { message: assistantMessage('a7', [], { finish: 'error' }) },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('The answer failed')).toBeInTheDocument()
  },
}

export const Dark: Story = {
  args: { ...DoneWithUsage.args },
  globals: { theme: 'dark' },
}

export const DarkUserWithImage: Story = {
  args: { ...UserWithImageAttachment.args },
  globals: { theme: 'dark' },
}

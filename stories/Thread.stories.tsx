import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { Thread, type ThreadProps } from '../src/components'
import { createChatStore, createInitialState, type ChatMessage } from '../src/index'
import { withHeight, withMaxWidth } from './support/decorators'
import { assistantMessage, longThread, userMessage } from './support/fixtures'
import { scrollUpAsReader } from './support/scroll'

const SHORT: ChatMessage[] = longThread(8)
const LONG: ChatMessage[] = longThread(200)

const LIVE_ID = 'live'
const STREAMING: ChatMessage[] = [
  ...SHORT,
  userMessage('u-last', 'And how do I show the answer while it streams?'),
  assistantMessage(LIVE_ID, [
    { type: 'reasoning', text: 'Explain the coalescer, then the stick-to-bottom behaviour.', state: 'done', durationMs: 1800 },
    { type: 'text', text: 'Deltas are coalesced into **one store update per animation frame**, so the thread re-renders at most once per frame and only the row being streamed' },
  ]),
]

/** A thread over a chat store holding STREAMING, its last message live. */
function StoreBackedThread(props: ThreadProps) {
  const [store] = useState(() =>
    createChatStore({
      initialState: { ...createInitialState('story'), status: 'streaming', messages: STREAMING.slice(0, -1), live: STREAMING[STREAMING.length - 1] },
    }),
  )
  return <Thread {...props} messages={undefined} store={store} />
}

/** The conversation as a `role="log"`: follows new content, stops when the reader scrolls up, offers "Jump to latest". */
const meta = {
  title: 'Components/Thread',
  component: Thread,
  decorators: [withMaxWidth('48rem'), withHeight(520)],
  args: { messages: SHORT },
} satisfies Meta<typeof Thread>
export default meta
type Story = StoryObj<typeof meta>

export const Empty: Story = {
  args: { messages: [] },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('log', { name: 'Conversation' })).toHaveTextContent('Send a message to start the conversation.')
  },
}

/** An app's own empty state. */
export const EmptyCustom: Story = {
  args: {
    messages: [],
    emptyState: (
      <div>
        <strong>Ask the research agent</strong>
        <p>It searches the web and reads pages; answers cite their sources.</p>
      </div>
    ),
  },
}

export const Short: Story = {}

/** 200 messages: reasoning, tools, code and usage throughout; opens at the end. */
export const LongThread: Story = {
  args: { messages: LONG },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    // Opens following the end: no "Jump to latest" until the reader scrolls up. (Rows are not counted: a virtualized
    // thread renders only those in view.)
    await expect(canvas.queryByRole('button', { name: 'Jump to latest' })).toBeNull()
    await expect(within(canvas.getByRole('log')).getAllByRole('article').length).toBeGreaterThan(0)
  },
}

/** The last message is being streamed: only it is a live region. */
export const StreamingLastMessage: Story = {
  args: { messages: STREAMING, liveMessageId: LIVE_ID },
  play: async ({ canvasElement }) => {
    const live = Array.from(canvasElement.querySelectorAll('[aria-live="polite"]'))
    await expect(live.length).toBeLessThanOrEqual(1)
    for (const region of live) await expect(region.closest('article')).toHaveAttribute('data-live')
    await expect(within(canvasElement).getByRole('log')).toHaveAttribute('aria-live', 'off')
  },
}

/** The reader scrolled up in a long thread: "Jump to latest" takes them back to the end. */
export const JumpToLatestVisible: Story = {
  args: { messages: LONG },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await scrollUpAsReader(canvas.getByRole('log'))
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Jump to latest' })).toBeInTheDocument())
  },
}

/** …and clicking it follows the end again. */
export const JumpToLatestClicked: Story = {
  args: { messages: LONG },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await scrollUpAsReader(canvas.getByRole('log'))
    await userEvent.click(await canvas.findByRole('button', { name: 'Jump to latest' }))
    await waitFor(() => expect(canvas.queryByRole('button', { name: 'Jump to latest' })).toBeNull())
  },
}

/** Backed by a chat store (`chat.store`): each row subscribes to its own message; the last one is live. */
export const FromStoreStreaming: Story = {
  render: (args) => <StoreBackedThread {...args} />,
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getAllByRole('article').length).toBeGreaterThan(0)
    await expect(canvasElement.querySelectorAll('[data-live]').length).toBeLessThanOrEqual(1)
  },
}

export const Dark: Story = {
  args: { messages: STREAMING, liveMessageId: LIVE_ID },
  globals: { theme: 'dark' },
}

export const DarkEmpty: Story = {
  args: { messages: [] },
  globals: { theme: 'dark' },
}

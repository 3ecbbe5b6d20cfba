import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, within } from 'storybook/test'
import { ReasoningBlock } from '../src/components'
import { withMaxWidth } from './support/decorators'

const REASONING = [
  'The user wants a short summary of the page. I should read the title first,',
  'then pick the **three key points**:',
  '',
  '1. what streaming changes for the reader,',
  '2. how a stop is confirmed,',
  '3. what happens when the server goes silent.',
].join('\n')

/** A model's reasoning: open and live while it streams, collapsed once the answer starts. */
const meta = {
  title: 'Components/ReasoningBlock',
  component: ReasoningBlock,
  decorators: [withMaxWidth('48rem')],
  args: { text: REASONING, state: 'done' },
} satisfies Meta<typeof ReasoningBlock>
export default meta
type Story = StoryObj<typeof meta>

/** "Thinking…" with the text arriving (open). */
export const Streaming: Story = {
  args: { text: 'The user wants a short summary of the page. I should read the title first, then pick the', state: 'streaming' },
  play: async ({ canvasElement }) => {
    const toggle = within(canvasElement).getByRole('button', { name: 'Thinking…' })
    await expect(toggle).toHaveAttribute('aria-expanded', 'true')
  },
}

/** Finished in a live run: "Thought for 4 s", collapsed. */
export const DoneWithDuration: Story = {
  args: { durationMs: 4200 },
  play: async ({ canvasElement }) => {
    const toggle = within(canvasElement).getByRole('button', { name: 'Thought for 4 s' })
    await expect(toggle).toHaveAttribute('aria-expanded', 'false')
  },
}

/** Finished and opened by the reader. */
export const DoneExpanded: Story = {
  args: { durationMs: 12_000 },
  play: async ({ canvasElement }) => {
    const toggle = within(canvasElement).getByRole('button', { name: 'Thought for 12 s' })
    await userEvent.click(toggle)
    await expect(toggle).toHaveAttribute('aria-expanded', 'true')
    await expect(within(canvasElement).getByText(/three key points/)).toBeInTheDocument()
  },
}

/** Loaded from history: no duration is known, so the header just says "Reasoning". */
export const FromHistoryWithoutDuration: Story = {
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Reasoning' })).toBeInTheDocument()
  },
}

export const Dark: Story = {
  args: { durationMs: 3000, defaultOpen: true },
  globals: { theme: 'dark' },
}

export const DarkStreaming: Story = {
  args: { text: 'Comparing the two approaches: the first keeps', state: 'streaming' },
  globals: { theme: 'dark' },
}

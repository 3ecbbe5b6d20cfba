import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect } from 'storybook/test'
import { UsageBadge } from '../src/components'
import { withCaption } from './support/decorators'
import { USAGE } from './support/fixtures'

/** Tokens in/out and cost, of one message or of the session. */
const meta = {
  title: 'Components/UsageBadge',
  component: UsageBadge,
  args: { usage: USAGE, variant: 'message' },
} satisfies Meta<typeof UsageBadge>
export default meta
type Story = StoryObj<typeof meta>

/** A message's usage, in its footer. */
export const MessageUsage: Story = {
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.oc-usage')?.textContent).toBe('1,234 in56 out$0.0013')
    await expect(canvasElement.querySelector('.oc-usage')).toHaveAttribute('title', '1,234 tokens in, 56 tokens out, cost $0.0013')
  },
}

/** Only part of the usage is known (here: tokens out). */
export const MessagePartial: Story = {
  args: { usage: { tokensOut: 312 } },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.oc-usage')?.textContent).toBe('312 out')
  },
}

/** The session totals, in the chat header; large counts are compact. */
export const Session: Story = {
  args: { variant: 'session', usage: { tokensIn: 184_320, tokensOut: 9_876, costUsd: 0.4213 } },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.oc-usage')?.textContent).toBe('Session184.3K in9,876 out$0.42')
  },
}

/** A new session: zero totals render nothing at all. */
export const SessionEmpty: Story = {
  args: { variant: 'session', usage: { tokensIn: 0, tokensOut: 0, costUsd: 0 } },
  decorators: [withCaption('A session with no usage yet renders nothing:')],
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.oc-usage')).toBeNull()
  },
}

export const Dark: Story = {
  args: { variant: 'session', usage: { tokensIn: 12_345, tokensOut: 678, costUsd: 0.0191 } },
  globals: { theme: 'dark' },
}

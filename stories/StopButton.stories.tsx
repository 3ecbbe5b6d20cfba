import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { StopButton } from '../src/components'
import { withCaption } from './support/decorators'

/** Shown while a run is busy; "Stopping…" and inert once a stop was asked for. */
const meta = {
  title: 'Components/StopButton',
  component: StopButton,
  args: { status: 'streaming', onStop: fn() },
} satisfies Meta<typeof StopButton>
export default meta
type Story = StoryObj<typeof meta>

// Each story has its own spy (the stories test runs them without Storybook's between-story mock reset).
export const Streaming: Story = {
  args: { onStop: fn() },
  play: async ({ canvasElement, args }) => {
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Stop' }))
    await expect(args.onStop).toHaveBeenCalledTimes(1)
  },
}

/** Sent, nothing streamed yet: already stoppable. */
export const Submitted: Story = {
  args: { status: 'submitted' },
}

/** A stop was asked for and the server has not confirmed it yet: a second click does nothing. */
export const Stopping: Story = {
  args: { status: 'stopping', onStop: fn() },
  play: async ({ canvasElement, args }) => {
    const button = within(canvasElement).getByRole('button', { name: 'Stopping…' })
    await expect(button).toHaveAttribute('aria-disabled', 'true')
    await userEvent.click(button)
    await expect(args.onStop).not.toHaveBeenCalled()
  },
}

/** Idle: no button. */
export const Ready: Story = {
  args: { status: 'ready' },
  decorators: [withCaption('Idle (status ready): the stop button is not rendered.')],
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).queryByRole('button')).toBeNull()
  },
}

export const Dark: Story = {
  globals: { theme: 'dark' },
}

export const DarkStopping: Story = {
  args: { status: 'stopping' },
  globals: { theme: 'dark' },
}

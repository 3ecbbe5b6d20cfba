import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { ErrorBanner, type ErrorBannerError } from '../src/components'
import { withMaxWidth } from './support/decorators'

/** The chat's error: a message per kind, Retry when resending makes sense, and Dismiss. */
const meta = {
  title: 'Components/ErrorBanner',
  component: ErrorBanner,
  decorators: [withMaxWidth('48rem')],
  // The banner hands its click event to `onRetry`/`onDismiss`; called without it, the Actions panel does not try to
  // serialize a DOM event.
  render: ({ onRetry, onDismiss, ...args }) => (
    <ErrorBanner {...args} onRetry={onRetry && (() => onRetry())} onDismiss={onDismiss && (() => onDismiss())} />
  ),
  args: { error: { kind: 'http', status: 500, message: 'Gateway is not connected', retryable: true }, onRetry: fn(), onDismiss: fn() },
} satisfies Meta<typeof ErrorBanner>
export default meta
type Story = StoryObj<typeof meta>

/**
 * A story per error: checks the headline, the detail line and whether Retry is offered. `retryable` follows
 * `ChatError.retryable`: http 5xx/408/429, network, stalled, protocol and server errors other than refusal and
 * context_length.
 */
function banner(error: ErrorBannerError, title: string, detail?: string): Story {
  return {
    args: { error, onRetry: fn(), onDismiss: fn() },
    play: async ({ canvasElement }) => {
      const alert = within(canvasElement).getByRole('alert')
      await expect(alert.querySelector('.oc-error-title')?.textContent).toBe(title)
      await expect(alert.querySelector('.oc-error-detail')?.textContent).toBe(detail)
      const retry = within(alert).queryByRole('button', { name: 'Retry' })
      await expect(retry !== null).toBe(error.retryable === true)
    },
  }
}

export const Http500 = banner(
  { kind: 'http', status: 500, message: 'Gateway is not connected', retryable: true },
  'The server answered with an error (HTTP 500).',
  'Gateway is not connected',
)

/** Too large (attachments over the server's limit): resending the same thing cannot help. */
export const Http413 = banner(
  { kind: 'http', status: 413, message: 'Request body too large (limit 10 MiB)', retryable: false },
  'The server answered with an error (HTTP 413).',
  'Request body too large (limit 10 MiB)',
)

export const Network = banner({ kind: 'network', message: 'Failed to fetch', retryable: true }, 'Could not reach the server. Check the connection and try again.', 'Failed to fetch')

export const Stalled = banner({ kind: 'stalled', message: 'No data for 45 s', retryable: true }, 'The server stopped responding.', 'No data for 45 s')

export const Protocol = banner(
  { kind: 'protocol', message: 'Expected text/event-stream, got text/html', retryable: true },
  'The server sent a response the chat could not read.',
  'Expected text/event-stream, got text/html',
)

export const ServerRefusal = banner(
  { kind: 'server', errorKind: 'refusal', message: 'The model refused to answer this request.', retryable: false },
  'The model declined to answer this request.',
  'The model refused to answer this request.',
)

export const ServerTimeout = banner(
  { kind: 'server', errorKind: 'timeout', message: 'The model did not answer in time.', retryable: true },
  'The model took too long to answer.',
  'The model did not answer in time.',
)

export const ServerRateLimit = banner(
  { kind: 'server', errorKind: 'rate_limit', message: 'Rate limit reached; try again in a minute.', retryable: true },
  'Rate limit reached. Wait a moment, then try again.',
  'Rate limit reached; try again in a minute.',
)

export const ServerContextLength = banner(
  { kind: 'server', errorKind: 'context_length', message: 'The conversation is too long for this model.', retryable: false },
  'This conversation is too long for the model. Start a new chat.',
  'The conversation is too long for this model.',
)

export const ServerUnknown = banner(
  { kind: 'server', errorKind: 'unknown', message: 'Something went wrong in the agent.', retryable: true },
  'The agent ran into an error.',
  'Something went wrong in the agent.',
)

/** Not retryable: Dismiss only. */
export const NonRetryable = banner(
  { kind: 'http', status: 400, message: 'Message is required', retryable: false },
  'The server answered with an error (HTTP 400).',
  'Message is required',
)

/** Retry and Dismiss call back. */
export const RetryAndDismiss: Story = {
  args: { onRetry: fn(), onDismiss: fn() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }))
    await userEvent.click(canvas.getByRole('button', { name: 'Dismiss' }))
    await expect(args.onRetry).toHaveBeenCalledTimes(1)
    await expect(args.onDismiss).toHaveBeenCalledTimes(1)
  },
}

export const Dark: Story = {
  ...ServerRateLimit,
  globals: { theme: 'dark' },
}

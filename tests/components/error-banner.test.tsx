// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ErrorBanner } from '../../src/components'
import { ChatError } from '../../src/protocol'

afterEach(cleanup)

const title = () => document.querySelector('.oc-error-title')?.textContent

describe('ErrorBanner', () => {
  it('renders nothing without an error', () => {
    expect(render(<ErrorBanner error={undefined} />).container.innerHTML).toBe('')
  })

  it('has a message per error kind', () => {
    const cases: [ChatError, string][] = [
      [new ChatError({ kind: 'http', status: 503, message: 'Gateway is not connected' }), 'The server answered with an error (HTTP 503).'],
      [new ChatError({ kind: 'network', message: 'Failed to fetch' }), 'Could not reach the server. Check the connection and try again.'],
      [new ChatError({ kind: 'stalled', message: 'no data for 45 s' }), 'The server stopped responding.'],
      [new ChatError({ kind: 'protocol', message: 'not an event stream' }), 'The server sent a response the chat could not read.'],
      [new ChatError({ kind: 'server', errorKind: 'refusal', message: 'no' }), 'The model declined to answer this request.'],
      [new ChatError({ kind: 'server', errorKind: 'timeout', message: 'slow' }), 'The model took too long to answer.'],
      [new ChatError({ kind: 'server', errorKind: 'rate_limit', message: 'wait' }), 'Rate limit reached. Wait a moment, then try again.'],
      [new ChatError({ kind: 'server', errorKind: 'context_length', message: 'long' }), 'This conversation is too long for the model. Start a new chat.'],
      [new ChatError({ kind: 'server', message: 'boom' }), 'The agent ran into an error.'],
    ]
    for (const [error, expected] of cases) {
      render(<ErrorBanner error={error} />)
      expect(screen.getByRole('alert').dataset.kind).toBe(error.kind)
      expect(title()).toBe(expected)
      expect(document.querySelector('.oc-error-detail')?.textContent).toBe(error.message)
      cleanup()
    }
  })

  it('offers Retry only for retryable errors, and calls it', () => {
    const onRetry = vi.fn()
    render(<ErrorBanner error={new ChatError({ kind: 'http', status: 500, message: 'x' })} onRetry={onRetry} />)
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }))
    expect(onRetry).toHaveBeenCalledTimes(1)
    cleanup()
    render(<ErrorBanner error={new ChatError({ kind: 'http', status: 400, message: 'bad' })} onRetry={onRetry} />)
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull()
    cleanup()
    render(<ErrorBanner error={new ChatError({ kind: 'server', errorKind: 'refusal', message: 'no' })} onRetry={onRetry} />)
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull()
  })

  it('is dismissible through a labelled button', () => {
    const onDismiss = vi.fn()
    render(<ErrorBanner error={{ kind: 'network', message: 'offline', retryable: true }} onDismiss={onDismiss} strings={{ dismiss: 'Schließen' }} />)
    fireEvent.click(screen.getByRole('button', { name: 'Schließen' }))
    expect(onDismiss).toHaveBeenCalledTimes(1)
  })
})

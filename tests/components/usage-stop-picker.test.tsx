// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AgentPicker, ChatStringsProvider, StopButton, UsageBadge, defaultStrings } from '../../src/components'

afterEach(cleanup)

describe('UsageBadge', () => {
  it('shows tokens in/out and cost of a message', () => {
    const { container } = render(<UsageBadge usage={{ tokensIn: 1234, tokensOut: 56, costUsd: 0.001346 }} />)
    expect(container.textContent).toBe('1,234 in56 out$0.0013')
    expect(container.querySelector('.oc-usage')?.getAttribute('title')).toBe('1,234 tokens in, 56 tokens out, cost $0.0013')
  })

  it('shows only what is known, and nothing when nothing is', () => {
    expect(render(<UsageBadge usage={{ costUsd: 0.25 }} />).container.textContent).toBe('$0.25')
    cleanup()
    expect(render(<UsageBadge usage={undefined} />).container.innerHTML).toBe('')
    cleanup()
    expect(render(<UsageBadge usage={{ tokensIn: 0, tokensOut: 0, costUsd: 0 }} variant="session" />).container.innerHTML).toBe('')
  })

  it('has a session-totals variant', () => {
    const { container } = render(<UsageBadge usage={{ tokensIn: 25_000, tokensOut: 900, costUsd: 1.5 }} variant="session" />)
    expect(container.querySelector('.oc-usage')?.getAttribute('data-variant')).toBe('session')
    expect(container.textContent).toBe('Session25K in900 out$1.50')
  })
})

describe('StopButton', () => {
  it('is visible only while busy and stops', () => {
    const onStop = vi.fn()
    const { rerender, container } = render(<StopButton status="ready" onStop={onStop} />)
    expect(container.innerHTML).toBe('')
    rerender(<StopButton status="streaming" onStop={onStop} />)
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }))
    expect(onStop).toHaveBeenCalledTimes(1)
  })

  it('shows "Stopping…" and ignores clicks while stopping', () => {
    const onStop = vi.fn()
    render(<StopButton status="stopping" onStop={onStop} />)
    const button = screen.getByRole('button', { name: 'Stopping…' })
    expect(button.getAttribute('aria-disabled')).toBe('true')
    fireEvent.click(button)
    expect(onStop).not.toHaveBeenCalled()
  })

  it('takes its label from a strings provider', () => {
    render(
      <ChatStringsProvider strings={{ stop: 'Anhalten' }}>
        <StopButton status="submitted" onStop={() => {}} />
      </ChatStringsProvider>,
    )
    expect(screen.getByRole('button').textContent).toBe('Anhalten')
  })
})

describe('AgentPicker', () => {
  const agents = [
    { agentId: 'main', name: 'Main agent', model: 'mock/fast' },
    { agentId: 'research', name: 'Research' },
  ]
  it('is a labelled select that reports the chosen agent', () => {
    const onChange = vi.fn()
    render(<AgentPicker agents={agents} value="main" onChange={onChange} />)
    const select = screen.getByLabelText(defaultStrings.agentLabel) as HTMLSelectElement
    expect(select.value).toBe('main')
    fireEvent.change(select, { target: { value: 'research' } })
    expect(onChange).toHaveBeenCalledWith('research')
  })

  it('keeps an unknown current agent selectable and reports load errors', () => {
    render(<AgentPicker agents={[]} value="custom" onChange={() => {}} error={new Error('x')} />)
    const select = screen.getByLabelText('Agent') as HTMLSelectElement
    expect(select.value).toBe('custom')
    expect(select.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByText(defaultStrings.agentsError)).toBeTruthy()
  })
})

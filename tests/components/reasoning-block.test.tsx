// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ReasoningBlock } from '../../src/components'

afterEach(cleanup)

const toggle = () => screen.getByRole('button')
const body = (container: HTMLElement) => container.querySelector('.oc-reasoning-body') as HTMLElement

describe('ReasoningBlock', () => {
  it('is open and shows the text live while streaming', () => {
    const { container, rerender } = render(<ReasoningBlock text="First I" state="streaming" />)
    expect(toggle().textContent).toBe('Thinking…')
    expect(toggle().getAttribute('aria-expanded')).toBe('true')
    expect(body(container).hidden).toBe(false)
    rerender(<ReasoningBlock text="First I read the page" state="streaming" />)
    expect(body(container).textContent).toContain('First I read the page')
  })

  it('collapses by itself when the answer starts, and shows how long it thought', () => {
    const { container, rerender } = render(<ReasoningBlock text="Reading" state="streaming" />)
    rerender(<ReasoningBlock text="Reading the page." state="done" durationMs={2600} />)
    expect(toggle().getAttribute('aria-expanded')).toBe('false')
    expect(body(container).hidden).toBe(true)
    expect(toggle().textContent).toBe('Thought for 3 s')
  })

  it('opens and closes from the keyboard-operable toggle and keeps the reader’s choice', () => {
    const { container, rerender } = render(<ReasoningBlock text="Because **this**." state="done" durationMs={400} />)
    expect(toggle().textContent).toBe('Thought for 1 s')
    expect(body(container).hidden).toBe(true)
    const button = toggle()
    expect(button.tagName).toBe('BUTTON')
    expect(button.getAttribute('aria-controls')).toBe(body(container).id)
    fireEvent.click(button)
    expect(button.getAttribute('aria-expanded')).toBe('true')
    expect(body(container).querySelector('strong')?.textContent).toBe('this')
    rerender(<ReasoningBlock text="Because **this**." state="done" durationMs={400} />)
    expect(button.getAttribute('aria-expanded')).toBe('true')
    fireEvent.click(button)
    expect(body(container).hidden).toBe(true)
  })

  it('has a plain title without a duration (history) and uses the strings', () => {
    render(<ReasoningBlock text="x" state="done" strings={{ thought: 'Gedanken' }} />)
    expect(toggle().textContent).toBe('Gedanken')
    cleanup()
    render(<ReasoningBlock text="x" state="streaming" strings={{ thinking: 'Denkt nach…' }} />)
    expect(toggle().textContent).toBe('Denkt nach…')
  })
})

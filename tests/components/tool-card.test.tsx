// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ToolCard } from '../../src/components'

afterEach(cleanup)

const card = (c: HTMLElement) => c.querySelector('.oc-tool') as HTMLElement
const header = (c: HTMLElement) => c.querySelector('.oc-tool-header') as HTMLButtonElement

describe('ToolCard', () => {
  it('shows label and subject as the title, and a spinner while running', () => {
    const { container } = render(<ToolCard name="web_search" label="Searched the web" subject="hono sse" arguments={{ query: 'hono sse' }} state="running" />)
    expect(card(container).dataset.state).toBe('running')
    expect(container.querySelector('.oc-tool-label')?.textContent).toBe('Searched the web')
    expect(container.querySelector('.oc-tool-subject')?.textContent).toBe('hono sse')
    expect(container.querySelector('.oc-spinner')).not.toBeNull()
    expect(container.querySelector('.oc-tool-status')?.textContent).toBe('Running…')
  })

  it('uses the name when there is no label', () => {
    const { container } = render(<ToolCard name="read" state="done" durationMs={120} />)
    expect(container.querySelector('.oc-tool-label')?.textContent).toBe('read')
    expect(container.querySelector('.oc-tool-status')?.textContent).toBe('120 ms')
    expect(container.querySelector('.oc-spinner')).toBeNull()
  })

  it('expands to the tool name, pretty arguments and the result', () => {
    const { container } = render(
      <ToolCard name="fetch_url" label="Read a page" arguments={{ url: 'https://hono.dev', depth: 1 }} state="done" durationMs={930} output={'{"title":"Hono","ok":true}'} />,
    )
    const body = container.querySelector('.oc-tool-body') as HTMLElement
    expect(body.hidden).toBe(true)
    expect(header(container).getAttribute('aria-expanded')).toBe('false')
    fireEvent.click(header(container))
    expect(body.hidden).toBe(false)
    expect(header(container).getAttribute('aria-controls')).toBe(body.id)
    expect(container.querySelector('.oc-tool-name')?.textContent).toBe('fetch_url')
    const [args, result] = Array.from(container.querySelectorAll('pre'))
    expect(args?.textContent).toBe('{\n  "url": "https://hono.dev",\n  "depth": 1\n}')
    expect(result?.textContent).toBe('{\n  "title": "Hono",\n  "ok": true\n}')
    expect(container.querySelector('.oc-tool-status')?.textContent).toBe('930 ms')
  })

  it('looks distinct and says "Failed" when the call failed', () => {
    const { container } = render(<ToolCard name="fetch_url" state="error" durationMs={210} output="getaddrinfo ENOTFOUND example.invalid" defaultExpanded />)
    expect(card(container).dataset.state).toBe('error')
    expect(container.querySelector('.oc-tool-status')?.textContent).toBe('Failed · 210 ms')
    expect(container.querySelector('.oc-tool-output')?.textContent).toBe('getaddrinfo ENOTFOUND example.invalid')
  })

  it('shows an interrupted call', () => {
    const { container } = render(<ToolCard name="slow" state="interrupted" defaultExpanded />)
    expect(card(container).dataset.state).toBe('interrupted')
    expect(container.querySelector('.oc-tool-status')?.textContent).toBe('Interrupted')
    expect(container.querySelector('.oc-spinner')).toBeNull()
    expect(container.querySelector('.oc-tool-empty')?.textContent).toBe('No result')
  })

  it('truncates a long result with "Show more" / "Show less"', () => {
    const output = 'x'.repeat(1000)
    const { container } = render(<ToolCard name="dump" state="done" output={output} defaultExpanded maxOutputChars={100} />)
    const pre = () => container.querySelector('.oc-tool-output')?.textContent ?? ''
    expect(pre()).toHaveLength(101)
    fireEvent.click(screen.getByRole('button', { name: 'Show more' }))
    expect(pre()).toBe(output)
    fireEvent.click(screen.getByRole('button', { name: 'Show less' }))
    expect(pre()).toHaveLength(101)
  })

  it('keeps one card per overlapping call, each with its own state', () => {
    const { container } = render(
      <>
        <ToolCard toolCallId="t2" name="fetch_url" subject="a" state="running" />
        <ToolCard toolCallId="t3" name="fetch_url" subject="b" state="error" />
      </>,
    )
    expect(Array.from(container.querySelectorAll('.oc-tool')).map((c) => (c as HTMLElement).dataset.state)).toEqual(['running', 'error'])
  })
})

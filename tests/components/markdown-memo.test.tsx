// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Markdown } from '../../src/components'
import * as renderModule from '../../src/components/markdown/render'

// Wraps the real block renderer in a spy: every call is one block rendering.
vi.mock('../../src/components/markdown/render', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/components/markdown/render')>()
  return { ...actual, renderBlockHtml: vi.fn(actual.renderBlockHtml) }
})

const spy = vi.mocked(renderModule.renderBlockHtml)
const renderedRaws = () => spy.mock.calls.map(([token]) => token.raw)

afterEach(() => {
  cleanup()
  spy.mockClear()
})

describe('Markdown block memoization', () => {
  it('re-renders only the last block when a delta arrives', () => {
    const first = '# Title\n\nFirst paragraph.\n\n```ts\nconst a = 1\n```\n\nThe last para'
    const { container, rerender } = render(<Markdown text={first} streaming />)
    expect(renderedRaws().filter((raw) => raw.trim() !== '')).toHaveLength(4)
    const heading = container.querySelector('h1')
    const code = container.querySelector('pre')
    spy.mockClear()

    rerender(<Markdown text={`${first}graph grows`} streaming />)
    expect(renderedRaws()).toEqual(['The last paragraph grows'])
    // The settled blocks' DOM is untouched.
    expect(container.querySelector('h1')).toBe(heading)
    expect(container.querySelector('pre')).toBe(code)
    expect(container.textContent).toContain('The last paragraph grows')

    spy.mockClear()
    rerender(<Markdown text={`${first}graph grows.\n\nA new block`} streaming />)
    expect(renderedRaws().filter((raw) => raw.trim() !== '')).toEqual(['The last paragraph grows.', 'A new block'])
  })

  it('re-renders only the code block while code streams into it', () => {
    const intro = 'Intro text.\n\n```js\nlet x = 1\n'
    const { rerender } = render(<Markdown text={intro} streaming />)
    spy.mockClear()
    rerender(<Markdown text={`${intro}let y = 2\n`} streaming />)
    expect(renderedRaws()).toHaveLength(1)
    expect(renderedRaws()[0]).toContain('let y = 2')
  })

  it('renders nothing again when the same text is rendered again', () => {
    const { rerender } = render(<Markdown text={'a\n\nb'} streaming />)
    spy.mockClear()
    rerender(<Markdown text={'a\n\nb'} streaming />)
    expect(spy).not.toHaveBeenCalled()
  })
})

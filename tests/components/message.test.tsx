// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { Message } from '../../src/components'
import type { ChatMessage } from '../../src/core'

afterEach(cleanup)

const assistant = (over: Partial<ChatMessage> = {}): ChatMessage => ({
  id: 'a1',
  role: 'assistant',
  parts: [{ type: 'text', text: 'Partial answer' }],
  createdAt: 1,
  ...over,
})

describe('Message', () => {
  it('shows how an answer ended: Stopped, Interrupted, or its error', () => {
    render(<Message message={assistant({ finish: 'aborted' })} />)
    expect(document.querySelector('.oc-finish')?.textContent).toBe('Stopped')
    cleanup()
    render(<Message message={assistant({ finish: 'interrupted' })} />)
    expect(document.querySelector('.oc-finish')?.textContent).toBe('Interrupted')
    cleanup()
    render(<Message message={assistant({ finish: 'error', error: { kind: 'server', errorKind: 'timeout', message: 'The model did not answer in time.' } })} />)
    const finish = document.querySelector('.oc-finish')
    expect(finish?.textContent).toBe('The model took too long to answer.The model did not answer in time.')
    expect(finish?.getAttribute('data-finish')).toBe('error')
    cleanup()
    render(<Message message={assistant({ finish: 'done' })} />)
    expect(document.querySelector('.oc-finish')).toBeNull()
  })

  it('keeps parts in stream order: text, tool card, text', () => {
    const { container } = render(
      <Message
        message={assistant({
          parts: [
            { type: 'reasoning', text: 'hmm', state: 'done', durationMs: 1200 },
            { type: 'text', text: 'Let me look. ' },
            { type: 'tool', toolCallId: 't1', name: 'web_search', label: 'Searched the web', state: 'done', durationMs: 5 },
            { type: 'text', text: 'Found it.' },
          ],
          finish: 'done',
        })}
      />,
    )
    const body = container.querySelector('.oc-message-body')!
    expect(Array.from(body.children).map((c) => c.className.split(' ')[0])).toEqual(['oc-reasoning', 'oc-md', 'oc-tool', 'oc-md'])
  })

  it('announces only the live answer (aria-live polite), and shows a typing indicator before the first delta', () => {
    const { container, rerender } = render(<Message message={assistant({ parts: [] })} live />)
    const body = container.querySelector('.oc-message-body')!
    expect(body.getAttribute('aria-live')).toBe('polite')
    expect(container.querySelector('.oc-typing')).not.toBeNull()
    rerender(<Message message={assistant({ finish: 'done' })} />)
    expect(container.querySelector('.oc-message-body')!.hasAttribute('aria-live')).toBe(false)
    expect(container.querySelector('.oc-typing')).toBeNull()
  })

  it('renders user text as plain text (no markdown, no HTML) with image attachments', () => {
    render(
      <Message
        message={{
          id: 'u1',
          role: 'user',
          createdAt: 1,
          parts: [
            { type: 'attachment', attachment: { kind: 'image', mediaType: 'image/png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=', name: 'shot.png' } },
            { type: 'attachment', attachment: { kind: 'image', mediaType: 'image/png', dataUrl: 'https://tracker.example/p.png', name: 'remote.png' } },
            { type: 'text', text: '**not bold** <b>x</b>' },
          ],
        }}
      />,
    )
    expect(screen.getByRole('article', { name: 'You' })).toBeTruthy()
    expect(document.querySelector('strong, b')).toBeNull()
    expect(document.querySelector('.oc-user-text')?.textContent).toBe('**not bold** <b>x</b>')
    const images = screen.getAllByRole('img')
    expect(images).toHaveLength(1)
    expect(images[0]?.getAttribute('src')).toMatch(/^data:image\/png/)
    expect(document.querySelector('.oc-attachment-file')?.textContent).toBe('remote.png')
  })

  it('shows the usage of a finished answer in its footer', () => {
    render(<Message message={assistant({ finish: 'done', usage: { tokensIn: 1234, tokensOut: 56, costUsd: 0.001346 } })} />)
    expect(document.querySelector('.oc-message-footer .oc-usage')?.textContent).toBe('1,234 in56 out$0.0013')
    cleanup()
    render(<Message message={assistant({ finish: 'done', usage: { tokensIn: 5 } })} showUsage={false} />)
    expect(document.querySelector('.oc-usage')).toBeNull()
  })
})

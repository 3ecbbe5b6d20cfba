// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Composer, defaultStrings } from '../../src/components'
import type { PendingMessage } from '../../src/core'

afterEach(cleanup)

const box = () => screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement
const type = (text: string) => fireEvent.change(box(), { target: { value: text } })
const PNG = () => new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], 'shot.png', { type: 'image/png' })

describe('Composer keys', () => {
  it('sends on Enter and clears the box', () => {
    const onSend = vi.fn()
    render(<Composer onSend={onSend} status="ready" />)
    type('Hello there')
    fireEvent.keyDown(box(), { key: 'Enter' })
    expect(onSend).toHaveBeenCalledWith({ text: 'Hello there', attachments: [] })
    expect(box().value).toBe('')
  })

  it('does not send on Shift+Enter (a new line), nor while composing (IME), nor when empty', () => {
    const onSend = vi.fn()
    render(<Composer onSend={onSend} status="ready" />)
    type('line one')
    expect(fireEvent.keyDown(box(), { key: 'Enter', shiftKey: true })).toBe(true) // default (new line) not prevented
    fireEvent.keyDown(box(), { key: 'Enter', keyCode: 229 })
    expect(onSend).not.toHaveBeenCalled()
    type('   ')
    fireEvent.keyDown(box(), { key: 'Enter' })
    expect(onSend).not.toHaveBeenCalled()
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('stops on Esc while busy, and not when idle', () => {
    const onStop = vi.fn()
    const { rerender } = render(<Composer onSend={() => {}} status="ready" onStop={onStop} />)
    fireEvent.keyDown(box(), { key: 'Escape' })
    expect(onStop).not.toHaveBeenCalled()
    rerender(<Composer onSend={() => {}} status="streaming" onStop={onStop} />)
    fireEvent.keyDown(box(), { key: 'Escape' })
    expect(onStop).toHaveBeenCalledTimes(1)
    // The stop button is there while busy.
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }))
    expect(onStop).toHaveBeenCalledTimes(2)
  })

  it('queues while busy: the send button says so, and sending still goes through', () => {
    const onSend = vi.fn()
    render(<Composer onSend={onSend} status="streaming" onStop={() => {}} />)
    type('next question')
    fireEvent.click(screen.getByRole('button', { name: 'Queue' }))
    expect(onSend).toHaveBeenCalledWith({ text: 'next question', attachments: [] })
  })

  it('is inert when disabled', () => {
    const onSend = vi.fn()
    render(<Composer onSend={onSend} disabled />)
    expect(box().disabled).toBe(true)
    fireEvent.keyDown(box(), { key: 'Enter' })
    expect(onSend).not.toHaveBeenCalled()
    expect((screen.getByRole('button', { name: 'Attach image' }) as HTMLButtonElement).disabled).toBe(true)
  })
})

describe('Composer queue', () => {
  const queue: PendingMessage[] = [
    { id: 'q1', text: 'first queued', attachments: [], createdAt: 1 },
    { id: 'q2', text: 'second queued', attachments: [], createdAt: 2 },
  ]

  it('lists queued messages', () => {
    render(<Composer onSend={() => {}} status="streaming" queue={queue} onRemoveQueued={() => {}} onUpdateQueued={() => {}} />)
    expect(screen.getByRole('region', { name: '2 queued messages' })).toBeTruthy()
    expect(Array.from(document.querySelectorAll('.oc-queued-text')).map((e) => e.textContent)).toEqual(['first queued', 'second queued'])
  })

  it('edits a queued message inline: Enter saves, Esc cancels without stopping the run', () => {
    const onUpdate = vi.fn()
    const onStop = vi.fn()
    render(<Composer onSend={() => {}} status="streaming" onStop={onStop} queue={queue} onRemoveQueued={() => {}} onUpdateQueued={onUpdate} />)
    const [edit] = screen.getAllByRole('button', { name: 'Edit' })
    fireEvent.click(edit!)
    const input = screen.getByRole('textbox', { name: 'Edit queued message' }) as HTMLTextAreaElement
    expect(input.value).toBe('first queued')
    fireEvent.change(input, { target: { value: 'first, edited' } })
    fireEvent.keyDown(input, { key: 'Enter' })
    expect(onUpdate).toHaveBeenCalledWith('q1', 'first, edited')
    expect(screen.queryByRole('textbox', { name: 'Edit queued message' })).toBeNull()

    fireEvent.click(screen.getAllByRole('button', { name: 'Edit' })[1]!)
    fireEvent.change(screen.getByRole('textbox', { name: 'Edit queued message' }), { target: { value: 'nope' } })
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Edit queued message' }), { key: 'Escape' })
    expect(onUpdate).toHaveBeenCalledTimes(1)
    expect(onStop).not.toHaveBeenCalled()
    expect(screen.queryByRole('textbox', { name: 'Edit queued message' })).toBeNull()
  })

  it('saves with the Save button; an emptied message is removed', () => {
    const onUpdate = vi.fn()
    const onRemove = vi.fn()
    render(<Composer onSend={() => {}} status="streaming" queue={queue} onRemoveQueued={onRemove} onUpdateQueued={onUpdate} />)
    fireEvent.click(screen.getAllByRole('button', { name: 'Edit' })[0]!)
    fireEvent.change(screen.getByRole('textbox', { name: 'Edit queued message' }), { target: { value: 'saved by button' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(onUpdate).toHaveBeenCalledWith('q1', 'saved by button')
    fireEvent.click(screen.getAllByRole('button', { name: 'Edit' })[1]!)
    fireEvent.change(screen.getByRole('textbox', { name: 'Edit queued message' }), { target: { value: '  ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(onRemove).toHaveBeenCalledWith('q2')
  })

  it('removes a queued message', () => {
    const onRemove = vi.fn()
    render(<Composer onSend={() => {}} status="streaming" queue={queue} onRemoveQueued={onRemove} onUpdateQueued={() => {}} />)
    fireEvent.click(screen.getAllByRole('button', { name: 'Remove' })[1]!)
    expect(onRemove).toHaveBeenCalledWith('q2')
  })
})

describe('Composer attachments', () => {
  it('adds an image from the file picker with a preview, removable, and sends it', async () => {
    const onSend = vi.fn()
    const { container } = render(<Composer onSend={onSend} status="ready" />)
    const input = container.querySelector('input[type=file]') as HTMLInputElement
    expect(input.accept).toBe('image/png,image/jpeg,image/webp,image/gif')
    fireEvent.change(input, { target: { files: [PNG()] } })
    const preview = await screen.findByRole('img', { name: 'Attachment: shot.png' })
    expect(preview.getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    fireEvent.click(screen.getByRole('button', { name: 'Remove shot.png' }))
    expect(screen.queryByRole('img')).toBeNull()

    fireEvent.change(input, { target: { files: [PNG()] } })
    await screen.findByRole('img')
    fireEvent.keyDown(box(), { key: 'Enter' })
    expect(onSend).toHaveBeenCalledTimes(1)
    const sent = onSend.mock.calls[0]![0] as { text: string; attachments: { kind: string; name: string }[] }
    expect(sent.text).toBe('')
    expect(sent.attachments).toMatchObject([{ kind: 'image', name: 'shot.png', mediaType: 'image/png' }])
    expect(screen.queryByRole('img')).toBeNull()
  })

  it('adds pasted images', async () => {
    render(<Composer onSend={() => {}} status="ready" />)
    fireEvent.paste(box(), { clipboardData: { files: [PNG()], getData: () => '' } })
    expect(await screen.findByRole('img', { name: 'Attachment: shot.png' })).toBeTruthy()
  })

  it('shows an AttachmentError for a file it cannot send', async () => {
    const { container } = render(<Composer onSend={() => {}} status="ready" />)
    const input = container.querySelector('input[type=file]') as HTMLInputElement
    fireEvent.change(input, { target: { files: [new File(['%PDF'], 'doc.pdf', { type: 'application/pdf' })] } })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('doc.pdf')
    // the picker takes images only, and says so (also for a text file, which the protocol would accept elsewhere)
    expect(alert.textContent).toBe(defaultStrings.imagesOnly('doc.pdf'))
    expect(screen.queryByRole('img')).toBeNull()
    expect(box().getAttribute('aria-describedby')).toBe(alert.id)
  })

  it('shows an AttachmentError thrown by onSend and keeps the draft', async () => {
    const { AttachmentError } = await import('../../src/core')
    const onSend = vi.fn(() => Promise.reject(new AttachmentError('too-large', 'too big')))
    render(<Composer onSend={onSend} status="ready" />)
    type('keep me')
    await act(async () => {
      fireEvent.keyDown(box(), { key: 'Enter' })
    })
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('too big'))
    expect(box().value).toBe('keep me')
  })
})

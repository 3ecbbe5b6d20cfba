import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { Composer, type ComposerInput, type ComposerProps } from '../src/components'
import type { PendingMessage } from '../src/index'
import { withMaxWidth } from './support/decorators'
import { LANDSCAPE_PNG, landscape, queued } from './support/fixtures'

/**
 * Holds the queue like the chat hook does: while busy, sending queues; queued messages can be edited and removed.
 * (`args.onSend`, `onUpdateQueued` and `onRemoveQueued` are still called, for the Actions panel.)
 */
function ComposerWithQueue(props: ComposerProps) {
  const [queue, setQueue] = useState<PendingMessage[]>(props.queue ?? [])
  const busy = props.status === 'submitted' || props.status === 'streaming' || props.status === 'stopping'
  const onSend = (input: ComposerInput) => {
    if (busy) setQueue((q) => [...q, queued(`q${q.length + 1}-${input.text.length}`, input.text, input.attachments)])
    return props.onSend(input)
  }
  const onUpdateQueued = (id: string, text: string) => {
    setQueue((q) => q.map((item) => (item.id === id ? { ...item, text } : item)))
    props.onUpdateQueued?.(id, text)
  }
  const onRemoveQueued = (id: string) => {
    setQueue((q) => q.filter((item) => item.id !== id))
    props.onRemoveQueued?.(id)
  }
  return <Composer {...props} queue={queue} onSend={onSend} onUpdateQueued={onUpdateQueued} onRemoveQueued={onRemoveQueued} />
}

/** A file as the picker hands it over: the landscape PNG's bytes, or any bytes with a name and a type. */
function pngFile(name: string): File {
  const bytes = Uint8Array.from(atob(LANDSCAPE_PNG.slice(LANDSCAPE_PNG.indexOf(',') + 1)), (c) => c.charCodeAt(0))
  return new File([bytes], name, { type: 'image/png' })
}

const fileInput = (canvasElement: HTMLElement) => canvasElement.querySelector<HTMLInputElement>('input[type="file"]')!
const messageBox = (canvasElement: HTMLElement) => within(canvasElement).getByRole('textbox', { name: 'Message' })

const QUEUE: PendingMessage[] = [
  queued('q1', 'And how do I stop a run from the server side?'),
  queued('q2', 'Compare these two screenshots, please.', [landscape, { ...landscape, name: 'landscape-2.png' }]),
]

/** The message box: Enter sends, Shift+Enter adds a line, Esc stops; images by paste or picker; a queue while busy. */
const meta = {
  title: 'Components/Composer',
  component: Composer,
  decorators: [withMaxWidth('48rem')],
  render: (args) => <ComposerWithQueue {...args} />,
  args: { onSend: fn(), onStop: fn(), onUpdateQueued: fn(), onRemoveQueued: fn(), status: 'ready' },
} satisfies Meta<typeof Composer>
export default meta
type Story = StoryObj<typeof meta>

export const Empty: Story = {
  play: async ({ canvasElement }) => {
    await expect(messageBox(canvasElement)).toHaveAttribute('placeholder', 'Ask something…')
    await expect(within(canvasElement).getByRole('button', { name: 'Send' })).toBeDisabled()
  },
}

/** Text typed, ready to send (Shift+Enter for a second line). */
export const Typing: Story = {
  args: { onSend: fn() },
  play: async ({ canvasElement, args }) => {
    const box = messageBox(canvasElement)
    await userEvent.type(box, 'How do I stream SSE with Hono?{Shift>}{Enter}{/Shift}Keep it short.')
    await expect(box).toHaveValue('How do I stream SSE with Hono?\nKeep it short.')
    await expect(within(canvasElement).getByRole('button', { name: 'Send' })).toBeEnabled()
    await expect(args.onSend).not.toHaveBeenCalled()
  },
}

/** A run is streaming: Stop is shown, and the send button queues. */
export const Busy: Story = {
  args: { status: 'streaming' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(messageBox(canvasElement)).toHaveAttribute('placeholder', 'Type to queue a message…')
    await expect(canvas.getByRole('button', { name: 'Stop' })).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'Queue' })).toBeDisabled()
  },
}

/** Busy with messages waiting for their turn: each is editable and removable; sending adds another. */
export const BusyWithQueuedMessages: Story = {
  args: { status: 'streaming', queue: QUEUE, onSend: fn() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.type(messageBox(canvasElement), 'One more thing: cite the docs.{Enter}')
    await expect(args.onSend).toHaveBeenCalledWith({ text: 'One more thing: cite the docs.', attachments: [] })
    const region = canvas.getByRole('region', { name: '3 queued messages' })
    await expect(within(region).getAllByRole('button', { name: 'Edit' })).toHaveLength(3)
    await expect(within(region).getByText('2 attachments')).toBeInTheDocument()
  },
}

/** A queued message being edited inline (Enter saves, Esc cancels without stopping the run). */
export const EditingQueuedMessage: Story = {
  args: { status: 'streaming', queue: QUEUE, onUpdateQueued: fn() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getAllByRole('button', { name: 'Edit' })[0]!)
    const editor = canvas.getByRole('textbox', { name: 'Edit queued message' })
    await userEvent.clear(editor)
    await userEvent.type(editor, 'How do I stop a run, and how is the stop confirmed?{Enter}')
    await expect(args.onUpdateQueued).toHaveBeenCalledWith('q1', 'How do I stop a run, and how is the stop confirmed?')
    await expect(canvas.getByText('How do I stop a run, and how is the stop confirmed?')).toBeInTheDocument()
    // Leave the second one open in the editor, as the story's final state.
    await userEvent.click(canvas.getAllByRole('button', { name: 'Edit' })[1]!)
    await expect(canvas.getByRole('textbox', { name: 'Edit queued message' })).toHaveValue('Compare these two screenshots, please.')
  },
}

/** A stop was asked for; typing still queues. */
export const Stopping: Story = {
  args: { status: 'stopping', queue: QUEUE.slice(0, 1) },
}

/** Images picked (or pasted) before sending: thumbnails, each removable. */
export const AttachmentsPreview: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.upload(fileInput(canvasElement), [pngFile('landscape.png'), pngFile('hills.png')])
    await waitFor(() => expect(canvas.getAllByRole('img')).toHaveLength(2))
    await expect(canvas.getByRole('img', { name: 'Attachment: hills.png' })).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'Remove landscape.png' })).toBeInTheDocument()
    await userEvent.type(messageBox(canvasElement), 'What is in these pictures?')
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeEnabled()
  },
}

/** A file that is not an image: refused before anything is sent, with the reason. */
export const AttachmentError: Story = {
  play: async ({ canvasElement }) => {
    const pdf = new File(['%PDF-1.7'], 'report.pdf', { type: 'application/pdf' })
    // `applyAccept: false`: the picker's filter is bypassed, as a drag-and-drop or a permissive OS dialog would.
    await userEvent.upload(fileInput(canvasElement), pdf, { applyAccept: false })
    const alert = await within(canvasElement).findByRole('alert')
    // The reason names the file (a PDF is refused by `fileToAttachment`, a text file by the images-only check).
    await expect(alert).toHaveTextContent('“report.pdf”')
    await expect(within(canvasElement).queryByRole('img')).toBeNull()
    await expect(messageBox(canvasElement)).toHaveAttribute('aria-describedby', alert.id)
  },
}

/** More than ten images at once. */
export const TooManyAttachments: Story = {
  play: async ({ canvasElement }) => {
    await userEvent.upload(
      fileInput(canvasElement),
      Array.from({ length: 11 }, (_, i) => pngFile(`shot-${i + 1}.png`)),
    )
    const alert = await within(canvasElement).findByRole('alert')
    await expect(alert).toHaveTextContent('At most 10 attachments can be sent at once.')
  },
}

/** Not connected (or no agent): nothing can be typed or attached. */
export const Disabled: Story = {
  args: { disabled: true },
  play: async ({ canvasElement }) => {
    await expect(messageBox(canvasElement)).toBeDisabled()
    await expect(within(canvasElement).getByRole('button', { name: 'Attach image' })).toBeDisabled()
  },
}

/** Without the image button (`allowAttachments={false}`). */
export const WithoutAttachments: Story = {
  args: { allowAttachments: false },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).queryByRole('button', { name: 'Attach image' })).toBeNull()
  },
}

export const Dark: Story = {
  args: { status: 'streaming', queue: QUEUE },
  globals: { theme: 'dark' },
}

export const DarkAttachmentError: Story = {
  ...AttachmentError,
  globals: { theme: 'dark' },
}

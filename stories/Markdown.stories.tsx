import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { Markdown } from '../src/components'
import { withMaxWidth } from './support/decorators'
import { CODE_BLOCKS, longAnswer, PLAIN_TEXT, STREAMING_UNCLOSED_FENCE, TABLE, XSS_ATTEMPT } from './support/fixtures'

/** Model output as markdown: highlighted code with a Copy button, tables, inert raw HTML, streaming-safe parsing. */
const meta = {
  title: 'Components/Markdown',
  component: Markdown,
  decorators: [withMaxWidth('48rem')],
  args: { text: PLAIN_TEXT, streaming: false },
} satisfies Meta<typeof Markdown>
export default meta
type Story = StoryObj<typeof meta>

export const Plain: Story = {
  play: async ({ canvasElement }) => {
    const link = within(canvasElement).getByRole('link', { name: 'link' })
    await expect(link).toHaveAttribute('target', '_blank')
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer')
  },
}

export const CodeBlocks: Story = {
  args: { text: CODE_BLOCKS },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('button', { name: 'Copy ts code' })).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'Copy bash code' })).toBeInTheDocument()
    // Known languages are highlighted; an unknown one is escaped plain text.
    await expect(canvasElement.querySelector('code.language-ts .hljs-keyword')).not.toBeNull()
    await expect(canvasElement.querySelector('code.language-brainfuck')?.children).toHaveLength(0)
  },
}

export const Table: Story = {
  args: { text: `The options that matter for reliability:\n\n${TABLE}` },
  play: async ({ canvasElement }) => {
    const table = within(canvasElement).getByRole('table')
    await expect(within(table).getAllByRole('row')).toHaveLength(5)
  },
}

/** Mid-stream: the open fence is closed before parsing, so the code block renders as a block already. */
export const StreamingUnclosedFence: Story = {
  args: { text: STREAMING_UNCLOSED_FENCE, streaming: true },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.oc-md')).toHaveAttribute('data-streaming')
    await expect(canvasElement.querySelector('code.language-tsx')?.textContent).toContain('setCount')
  },
}

/** Raw HTML, `javascript:` links and images in model output render as inert text: no element, no handler, no fetch. */
export const XssAttemptRenderedInert: Story = {
  args: { text: XSS_ATTEMPT },
  play: async ({ canvasElement }) => {
    const root = canvasElement.querySelector('.oc-md')!
    await expect(root.querySelector('script, img, svg, iframe, object, embed, style, form')).toBeNull()
    for (const el of Array.from(root.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        await expect(attr.name.startsWith('on') || attr.name === 'style' || attr.name === 'src').toBe(false)
        if (attr.name === 'href') await expect(attr.value).toMatch(/^(https?:|mailto:)/i)
      }
    }
    await expect(root.textContent).toContain('<script>alert("xss")</script>')
    await expect(root.textContent).toContain('<img src=x onerror="alert(1)">')
  },
}

export const LongAnswer: Story = {
  args: { text: longAnswer(12) },
}

export const Dark: Story = {
  args: { text: `${PLAIN_TEXT}\n\n${CODE_BLOCKS}\n\n${TABLE}` },
  globals: { theme: 'dark' },
}

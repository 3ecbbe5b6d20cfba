import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, within } from 'storybook/test'
import { ToolCard } from '../src/components'
import { withMaxWidth } from './support/decorators'

const SEARCH = { name: 'web_search', label: 'Searched the web', subject: 'hono sse', arguments: { query: 'hono sse', limit: 5 } }

const LONG_OUTPUT = Array.from(
  { length: 40 },
  (_, i) => `${String(i + 1).padStart(2, '0')}. https://hono.dev/docs/helpers/streaming#section-${i + 1} — Streaming Helper, section ${i + 1}`,
).join('\n')

/** One tool call: a title line with its state, and details (tool name, arguments, result) behind a toggle. */
const meta = {
  title: 'Components/ToolCard',
  component: ToolCard,
  decorators: [withMaxWidth('40rem')],
  args: { ...SEARCH, state: 'done', durationMs: 640, output: '5 results: hono.dev/docs/helpers/streaming, …' },
} satisfies Meta<typeof ToolCard>
export default meta
type Story = StoryObj<typeof meta>

export const Running: Story = {
  args: { state: 'running', durationMs: undefined, output: undefined },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('Running…')).toBeInTheDocument()
    await expect(canvasElement.querySelector('.oc-spinner')).not.toBeNull()
  },
}

/** Done, opened: the tool name, the arguments as JSON and the result. */
export const DoneWithResult: Story = {
  args: { defaultExpanded: true, output: { results: [{ title: 'Streaming Helper', url: 'https://hono.dev/docs/helpers/streaming' }], total: 5 } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByText('640 ms')).toBeInTheDocument()
    await expect(canvas.getByText('web_search')).toBeInTheDocument()
    await expect(canvas.getByText(/"total": 5/)).toBeInTheDocument()
  },
}

export const DoneCollapsed: Story = {}

/** Failed: marked, with its duration and the error output. */
export const Failed: Story = {
  args: {
    name: 'fetch_url',
    label: 'Read a page',
    subject: 'https://example.invalid/',
    arguments: { url: 'https://example.invalid/' },
    state: 'error',
    durationMs: 210,
    output: 'getaddrinfo ENOTFOUND example.invalid',
    defaultExpanded: true,
  },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.oc-tool-status')?.textContent).toBe('Failed · 210 ms')
  },
}

/** The run ended (stopped, dropped) before the tool finished. */
export const Interrupted: Story = {
  args: { state: 'interrupted', durationMs: undefined, output: undefined, defaultExpanded: true },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByText('Interrupted')).toBeInTheDocument()
    await expect(canvas.getByText('No result')).toBeInTheDocument()
  },
}

/** A result longer than `maxOutputChars` is cut, with "Show more". */
export const LongOutputTruncated: Story = {
  args: { name: 'list_links', label: 'Listed the links', subject: 'hono.dev', arguments: { site: 'hono.dev' }, output: LONG_OUTPUT, durationMs: 1830, defaultExpanded: true },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const output = canvasElement.querySelector('.oc-tool-output')!
    await expect(output.textContent?.endsWith('…')).toBe(true)
    await userEvent.click(canvas.getByRole('button', { name: 'Show more' }))
    await expect(output.textContent).toBe(LONG_OUTPUT)
    await expect(canvas.getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true')
  },
}

/** A label and a subject ("Searched the web · hono sse"). */
export const LabelAndSubject: Story = {
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.oc-tool-label')?.textContent).toBe('Searched the web')
    await expect(canvasElement.querySelector('.oc-tool-subject')?.textContent).toBe('hono sse')
  },
}

/** Neither label nor subject (a legacy server): the tool's name is the title. */
export const NameOnly: Story = {
  args: { name: 'read', label: undefined, subject: undefined, arguments: undefined, output: undefined, durationMs: 120 },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.oc-tool-label')?.textContent).toBe('read')
    await expect(canvasElement.querySelector('.oc-tool-subject')).toBeNull()
  },
}

/** Overlapping calls in one answer, as the `tools` scenario streams them: one done, one still running, one failed. */
export const OverlappingCardsInAList: Story = {
  render: () => (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      <ToolCard toolCallId="t1" {...SEARCH} state="done" durationMs={640} output="5 results: hono.dev/docs/helpers/streaming, …" />
      <ToolCard
        toolCallId="t2"
        name="fetch_url"
        label="Read a page"
        subject="https://hono.dev/docs/helpers/streaming"
        arguments={{ url: 'https://hono.dev/docs/helpers/streaming' }}
        state="running"
      />
      <ToolCard
        toolCallId="t3"
        name="fetch_url"
        label="Read a page"
        subject="https://example.invalid/"
        arguments={{ url: 'https://example.invalid/' }}
        state="error"
        durationMs={210}
        output="getaddrinfo ENOTFOUND example.invalid"
      />
      <ToolCard toolCallId="t4" name="read" state="interrupted" />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const states = Array.from(canvasElement.querySelectorAll<HTMLElement>('.oc-tool')).map((card) => card.dataset.state)
    await expect(states).toEqual(['done', 'running', 'error', 'interrupted'])
  },
}

export const Dark: Story = {
  ...OverlappingCardsInAList,
  globals: { theme: 'dark' },
}

export const DarkExpanded: Story = {
  args: Failed.args,
  globals: { theme: 'dark' },
}

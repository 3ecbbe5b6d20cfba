import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, fn, userEvent, within } from 'storybook/test'
import { AgentPicker, type AgentPickerProps } from '../src/components'
import type { AgentInfo } from '../src/index'

const AGENTS: AgentInfo[] = [
  { agentId: 'main', name: 'Main agent', workspace: '/workspace/main', model: 'mock/fast' },
  { agentId: 'research', name: 'Research', workspace: '/workspace/research', model: 'mock/deep' },
  { agentId: 'coder', name: 'Coder', workspace: '/workspace/coder', model: 'mock/code' },
]

/** Keeps the selection, so the select works in the story (`args.onChange` is still called). */
function Controlled(props: AgentPickerProps) {
  const [value, setValue] = useState(props.value)
  return (
    <AgentPicker
      {...props}
      value={value}
      onChange={(id) => {
        setValue(id)
        props.onChange(id)
      }}
    />
  )
}

/** A labelled native select of the server's agents (`GET /claw/agents`). */
const meta = {
  title: 'Components/AgentPicker',
  component: AgentPicker,
  render: (args) => <Controlled {...args} />,
  args: { agents: AGENTS, value: 'main', onChange: fn() },
} satisfies Meta<typeof AgentPicker>
export default meta
type Story = StoryObj<typeof meta>

export const Loaded: Story = {
  args: { onChange: fn() },
  play: async ({ canvasElement, args }) => {
    const select = within(canvasElement).getByRole('combobox', { name: 'Agent' })
    await expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Main agent', 'Research', 'Coder'])
    await userEvent.selectOptions(select, 'research')
    await expect(args.onChange).toHaveBeenCalledWith('research')
    await expect(select).toHaveValue('research')
  },
}

/** The list is loading and nothing is chosen yet. */
export const Loading: Story = {
  args: { agents: [], value: '', loading: true },
  play: async ({ canvasElement }) => {
    const select = within(canvasElement).getByRole('combobox', { name: 'Agent' })
    await expect(select).toHaveAttribute('aria-busy', 'true')
    await expect(select).toHaveTextContent('Loading agents…')
  },
}

/** Loading, with the agent from the props already selectable. */
export const LoadingWithValue: Story = {
  args: { agents: [], value: 'main', loading: true },
}

/** The list could not be loaded: the current agent stays selectable, the error is announced with the select. */
export const LoadError: Story = {
  args: { agents: [], value: 'main', error: new Error('HTTP 502') },
  play: async ({ canvasElement }) => {
    const select = within(canvasElement).getByRole('combobox', { name: 'Agent' })
    await expect(select).toHaveAttribute('aria-invalid', 'true')
    await expect(select).toHaveAccessibleDescription('Could not load the agents')
    await expect(select).toHaveValue('main')
  },
}

export const Disabled: Story = {
  args: { disabled: true },
}

export const Dark: Story = {
  globals: { theme: 'dark' },
}

export const DarkError: Story = {
  ...LoadError,
  globals: { theme: 'dark' },
}

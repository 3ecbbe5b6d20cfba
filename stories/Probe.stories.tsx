import type { Meta, StoryObj } from '@storybook/react-vite'

function Probe({ label }: { label: string }) {
  return <button type="button">{label}</button>
}
const meta = { title: 'Probe', component: Probe } satisfies Meta<typeof Probe>
export default meta
export const Default: StoryObj<typeof meta> = { args: { label: 'Hello' } }

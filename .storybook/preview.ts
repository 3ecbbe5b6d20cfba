import type { Preview } from '@storybook/react-vite'

const preview: Preview = {
  parameters: { layout: 'padded', controls: { expanded: false } },
  globalTypes: {
    theme: { description: 'Colour theme', toolbar: { title: 'Theme', items: ['light', 'dark'], dynamicTitle: true } },
  },
  initialGlobals: { theme: 'light' },
}
export default preview

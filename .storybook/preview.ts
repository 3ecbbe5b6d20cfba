import type { Decorator, Preview } from '@storybook/react-vite'
import { createElement } from 'react'
import '../src/components/styles.css'

/**
 * Every story sits in a themed surface: `data-theme` (light or dark, from the toolbar or a story's `globals`) selects
 * the `--oc-*` palette of styles.css for everything inside, and the surface paints the theme's background and text.
 */
const withTheme: Decorator = (Story, context) => {
  const theme = context.globals.theme === 'dark' ? 'dark' : 'light'
  return createElement(
    'div',
    {
      className: 'oc-story-root',
      'data-theme': theme,
      style: {
        boxSizing: 'border-box',
        minHeight: '100vh',
        padding: 16,
        background: 'var(--oc-bg)',
        color: 'var(--oc-fg)',
        fontFamily: 'var(--oc-font)',
        fontSize: 'var(--oc-font-size)',
      },
    },
    createElement(Story),
  )
}

const preview: Preview = {
  // The theme surface brings its own padding and background (so a dark story is dark to the edges).
  parameters: { layout: 'fullscreen', controls: { expanded: false } },
  decorators: [withTheme],
  globalTypes: {
    theme: { description: 'Colour theme', toolbar: { title: 'Theme', items: ['light', 'dark'], dynamicTitle: true } },
  },
  initialGlobals: { theme: 'light' },
}
export default preview

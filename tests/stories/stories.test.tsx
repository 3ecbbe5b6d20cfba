// @vitest-environment jsdom
/**
 * Every story is also a test (portable stories): each one renders in jsdom without an error or a React
 * warning, shows something, and its `play` function (where it has one) passes.
 */
import { composeStories, setProjectAnnotations } from '@storybook/react-vite'
import { cleanup } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import preview from '../../.storybook/preview'

type StoryModule = Parameters<typeof composeStories>[0]
const modules = import.meta.glob<StoryModule>('../../stories/**/*.stories.tsx', { eager: true })

// The project's decorators (theme, styles) and hooks apply as in Storybook.
const annotations = setProjectAnnotations([preview])
beforeAll(annotations.beforeAll)

afterEach(() => {
  cleanup()
  document.body.innerHTML = ''
})

describe.each(Object.entries(modules))('%s', (_file, module) => {
  const stories = Object.entries(composeStories(module)) as Array<[string, { run: (context: { canvasElement: HTMLElement }) => Promise<void> }]>
  it.each(stories)('%s renders', async (_name, Story) => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      const container = document.createElement('div')
      document.body.appendChild(container)
      // `run` mounts the story with its decorators and runs its `play` function
      await Story.run({ canvasElement: container })
      expect(container.textContent?.trim() || container.querySelector('*')).toBeTruthy()
      expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([])
    } finally {
      errors.mockRestore()
    }
  })
})

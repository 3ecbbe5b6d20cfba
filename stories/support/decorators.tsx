import type { Decorator } from '@storybook/react-vite'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState, type ReactNode } from 'react'

/** A column of this height (the thread and the chat fill their parent and scroll inside it). */
export const withHeight =
  (height: number | string): Decorator =>
  (Story) => (
    <div style={{ height, display: 'flex', flexDirection: 'column', minHeight: 0 }}>
      <Story />
    </div>
  )

/** At most this wide, like a side panel or a chat column (and as tall as a `withHeight` frame around it). */
export const withMaxWidth =
  (maxWidth: number | string): Decorator =>
  (Story) => (
    <div style={{ maxWidth, display: 'flex', flexDirection: 'column', flex: '1 1 auto', minHeight: 0 }}>
      <Story />
    </div>
  )

/** A short note above the story (for states that render little or nothing on their own). */
export const withCaption =
  (caption: string): Decorator =>
  (Story) => (
    <div>
      <p style={{ margin: '0 0 8px', font: '12px system-ui, sans-serif', color: 'var(--oc-muted, #5f6672)' }}>{caption}</p>
      <Story />
    </div>
  )

function QueryClientHost({ children }: { children: ReactNode }) {
  // One client per mounted story: nothing cached leaks from one story into the next.
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } }))
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>
}

/** The `QueryClientProvider` that `OpenClawChat` and the hooks need (a fresh client per story). */
export const withQueryClient: Decorator = (Story) => (
  <QueryClientHost>
    <Story />
  </QueryClientHost>
)

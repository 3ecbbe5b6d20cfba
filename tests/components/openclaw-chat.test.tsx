// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { OpenClawChat, type OpenClawChatProps } from '../../src/components'
import { createMockServer, type MockServer } from '../../src/mock'

afterEach(cleanup)

function renderChat(props: Partial<OpenClawChatProps> = {}) {
  const mock = createMockServer({ delayScale: 0 })
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const view = render(
    <QueryClientProvider client={client}>
      <OpenClawChat agentId="main" fetch={mock.fetch} {...props} />
    </QueryClientProvider>,
  )
  return { mock, ...view }
}

const chatRequests = (mock: MockServer) => mock.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/chat'))

function send(text: string) {
  const box = screen.getByRole('textbox', { name: 'Message' })
  fireEvent.change(box, { target: { value: text } })
  fireEvent.keyDown(box, { key: 'Enter' })
}

const idle = () => waitFor(() => expect(document.querySelector('.oc-chat')?.getAttribute('data-status')).toMatch(/^(ready|error)$/))

describe('OpenClawChat against the mock server', () => {
  it('sends a message and streams the answer into the thread', async () => {
    const { mock } = renderChat()
    send('Hello [scenario:plain]')
    await waitFor(() => expect(screen.getByText(/I'm a mock OpenClaw agent/)).toBeTruthy())
    await idle()
    expect(chatRequests(mock)).toHaveLength(1)
    expect((chatRequests(mock)[0]?.body as { message: string }).message).toBe('Hello [scenario:plain]')
    const [question, reply] = screen.getAllByRole('article')
    expect(question?.getAttribute('data-role')).toBe('user')
    expect(reply?.getAttribute('data-finish')).toBe('done')
    // Usage: per message and session totals.
    await waitFor(() => expect(reply?.querySelector('.oc-usage')?.textContent).toBe('1,234 in56 out$0.0013'))
    expect(document.querySelector('.oc-chat-header .oc-usage')?.textContent).toContain('1,234 in')
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe('')
  })

  it('renders the tools scenario as tool cards, the failed one marked', async () => {
    renderChat()
    send('Look it up [scenario:tools]')
    await waitFor(() => expect(screen.getByText(/I found two sources/)).toBeTruthy())
    await idle()
    const cards = Array.from(document.querySelectorAll('.oc-tool')) as HTMLElement[]
    expect(cards.map((c) => c.dataset.state)).toEqual(['done', 'done', 'error'])
    expect(cards.map((c) => c.querySelector('.oc-tool-subject')?.textContent)).toEqual([
      'hono sse',
      'https://hono.dev/docs/helpers/streaming',
      'https://example.invalid/',
    ])
    expect(cards[2]?.querySelector('.oc-tool-status')?.textContent).toBe('Failed · 210 ms')
    expect(cards[0]?.querySelector('.oc-tool-label')?.textContent).toBe('Searched the web')
  })

  it('shows a server error in the banner with Retry, which resends', async () => {
    const { mock } = renderChat()
    send('Try [scenario:error-rate_limit]')
    const alert = await screen.findByRole('alert')
    expect(alert.querySelector('.oc-error-title')?.textContent).toBe('Rate limit reached. Wait a moment, then try again.')
    await idle()
    expect(document.querySelector('[data-role="assistant"]')?.getAttribute('data-finish')).toBe('error')
    expect(chatRequests(mock)).toHaveLength(1)
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(chatRequests(mock)).toHaveLength(2))
    expect((chatRequests(mock)[1]?.body as { message: string }).message).toBe('Try [scenario:error-rate_limit]')
  })

  it('shows an HTTP 500 with Retry, and dismisses the banner', async () => {
    renderChat()
    send('[scenario:http-500]')
    const alert = await screen.findByRole('alert')
    expect(alert.querySelector('.oc-error-title')?.textContent).toBe('The server answered with an error (HTTP 500).')
    expect(alert.querySelector('.oc-error-detail')?.textContent).toBe('Gateway is not connected')
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeTruthy()
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }))
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull())
  })

  it('picks an agent from the server’s list when asked', async () => {
    const { mock } = renderChat({ showAgentPicker: true })
    const select = (await screen.findByLabelText('Agent')) as HTMLSelectElement
    await waitFor(() => expect(Array.from(select.options).map((o) => o.textContent)).toEqual(['Main agent', 'Research']))
    fireEvent.change(select, { target: { value: 'research' } })
    send('hi [scenario:plain]')
    await waitFor(() => expect(chatRequests(mock)).toHaveLength(1))
    expect(chatRequests(mock)[0]?.path).toBe('/claw/agents/research/chat')
    await idle()
  })

  it('uses the strings it is given', () => {
    renderChat({ strings: { composerLabel: 'Nachricht', newChat: 'Neuer Chat', emptyThread: 'Noch nichts' } })
    expect(screen.getByRole('textbox', { name: 'Nachricht' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Neuer Chat' })).toBeTruthy()
    expect(screen.getByRole('log').textContent).toBe('Noch nichts')
  })
})

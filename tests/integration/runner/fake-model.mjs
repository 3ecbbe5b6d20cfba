// A fake OpenAI-compatible model: POST /v1/chat/completions streams chat-completion chunks.
// The scenario is picked by a marker in the latest real user message (the gateway appends an internal-context
// user message and a date prefix): REASON → reasoning then answer; SCENARIO_B → a `read` tool call, then an
// answer using its result; SLOW → a long slow answer (for stop); anything else → 40 words.
import { createServer } from 'node:http'

const INTERNAL = '<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>'
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function textOf(content) {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((p) => (p && typeof p.text === 'string' ? p.text : '')).join('')
  return ''
}

export function startFakeModel(port, host = '127.0.0.1', log = () => {}) {
  let n = 0
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' })
      return res.end(JSON.stringify({ error: { message: 'not found' } }))
    }
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => void answer(JSON.parse(Buffer.concat(chunks).toString('utf8')), req, res))
  })
  async function answer(body, req, res) {
    n += 1
    const id = `chatcmpl-fake-${n}`
    const messages = Array.isArray(body.messages) ? body.messages : []
    const users = messages.filter((m) => m.role === 'user' && !textOf(m.content).includes(INTERNAL))
    const prompt = textOf(users[users.length - 1]?.content ?? '')
    const afterTool = messages.length > 0 && messages.slice(-2).some((m) => m.role === 'tool')
    const toolResult = textOf([...messages].reverse().find((m) => m.role === 'tool')?.content ?? '')
    log(`request ${n}: ${prompt.slice(0, 80).replace(/\s+/g, ' ')}${afterTool ? ' (after tool)' : ''}`)
    let closed = false
    res.on('close', () => (closed = true))
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    const chunk = (delta, finish = null) =>
      !closed && res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: 'fake-model', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`)
    const end = (finish, completion = 56) => {
      chunk({}, finish)
      if (!closed) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: 'fake-model', choices: [], usage: { prompt_tokens: 1234, completion_tokens: completion, total_tokens: 1234 + completion } })}\n\n`)
      if (!closed) res.end('data: [DONE]\n\n')
    }
    const words = async (count, gapMs) => {
      for (let i = 0; i < count && !closed; i++) {
        chunk(i === 0 ? { role: 'assistant', content: 'w0' } : { content: ` w${i}` })
        await sleep(gapMs)
      }
    }
    if (/SCENARIO_B/.test(prompt) && !afterTool) {
      chunk({ role: 'assistant', content: 'Let me read the file.' })
      await sleep(30)
      chunk({ tool_calls: [{ index: 0, id: 'call_fake_1', type: 'function', function: { name: 'read', arguments: '' } }] })
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"path":"hello.txt"}' } }] })
      return end('tool_calls')
    }
    if (/SCENARIO_B/.test(prompt)) {
      const parts = ['The', ' tool', ' returned:', ` "${toolResult.trim()}".`, ' Done', ' with', ' scenario', ' B.']
      for (const [i, p] of parts.entries()) {
        chunk(i === 0 ? { role: 'assistant', content: p } : { content: p })
        await sleep(25)
      }
      return end('stop')
    }
    if (/REASON/.test(prompt)) {
      for (let i = 0; i < 5 && !closed; i++) {
        chunk(i === 0 ? { role: 'assistant', reasoning_content: 'thinking step 0.' } : { reasoning_content: ` thinking step ${i}.` })
        await sleep(40)
      }
      await words(40, 10)
      return end('stop')
    }
    if (/SLOW/.test(prompt)) {
      await words(400, 60)
      return end('stop', 400)
    }
    await words(40, 20)
    return end('stop')
  }
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)))
}

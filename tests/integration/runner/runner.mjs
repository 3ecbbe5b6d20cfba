// Runs inside the private network namespace (or plainly on loopback): the fake model, the OpenClaw gateway, and a
// Unix-socket bridge to the gateway's port (the only way in from outside the namespace). Prints JSON lines.
// SIGTERM: the gateway is stopped (SIGTERM, then SIGKILL) by PID, then the runner exits.
import { spawn } from 'node:child_process'
import { createWriteStream, rmSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { startFakeModel } from './fake-model.mjs'

const env = process.env
const say = (event) => process.stdout.write(`${JSON.stringify(event)}\n`)
const log = createWriteStream(env.IT_LOG_FILE, { flags: 'a' })

const model = await startFakeModel(Number(env.IT_MODEL_PORT), '127.0.0.1', (line) => log.write(`[model] ${line}\n`))
rmSync(env.IT_BRIDGE_SOCKET, { force: true })
const bridge = createServer((inbound) => {
  const outbound = connect(Number(env.IT_GATEWAY_PORT), '127.0.0.1')
  inbound.pipe(outbound).pipe(inbound)
  inbound.on('error', () => outbound.destroy())
  outbound.on('error', () => inbound.destroy())
})
await new Promise((resolve) => bridge.listen(env.IT_BRIDGE_SOCKET, resolve))

const gateway = spawn(process.execPath, [env.IT_OPENCLAW_ENTRY, 'gateway', 'run', '--verbose'], {
  env: { ...env, PATH: `${env.IT_NODE_DIR}:${env.PATH}` },
  stdio: ['ignore', 'pipe', 'pipe'],
})
gateway.stdout.on('data', (d) => log.write(d))
gateway.stderr.on('data', (d) => log.write(d))
say({ event: 'started', gatewayPid: gateway.pid, runnerPid: process.pid })
gateway.on('exit', (code, signal) => {
  say({ event: 'gateway-exit', code, signal })
  if (!stopping) shutdown(0)
})

let stopping = false
function shutdown(code) {
  if (stopping) return
  stopping = true
  const done = () => {
    bridge.close()
    model.close()
    rmSync(env.IT_BRIDGE_SOCKET, { force: true })
    log.end(() => process.exit(code))
  }
  if (gateway.exitCode !== null || gateway.signalCode !== null) return done()
  const hard = setTimeout(() => gateway.kill('SIGKILL'), 6000)
  gateway.once('exit', () => {
    clearTimeout(hard)
    done()
  })
  gateway.kill('SIGTERM')
}
process.on('SIGTERM', () => shutdown(0))
process.on('SIGINT', () => shutdown(0))

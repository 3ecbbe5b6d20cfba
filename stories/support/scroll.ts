/**
 * jsdom (the stories test) has no layout: every scroll metric is 0, so a log is always "at the bottom". Give such an
 * element fixed metrics (a tall content in a short viewport) so scrolling behaves; in a browser nothing is touched.
 */
export function ensureScrollMetrics(el: HTMLElement, scrollHeight = 20_000, clientHeight = 480): void {
  if (el.scrollHeight > 0 || el.clientHeight > 0) return
  let scrollTop = 0
  Object.defineProperty(el, 'scrollHeight', { configurable: true, get: () => scrollHeight })
  Object.defineProperty(el, 'clientHeight', { configurable: true, get: () => clientHeight })
  Object.defineProperty(el, 'scrollTop', {
    configurable: true,
    get: () => scrollTop,
    set: (value: number) => {
      scrollTop = Math.max(0, Math.min(value, scrollHeight - clientHeight))
    },
  })
}

const nextFrame = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20))

/** Scrolls `el` to `top` and tells its listeners, the way a reader's scroll does. */
export async function scrollTo(el: HTMLElement, top: number): Promise<void> {
  el.scrollTop = top
  el.dispatchEvent(new Event('scroll'))
  await nextFrame()
}

/** The reader, at the end of the log, scrolls back up to the start. */
export async function scrollUpAsReader(el: HTMLElement): Promise<void> {
  ensureScrollMetrics(el)
  await scrollTo(el, el.scrollHeight)
  await scrollTo(el, 0)
}

import { elementScroll, observeElementOffset, observeElementRect, Virtualizer, type VirtualItem, type VirtualizerOptions } from '@tanstack/react-virtual'
import { useReducer, useState } from 'react'
import { useIsomorphicLayoutEffect } from './use-stick-to-bottom'

export { observeElementRect }

type Options = VirtualizerOptions<HTMLElement, HTMLElement>

export type VirtualRowsOptions = Pick<Options, 'count' | 'getScrollElement' | 'estimateSize' | 'getItemKey' | 'gap' | 'overscan' | 'initialOffset' | 'initialRect'> &
  Partial<Pick<Options, 'observeElementRect'>>

export interface VirtualRows {
  /** The rows to render (in order). */
  items: VirtualItem[]
  /** Ref of the element that holds the rows: its height is set to the list's total size. */
  containerRef: (node: HTMLElement | null) => void
  /** Ref of each row (which carries `data-index`): measured, and placed with `top`. */
  rowRef: (node: HTMLElement | null) => void
}

/**
 * A `@tanstack/react-virtual` virtualizer that re-renders only when a row in view is not rendered: the overscan rows
 * absorb small moves (a scroll of a few rows, the view following a streamed answer). Sizes and positions go straight
 * to the DOM (the container's height, each row's `top`), so a row that grows — a message being streamed — costs no
 * React commit. (The library's `useVirtualizer` with `directDomUpdates` writes to the DOM the same way but re-renders
 * whenever the range in view changes and whenever scrolling starts or stops.)
 */
export function useVirtualRows(options: VirtualRowsOptions): VirtualRows {
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  const [rows] = useState(() => {
    let container: HTMLElement | null = null
    /** Indexes of the first and last row of the last render. */
    let first = 0
    let last = -1
    const place = (): void => {
      if (container === null) return
      container.style.height = `${virtualizer.getTotalSize()}px`
      for (const item of virtualizer.getVirtualItems()) {
        const el = virtualizer.elementsCache.get(item.key)
        if (el !== undefined) el.style.top = `${item.start}px`
      }
    }
    const fixed: Pick<Options, 'observeElementOffset' | 'scrollToFn' | 'onChange'> = {
      observeElementOffset,
      scrollToFn: elementScroll,
      onChange: ({ range }) => {
        place()
        if (range !== null && (range.startIndex < first || range.endIndex > last)) rerender()
      },
    }
    const virtualizer = new Virtualizer<HTMLElement, HTMLElement>({ observeElementRect, ...options, ...fixed })
    return {
      virtualizer,
      fixed,
      place,
      rendered(items: VirtualItem[]): void {
        first = items[0]?.index ?? 0
        last = items[items.length - 1]?.index ?? -1
      },
      containerRef(node: HTMLElement | null): void {
        container = node
        place()
      },
      rowRef(node: HTMLElement | null): void {
        virtualizer.measureElement(node)
        if (node !== null) place()
      },
    }
  })
  const { virtualizer } = rows
  virtualizer.setOptions({ observeElementRect, ...options, ...rows.fixed })
  useIsomorphicLayoutEffect(() => virtualizer._didMount(), [virtualizer])
  useIsomorphicLayoutEffect(() => {
    virtualizer._willUpdate()
    rows.place()
  })
  const items = virtualizer.getVirtualItems()
  rows.rendered(items)
  return { items, containerRef: rows.containerRef, rowRef: rows.rowRef }
}

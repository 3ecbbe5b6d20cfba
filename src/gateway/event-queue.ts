/** A single-consumer async queue: `push` items, `end` it; iterating waits for the next item. */
export class EventQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = []
  private waiter: ((result: IteratorResult<T, undefined>) => void) | undefined
  private endedValue = false
  private readonly onReturn: (() => void) | undefined

  /** `onReturn` runs when the consumer stops early (`break`, `return()`). */
  constructor(onReturn?: () => void) {
    this.onReturn = onReturn
  }

  get ended(): boolean {
    return this.endedValue
  }

  push(item: T): void {
    if (this.endedValue) return
    const waiter = this.waiter
    if (waiter !== undefined) {
      this.waiter = undefined
      waiter({ value: item, done: false })
    } else {
      this.items.push(item)
    }
  }

  /** No more items; what was pushed is still delivered. */
  end(): void {
    if (this.endedValue) return
    this.endedValue = true
    const waiter = this.waiter
    if (waiter !== undefined && this.items.length === 0) {
      this.waiter = undefined
      waiter({ value: undefined, done: true })
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    return {
      next: () => {
        const item = this.items.shift()
        if (item !== undefined) return Promise.resolve({ value: item, done: false })
        if (this.endedValue) return Promise.resolve({ value: undefined, done: true })
        return new Promise((resolve) => {
          this.waiter = resolve
        })
      },
      return: () => {
        this.items.length = 0
        const wasEnded = this.endedValue
        this.end()
        if (!wasEnded) this.onReturn?.()
        return Promise.resolve({ value: undefined, done: true })
      },
    }
  }
}

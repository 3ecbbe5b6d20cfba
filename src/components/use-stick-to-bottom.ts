import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react'

/** Within this many pixels of the end counts as "at the bottom". */
export const BOTTOM_THRESHOLD_PX = 24

export interface ScrollMetrics {
  scrollTop: number
  scrollHeight: number
  clientHeight: number
}

export const isAtBottom = (m: ScrollMetrics, threshold = BOTTOM_THRESHOLD_PX): boolean => m.scrollHeight - m.scrollTop - m.clientHeight <= threshold

/**
 * Whether to keep following after a scroll event: at the bottom → follow; moved up (the reader scrolled) → stop;
 * otherwise (content grew under a still reader, or the reader moved down but not to the end) → unchanged.
 */
export function nextFollowing(following: boolean, previousScrollTop: number, metrics: ScrollMetrics): boolean {
  if (isAtBottom(metrics)) return true
  if (metrics.scrollTop < previousScrollTop - 1) return false
  return following
}

/** `useLayoutEffect` in a browser, `useEffect` where there is no DOM (SSR: no warning). */
export const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect

export interface StickToBottom {
  /** The view follows new content. */
  following: boolean
  /** Scrolls to the end and follows again. */
  jumpToLatest: () => void
}

/**
 * Keeps a scroll container pinned to its end while content grows, stops when the reader scrolls up, and resumes
 * when they come back to the end. `followKey` changing (e.g. the reader sent a message) always resumes.
 */
export function useStickToBottom(scrollRef: RefObject<HTMLElement | null>, contentRef: RefObject<HTMLElement | null>, followKey?: unknown): StickToBottom {
  const [following, setFollowing] = useState(true)
  const followingRef = useRef(true)
  const lastScrollTop = useRef(0)

  const setFollow = useCallback((value: boolean) => {
    followingRef.current = value
    setFollowing(value)
  }, [])

  const pin = useCallback(() => {
    const el = scrollRef.current
    if (el === null || !followingRef.current) return
    el.scrollTop = el.scrollHeight
    lastScrollTop.current = el.scrollTop
  }, [scrollRef])

  useEffect(() => {
    const el = scrollRef.current
    if (el === null) return
    const onScroll = () => {
      const next = nextFollowing(followingRef.current, lastScrollTop.current, el)
      lastScrollTop.current = el.scrollTop
      if (next !== followingRef.current) setFollow(next)
    }
    el.addEventListener('scroll', onScroll, { passive: true })
    return () => el.removeEventListener('scroll', onScroll)
  }, [scrollRef, setFollow])

  // Content growth (a streaming answer, a new message, an expanded card) keeps the end in view while following.
  useEffect(() => {
    const content = contentRef.current
    if (content === null) return
    if (typeof ResizeObserver !== 'undefined') {
      const observer = new ResizeObserver(() => pin())
      observer.observe(content)
      return () => observer.disconnect()
    }
    if (typeof MutationObserver !== 'undefined') {
      const observer = new MutationObserver(() => pin())
      observer.observe(content, { childList: true, subtree: true, characterData: true })
      return () => observer.disconnect()
    }
    return undefined
  }, [contentRef, pin])

  const firstKey = useRef(true)
  useIsomorphicLayoutEffect(() => {
    if (firstKey.current) {
      firstKey.current = false
      pin()
      return
    }
    followingRef.current = true
    setFollowing(true)
    pin()
  }, [followKey, pin])

  const jumpToLatest = useCallback(() => {
    setFollow(true)
    pin()
  }, [pin, setFollow])

  return { following, jumpToLatest }
}

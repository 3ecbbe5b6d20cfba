import { memo } from 'react'
import type { ChatErrorKind, ServerErrorKind } from '../index'
import { useChatStrings, type ChatStrings } from './strings'
import { cx } from './util'

/** What the banner needs of an error: a `ChatError` fits, and so does a plain object (stories). */
export interface ErrorBannerError {
  kind: ChatErrorKind
  message: string
  status?: number
  errorKind?: ServerErrorKind
  retryable?: boolean
}

export interface ErrorBannerProps {
  error: ErrorBannerError | undefined | null
  /** Shown when `error.retryable`. */
  onRetry?: () => void
  onDismiss?: () => void
  className?: string
  strings?: Partial<ChatStrings>
}

/** The headline for an error, by where it went wrong. */
export function errorTitle(error: ErrorBannerError, strings: ChatStrings): string {
  switch (error.kind) {
    case 'http':
      return strings.errorHttp(error.status)
    case 'network':
      return strings.errorNetwork
    case 'stalled':
      return strings.errorStalled
    case 'protocol':
      return strings.errorProtocol
    case 'server':
      return strings.errorServer(error.errorKind)
    default:
      return strings.errorTitle
  }
}

/** The chat's error with a message per kind, Retry when resending makes sense, and Dismiss. */
export const ErrorBanner = memo(function ErrorBanner({ error, onRetry, onDismiss, className, strings: override }: ErrorBannerProps) {
  const strings = useChatStrings(override)
  if (error === undefined || error === null) return null
  const title = errorTitle(error, strings)
  const detail = strings.errorDetail(error.kind, error.message)
  return (
    <div className={cx('oc-error', className)} role="alert" data-kind={error.kind} data-error-kind={error.errorKind}>
      <span className="oc-error-icon" aria-hidden="true" />
      <div className="oc-error-text">
        <p className="oc-error-title">{title}</p>
        {detail !== '' && detail !== title && <p className="oc-error-detail">{detail}</p>}
      </div>
      <div className="oc-error-actions">
        {error.retryable === true && onRetry !== undefined && (
          <button type="button" className="oc-button oc-retry" onClick={() => onRetry()}>
            {strings.retry}
          </button>
        )}
        {onDismiss !== undefined && (
          <button type="button" className="oc-icon-button oc-dismiss" aria-label={strings.dismiss} title={strings.dismiss} onClick={() => onDismiss()}>
            <span aria-hidden="true">×</span>
          </button>
        )}
      </div>
    </div>
  )
})

/**
 * The Status errors a PATCH can fail with, worded as k8s.io/apiserver's patch handler and
 * k8s.io/apimachinery/pkg/api/errors word them.
 */
import { StatusError, type Status } from '../status';

/** 415: `negotiation.NewUnsupportedMediaTypeError(patchTypes)`. */
export function unsupportedMediaType(accepted: readonly string[]): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

/**
 * 422 from `errors.NewGenericServerResponse(422, ...)`, which is how the apiserver reports a
 * JSON patch that does not apply. Upstream drops the underlying message; we keep it as a cause
 * (`UnexpectedServerResponse`) so it is not lost, and leave code, reason and message as upstream.
 */
export function patchRejected(detail: string): StatusError {
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message: detail }],
  });
}

/** 413: the JSON patch operation limit. */
export function tooManyOperations(max: number, got: number): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${max}, got ${got}`);
}

/**
 * 500 with an empty reason: what the apiserver sends for a plain Go error that was never turned
 * into a Status (most strategic-merge failures). `reason` stays `InternalError` for callers that
 * branch on it; only the wire form carries upstream's empty reason.
 */
export class UnknownServerError extends StatusError {
  constructor(message: string) {
    super(500, 'InternalError', message);
  }

  override toStatus(): Status {
    return { ...super.toStatus(), reason: '' };
  }
}

/**
 * Kubernetes `Status` errors. Every API error leaves the server as one of these, with
 * Kubernetes' reason, code and wording (k8s.io/apimachinery/pkg/api/errors).
 */

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason | '';
  details?: StatusDetails;
  code: number;
}

/** A thrown API error; the apiserver turns it into a `Status` body with `code` as the HTTP status. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'StatusError';
  }

  toStatus(): Status {
    const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) status.details = this.details;
    return status;
  }
}

export function isStatusError(err: unknown, code?: number): err is StatusError {
  return err instanceof StatusError && (code === undefined || err.code === code);
}

/** `pods "web"` or `deployments.apps "web"`: how Kubernetes names a resource in messages. */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export function notFound(resource: string, group: string, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResource(resource, group)} "${name}" not found`, { name, group: group || undefined, kind: resource });
}

export function alreadyExists(resource: string, group: string, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedResource(resource, group)} "${name}" already exists`, { name, group: group || undefined, kind: resource });
}

export function conflict(resource: string, group: string, name: string, why: string): StatusError {
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": ${why}`, {
    name,
    group: group || undefined,
    kind: resource,
  });
}

/** The optimistic-concurrency failure, worded as Kubernetes words it. */
export function staleResourceVersion(resource: string, group: string, name: string): StatusError {
  return conflict(resource, group, name, 'the object has been modified; please apply your changes to the latest version and try again');
}

export function gone(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function forbidden(resource: string, group: string, name: string, why: string): StatusError {
  const subject = name ? `${qualifiedResource(resource, group)} "${name}"` : qualifiedResource(resource, group);
  return new StatusError(403, 'Forbidden', `${subject} is forbidden: ${why}`, { name: name || undefined, group: group || undefined, kind: resource });
}

export function methodNotAllowed(): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized');
}

export function internalError(err: unknown): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`);
}

export interface FieldError {
  /** `spec.replicas`, `metadata.name`, `spec.containers[0].image`. */
  field: string;
  /** Kubernetes' cause type: `FieldValueRequired`, `FieldValueInvalid`, `FieldValueNotSupported`, `FieldValueDuplicate`, `FieldValueForbidden`, `FieldValueTooLong`. */
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTypeInvalid';
  /** The complete detail text, e.g. `Required value` or `Invalid value: -1: must be greater than or equal to 0`. */
  detail: string;
}

/** 422 Invalid: `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
export function invalid(kind: string, group: string, name: string, errors: FieldError[]): StatusError {
  const subject = `${group ? `${kind}.${group}` : kind} "${name}"`;
  const list = errors.map((e) => `${e.field}: ${e.detail}`);
  const message = `${subject} is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`;
  return new StatusError(422, 'Invalid', message, {
    name,
    group: group || undefined,
    kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.detail, field: e.field })),
  });
}

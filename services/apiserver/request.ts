import type { Request } from 'express';
import { lookupServed } from '../../shared/api/registry';
import type { ResourceInfo } from '../../shared/api/resource';
import { StatusError } from '../../shared/api/status';

/**
 * A Kubernetes API path taken apart, as the apiserver's RequestInfoFactory does:
 * `/api/v1/namespaces/{ns}/{resource}/{name}/{subresource}`, `/apis/{group}/{version}/…`,
 * cluster-scoped `/{resource}/{name}`, and the legacy `/watch/` prefix.
 */
export interface RequestInfo {
  group: string;
  version: string;
  /** Set when the path names one; undefined for a group-version discovery request. */
  resource?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** True for `/watch/` paths and `?watch=true|1`. */
  watch: boolean;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseApiPath(path: string, query: Request['query']): RequestInfo | undefined {
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  let group = '';
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return undefined;
  const watchParam = String(query.watch ?? '');
  let watch = watchParam === 'true' || watchParam === '1';
  if (rest[0] === 'watch') {
    watch = true;
    rest = rest.slice(1);
  }
  const info: RequestInfo = { group, version, watch };
  if (rest.length === 0) return info;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]))) {
    info.namespace = rest[1];
    rest = rest.slice(2);
  }
  [info.resource, info.name, info.subresource] = rest;
  if (rest.length > 3) return undefined;
  return info;
}

export function resourceInfoFor(req: RequestInfo): ResourceInfo {
  const info = req.resource ? lookupServed(req.group, req.version, req.resource) : undefined;
  if (!info) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
  if (req.subresource && !info.subresources.includes(req.subresource)) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
  return info;
}

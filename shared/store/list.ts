import type { Redis } from 'ioredis';
import { parseFieldRequirements, parseFieldSelector, parseLabelSelector } from '../api/selector';
import { badRequest } from '../api/status';
import type { KubeObject } from '../api/types';
import type { StoreKeys } from './keys';

export interface ListOptions {
  /** Only this namespace; all namespaces when undefined. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; 0 or undefined lists everything. */
  limit?: number;
  /** Token from a previous page's `continue`. */
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  /** The revision the list is consistent with: a watch from it sees every later change. */
  resourceVersion: string;
  /** Set when more items remain; pass it back as `continue`. */
  continue?: string;
}

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

const CHUNK = 500;

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.start !== 'string' || typeof parsed.rv !== 'number') throw new Error('bad token');
    return parsed;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

function encodeContinue(rv: number, lastKey: string): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** The smallest index that holds every candidate: pods of a node, a namespace, or the whole resource. */
function indexFor(keys: StoreKeys, resource: string, opts: ListOptions): string {
  if (resource === 'pods') {
    const node = parseFieldRequirements(opts.fieldSelector).find((r) => r.path === 'spec.nodeName' && !r.negate && r.value !== '');
    if (node) return keys.podsOnNode(node.value);
  }
  return opts.namespace ? keys.namespace(resource, opts.namespace) : keys.all(resource);
}

/**
 * Lists objects in key order. The revision is read together with the first page of keys, so
 * a watch from it misses nothing; objects read later may be newer, which a watcher tolerates.
 */
export async function listObjects(redis: Redis, keys: StoreKeys, resource: string, opts: ListOptions): Promise<ListResult> {
  const labelMatch = parseLabelSelector(opts.labelSelector);
  const fieldMatch = parseFieldSelector(opts.fieldSelector);
  const index = indexFor(keys, resource, opts);
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  const token = opts.continue ? decodeContinue(opts.continue) : undefined;
  let start = token ? `[${token.start}` : '-';
  let revision = token?.rv;
  const items: KubeObject[] = [];
  let lastKey = '';
  for (;;) {
    const want = Math.min(CHUNK, Number.isFinite(limit) ? Math.max(limit - items.length, 1) : CHUNK);
    const [[, revRaw], [, batch]] = (await redis.multi().get(keys.revision).zrangebylex(index, start, '+', 'LIMIT', 0, want).exec()) as [[null, string | null], [null, string[]]];
    revision ??= Number(revRaw ?? 0);
    if (batch.length === 0) break;
    const pipeline = redis.pipeline();
    for (const k of batch) pipeline.hget(keys.object(k), 'o');
    const jsons = (await pipeline.exec()) ?? [];
    for (let i = 0; i < batch.length; i++) {
      lastKey = batch[i];
      const json = jsons[i]?.[1] as string | null;
      if (!json) continue;
      const obj = JSON.parse(json) as KubeObject;
      if (labelMatch(obj) && fieldMatch(obj)) items.push(obj);
      if (items.length >= limit) break;
    }
    if (items.length >= limit) {
      const more = await redis.zrangebylex(index, `(${lastKey}`, '+', 'LIMIT', 0, 1);
      return { items, resourceVersion: String(revision), continue: more.length ? encodeContinue(revision, lastKey) : undefined };
    }
    if (batch.length < want) break;
    start = `(${lastKey}`;
  }
  return { items, resourceVersion: String(revision ?? 0) };
}

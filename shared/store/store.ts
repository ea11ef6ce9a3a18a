import type { Span } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import type { ResourceInfo } from '../api/resource';
import { alreadyExists, conflict, invalid, notFound, StatusError, staleResourceVersion } from '../api/status';
import { objectKey, type KubeObject, type ObjectKey } from '../api/types';
import { currentTraceparent } from '../tracing/propagation';
import { objectAttributes, withSpan } from '../tracing/tracer';
import { indexDelta, indexKeys, serializedSize, splitAtResourceVersion } from './codec';
import { serviceNetwork, type ServiceNetworkOptions } from '../net/service-network';
import { serviceAllocator } from './allocators/service';
import { readChanges, type ChangeEvent } from './changelog';
import { freeValues, type Allocator, type Claim } from './claims';
import { StoreKeys } from './keys';
import { listObjects, type ListOptions, type ListResult } from './list';
import { deletionDue, prepareCreate, prepareUpdate, unchanged, type UpdateTarget } from './prepare';
import { PUT_SCRIPT } from './scripts/put';
import { REMOVE_SCRIPT } from './scripts/remove';
import { rfc3339 } from '../api/time';

export interface StoreOptions {
  /** Key prefix; a hash tag such as `{kubeq}`. */
  prefix: string;
  /** Resolves a resource name (`pods`) to its strategy; undefined for resources the server does not serve. */
  resources: (resource: string) => ResourceInfo | undefined;
  /** Change-log entries kept (approximately). Default 50,000. */
  logMaxLen?: number;
  /** Largest serialized object accepted, in bytes. Default 1.5 MiB (etcd's request limit). */
  maxObjectBytes?: number;
  /** The cluster clock. Default wall time. */
  now?: () => Date;
  /** Client-side rate limit on writes (a TokenBucket: kube-controller-manager's --kube-api-qps). Default none. */
  writeLimiter?: { take(): Promise<void> };
  /** Ranges Services are allocated from (service CIDR, NodePorts, load-balancer pool). Default upstream's. */
  serviceNetwork?: ServiceNetworkOptions;
}

/** Options of every write. */
export interface WriteOptions {
  /** Run every check (defaults, validation, preconditions, conflicts) and answer what would be stored, without writing (`dryRun=All`). */
  dryRun?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  /** Seconds before the object goes; default from the kind (pods on a node: their terminationGracePeriodSeconds), else 0. */
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  /** Background (default), Foreground (adds the foregroundDeletion finalizer) or Orphan (adds the orphan finalizer). */
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

export interface DeleteResult {
  object: KubeObject;
  /** True when the object is gone; false when it is only marked (finalizers or a grace period hold it). */
  deleted: boolean;
}

/** A mutation for `guaranteedUpdate`: return the wanted object, or undefined to leave it as it is. */
export type Mutation = (current: KubeObject) => KubeObject | undefined;

type ScriptReply = [number, string | number, (string | number)?];

/** What one write takes and releases in claim pools. */
interface ClaimDelta {
  take: Claim[];
  release: Claim[];
}

const NO_CLAIMS: ClaimDelta = { take: [], release: [] };

const MAX_UPDATE_ATTEMPTS = 32;

/**
 * The only code that writes objects. Every write is one atomic Redis script that checks the
 * resourceVersion, takes the next global revision, writes the object and its indexes and appends
 * the change (with the write's traceparent) to the change log.
 */
export class Store {
  readonly keys: StoreKeys;
  private readonly logMaxLen: number;
  private readonly maxObjectBytes: number;
  private readonly now: () => Date;
  /** Allocators by resource: the values their objects hold exclusively (Services: ClusterIPs, NodePorts, load-balancer IPs). */
  private readonly allocators: Record<string, Allocator>;

  constructor(
    readonly redis: Redis,
    private readonly opts: StoreOptions,
  ) {
    this.keys = new StoreKeys(opts.prefix);
    this.logMaxLen = opts.logMaxLen ?? 50_000;
    this.maxObjectBytes = opts.maxObjectBytes ?? 1_572_864;
    this.now = opts.now ?? (() => new Date());
    this.allocators = { services: serviceAllocator(serviceNetwork(opts.serviceNetwork)) };
    if (!(redis as any).kubeqPut) {
      redis.defineCommand('kubeqPut', { lua: PUT_SCRIPT });
      redis.defineCommand('kubeqRemove', { lua: REMOVE_SCRIPT });
    }
  }

  info(resource: string): ResourceInfo {
    const info = this.opts.resources(resource);
    if (!info) throw new StatusError(404, 'NotFound', `the server could not find the requested resource (${resource})`);
    return info;
  }

  async revision(): Promise<number> {
    return Number((await this.redis.get(this.keys.revision)) ?? 0);
  }

  async get(resource: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const json = await this.redis.hget(this.keys.object(objectKey(resource, namespace, name)), 'o');
    return json ? (JSON.parse(json) as KubeObject) : undefined;
  }

  async getOrThrow(resource: string, namespace: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.get(resource, namespace, name);
    if (!obj) throw notFound(resource, this.info(resource).group, name);
    return obj;
  }

  list(resource: string, opts: ListOptions = {}): Promise<ListResult> {
    return listObjects(this.redis, this.keys, resource, opts);
  }

  /** Changes after `revision`, oldest first; 410 Gone when the log no longer holds them all. */
  changesSince(revision: number, count?: number): Promise<ChangeEvent[]> {
    return readChanges(this.redis, this.keys, revision, count);
  }

  async create(resource: string, obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    const info = this.info(resource);
    return this.traced('store create', resource, obj, async (span) => {
      for (let attempt = 0; ; attempt++) {
        const next = prepareCreate(info, structuredClone(obj), this.now());
        this.checkSize(next);
        const key = this.keyOf(resource, next);
        span.setAttribute('kubeq.object_key', key);
        const claims = await this.allocate(info, key, next, undefined);
        if (opts.dryRun) {
          if (await this.redis.exists(this.keys.object(key))) throw alreadyExists(resource, info.group, next.metadata.name ?? '');
          await this.checkClaims(info, key, next, claims);
          return next;
        }
        const reply = await this.put(key, next, '', 'ADDED', [], indexKeys(this.keys, resource, next), claims);
        if (reply[0] === 1) return this.stamped(next, reply[1], span);
        if (reply[1] === 'claimed' && this.retryClaim(info, next, claims, reply, attempt)) continue;
        if (!obj.metadata?.name && obj.metadata?.generateName && attempt < 8) continue;
        throw alreadyExists(resource, info.group, next.metadata.name ?? '');
      }
    });
  }

  /**
   * Replaces an object. With `metadata.resourceVersion` set the write is conditional on it
   * (409 Conflict when stale); without it the write goes on top of whatever is stored.
   */
  update(resource: string, obj: KubeObject, target: UpdateTarget = 'main', opts: WriteOptions = {}): Promise<KubeObject> {
    const wanted = obj.metadata?.resourceVersion;
    const name = obj.metadata?.name ?? '';
    return this.guaranteedUpdate(resource, obj.metadata?.namespace, name, (current) => {
      if (wanted && wanted !== current.metadata.resourceVersion) throw staleResourceVersion(resource, this.info(resource).group, name);
      return obj;
    }, target, opts);
  }

  /**
   * Read, mutate, compare-and-swap, and retry on conflict (the apiserver's GuaranteedUpdate).
   * The mutation runs on a private copy of the current object; it may throw to abort.
   * An update that changes nothing writes nothing and returns the stored object.
   * An update that leaves a deleted object without finalizers completes its deletion.
   */
  async guaranteedUpdate(resource: string, namespace: string | undefined, name: string, mutate: Mutation, target: UpdateTarget = 'main', opts: WriteOptions = {}): Promise<KubeObject> {
    const info = this.info(resource);
    const key = objectKey(resource, info.namespaced ? namespace : undefined, name);
    return this.traced(target === 'status' ? 'store update status' : 'store update', resource, { metadata: { name, namespace: info.namespaced ? namespace : undefined } } as KubeObject, async (span) => {
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
        const current = await this.getOrThrow(resource, info.namespaced ? namespace : undefined, name);
        const wanted = mutate(structuredClone(current));
        if (!wanted) return current;
        const next = prepareUpdate(info, structuredClone(wanted), current, target);
        next.metadata.resourceVersion = current.metadata.resourceVersion;
        const claims = deletionDue(info, next) ? NO_CLAIMS : await this.allocate(info, key, next, current);
        if (unchanged(next, current)) return current;
        this.checkSize(next);
        if (opts.dryRun) {
          await this.checkClaims(info, key, next, claims);
          return next;
        }
        const rv = current.metadata.resourceVersion ?? '';
        if (deletionDue(info, next)) {
          const reply = await this.remove(key, next, rv, indexKeys(this.keys, resource, current), this.held(info, current));
          if (reply[0] === 1) return this.stamped(next, reply[1], span);
        } else {
          const delta = indexDelta(indexKeys(this.keys, resource, current), indexKeys(this.keys, resource, next));
          const reply = await this.put(key, next, rv, 'MODIFIED', delta.leave, delta.join, claims);
          if (reply[0] === 1) return this.stamped(next, reply[1], span);
          if (reply[1] === 'notfound') throw notFound(resource, info.group, name);
          if (reply[1] === 'claimed') this.retryClaim(info, next, claims, reply, attempt);
        }
      }
      throw conflict(resource, info.group, name, 'too many concurrent updates; please try again');
    });
  }

  /**
   * Deletes an object, or marks it (deletionTimestamp) while finalizers or a grace period hold it.
   * 404 when absent; 409 when a precondition fails.
   */
  async delete(resource: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
    const info = this.info(resource);
    const ns = info.namespaced ? namespace : undefined;
    const key = objectKey(resource, ns, name);
    return this.traced('store delete', resource, { metadata: { name, namespace: ns } } as KubeObject, async (span) => {
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
        const current = await this.getOrThrow(resource, ns, name);
        this.checkPreconditions(info, current, opts);
        const grace = opts.gracePeriodSeconds ?? info.defaultGracePeriodSeconds?.(current) ?? 0;
        const marked = this.markForDeletion(current, grace, opts.propagationPolicy);
        info.defaults(marked);
        if (opts.dryRun) return { object: marked, deleted: deletionDue(info, marked) };
        const rv = current.metadata.resourceVersion ?? '';
        if (deletionDue(info, marked)) {
          const reply = await this.remove(key, marked, rv, indexKeys(this.keys, resource, current), this.held(info, current));
          if (reply[0] === 1) return { object: this.stamped(marked, reply[1], span), deleted: true };
        } else {
          if (unchanged(marked, current)) return { object: current, deleted: false };
          const reply = await this.put(key, marked, rv, 'MODIFIED', [], [], NO_CLAIMS);
          if (reply[0] === 1) return { object: this.stamped(marked, reply[1], span), deleted: false };
        }
      }
      throw conflict(resource, info.group, name, 'too many concurrent updates; please try again');
    });
  }

  private markForDeletion(current: KubeObject, grace: number, policy: DeleteOptions['propagationPolicy']): KubeObject {
    const obj = structuredClone(current);
    const meta = obj.metadata;
    const finalizers = new Set(meta.finalizers ?? []);
    if (!meta.deletionTimestamp) {
      if (policy === 'Orphan') finalizers.add('orphan');
      if (policy === 'Foreground') finalizers.add('foregroundDeletion');
    }
    if (finalizers.size) meta.finalizers = [...finalizers];
    const due = rfc3339(this.now().getTime() + grace * 1000);
    if (!meta.deletionTimestamp) {
      meta.deletionTimestamp = due;
      meta.deletionGracePeriodSeconds = grace;
    } else if (grace < (meta.deletionGracePeriodSeconds ?? 0)) {
      meta.deletionTimestamp = due;
      meta.deletionGracePeriodSeconds = grace;
    }
    return obj;
  }

  private checkPreconditions(info: ResourceInfo, current: KubeObject, opts: DeleteOptions): void {
    const p = opts.preconditions;
    const name = current.metadata.name ?? '';
    if (p?.uid && p.uid !== current.metadata.uid) {
      throw conflict(info.resource, info.group, name, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (p?.resourceVersion && p.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(info.resource, info.group, name, `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    }
  }

  private keyOf(resource: string, obj: KubeObject): ObjectKey {
    return objectKey(resource, obj.metadata.namespace, obj.metadata.name ?? '');
  }

  private checkSize(obj: KubeObject): void {
    const size = serializedSize(obj);
    if (size > this.maxObjectBytes) {
      throw new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: object is ${size} bytes, limit is ${this.maxObjectBytes}`);
    }
  }

  private async put(key: ObjectKey, obj: KubeObject, expectedRv: string, type: 'ADDED' | 'MODIFIED', leave: string[], join: string[], claims: ClaimDelta): Promise<ScriptReply> {
    await this.opts.writeLimiter?.take();
    const [before, after] = splitAtResourceVersion(obj);
    const changed = [...claims.take, ...claims.release];
    const keys = [this.keys.revision, this.keys.object(key), this.keys.log, ...leave, ...join, ...changed.map((c) => this.keys.claimPool(c.pool))];
    const index = leave.length + join.length;
    return (this.redis as any).kubeqPut(keys.length, ...keys, expectedRv, before, after, type, key, currentTraceparent(), this.logMaxLen, leave.length, index, claims.take.length, ...changed.map((c) => c.value));
  }

  private async remove(key: ObjectKey, obj: KubeObject, expectedRv: string, leave: string[], release: Claim[]): Promise<ScriptReply> {
    await this.opts.writeLimiter?.take();
    const [before, after] = splitAtResourceVersion(obj);
    const keys = [this.keys.revision, this.keys.object(key), this.keys.log, ...leave, ...release.map((c) => this.keys.claimPool(c.pool))];
    return (this.redis as any).kubeqRemove(keys.length, ...keys, expectedRv, before, after, key, currentTraceparent(), this.logMaxLen, leave.length, ...release.map((c) => c.value));
  }

  /** The claims a stored object holds; none for kinds without an allocator. */
  private held(info: ResourceInfo, obj: KubeObject): Claim[] {
    return this.allocators[info.resource]?.held(obj) ?? [];
  }

  /**
   * Runs the kind's allocator on `next` (in place) and works out what the write takes (claims
   * `next` holds that `current` did not) and releases (the other way round).
   */
  private async allocate(info: ResourceInfo, key: ObjectKey, next: KubeObject, current: KubeObject | undefined): Promise<ClaimDelta> {
    const allocator = this.allocators[info.resource];
    if (!allocator) return NO_CLAIMS;
    const requested = await allocator.assign(next, current, freeValues(this.redis, this.keys, key));
    const id = (c: Claim) => `${c.pool}/${c.value}`;
    const errors = new Map(requested.map((c) => [id(c), c.takenError]));
    const after = allocator.held(next).map((c) => ({ ...c, takenError: errors.get(id(c)) }));
    const before = current ? allocator.held(current) : [];
    const had = new Set(before.map(id));
    const keeps = new Set(after.map(id));
    return { take: after.filter((c) => !had.has(id(c))), release: before.filter((c) => !keeps.has(id(c))) };
  }

  /** For a dry run: what the write script would refuse, a requested value another object holds. */
  private async checkClaims(info: ResourceInfo, key: ObjectKey, obj: KubeObject, claims: ClaimDelta): Promise<void> {
    for (const claim of claims.take) {
      const owner = await this.redis.hget(this.keys.claimPool(claim.pool), claim.value);
      if (claim.takenError && owner !== null && owner !== key) throw invalid(info.kind, info.group, obj.metadata.name ?? '', [claim.takenError]);
    }
  }

  /** After a `claimed` reply: a value the client asked for answers 422 (Kubernetes' wording); one the allocator picked is picked again. */
  private retryClaim(info: ResourceInfo, obj: KubeObject, claims: ClaimDelta, reply: ScriptReply, attempt: number): true {
    const claim = claims.take[Number(reply[2])];
    if (claim?.takenError) throw invalid(info.kind, info.group, obj.metadata.name ?? '', [claim.takenError]);
    if (attempt >= MAX_UPDATE_ATTEMPTS - 1) throw conflict(info.resource, info.group, obj.metadata.name ?? '', 'allocation conflicts with concurrent writes; please try again');
    return true;
  }

  private stamped(obj: KubeObject, revision: string | number, span: Span): KubeObject {
    obj.metadata.resourceVersion = String(revision);
    span.setAttribute('kubeq.resource_version', String(revision));
    return obj;
  }

  private traced<T>(name: string, resource: string, obj: KubeObject, fn: (span: Span) => Promise<T>): Promise<T> {
    const meta = obj.metadata ?? {};
    return withSpan(name, { attributes: meta.name ? objectAttributes(resource, meta.namespace, meta.name) : { 'kubeq.resource': resource } }, fn);
  }
}

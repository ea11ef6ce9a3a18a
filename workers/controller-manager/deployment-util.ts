/**
 * What the Deployment controller computes about ReplicaSets and Deployments (upstream's
 * pkg/controller/deployment/util/deployment_util.go): the template hash, the annotations,
 * the surge and unavailability bounds, and the counts summed over ReplicaSets.
 */
import type { KubeObject } from '../../shared/api/types';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** The label that tells the ReplicaSets (and pods) of one Deployment apart (DefaultDeploymentUniqueLabelKey). */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** Longest revision-history annotation kept (upstream's maxRevHistoryLengthInChars). */
const MAX_REV_HISTORY_CHARS = 2000;

/** Annotations of the Deployment never copied onto its ReplicaSets (annotationsToSkip). */
const SKIPPED_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each byte mapped onto an alphabet without vowels and look-alikes. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += SAFE_ALPHANUMS[b % SAFE_ALPHANUMS.length];
  return out;
}

/**
 * JSON with object keys sorted, so equal templates print alike whatever order their keys came in.
 * A property that is null counts as absent, as a Go zero value does: `kubectl rollout undo` sends
 * the old template with `metadata.creationTimestamp: null`, which must still match its ReplicaSet.
 */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined && x !== null).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * Equal as stored (canonical JSON: key order and undefined or null properties do not count). Used
 * instead of isDeepStrictEqual, which also compares prototypes, and structuredClone's objects
 * can come from another realm than JSON.parse's (as under jest).
 */
export const sameJson = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** FNV-1a, 32 bits, over `bytes` starting from `hash`. */
export function fnv32a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * controller.ComputeHash: FNV-32a of the template, then of the collision count as 8
 * little-endian bytes (the low 4 carry the count, as upstream writes them), the decimal sum
 * safe-encoded. Upstream hashes spew's dump of the Go struct; kubeq hashes canonical JSON, so
 * the algorithm matches but the values differ from a real cluster's.
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJson(template ?? {}), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE(collisionCount >>> 0, 0);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}

/** The template without the pod-template-hash label. */
function withoutHash(template: any): string {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) {
    delete t.metadata.labels[POD_TEMPLATE_HASH_LABEL];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  return canonicalJson(t);
}

/** EqualIgnoreHash: the two templates are the same but for the pod-template-hash label. */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  return withoutHash(a) === withoutHash(b);
}

export const replicasOf = (o: KubeObject | undefined): number => o?.spec?.replicas ?? 0;
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Sum of spec.replicas (GetReplicaCountForReplicaSets). */
export const specReplicas = (rss: (KubeObject | undefined)[]): number => rss.reduce((s, rs) => s + replicasOf(rs), 0);
/** Sum of status.replicas (GetActualReplicaCountForReplicaSets). */
export const actualReplicas = (rss: (KubeObject | undefined)[]): number => rss.reduce((s, rs) => s + n(rs?.status?.replicas), 0);
/** Sum of status.readyReplicas. */
export const readyReplicas = (rss: (KubeObject | undefined)[]): number => rss.reduce((s, rs) => s + n(rs?.status?.readyReplicas), 0);
/** Sum of status.availableReplicas. */
export const availableReplicas = (rss: (KubeObject | undefined)[]): number => rss.reduce((s, rs) => s + n(rs?.status?.availableReplicas), 0);

/** FilterActiveReplicaSets: present with spec.replicas > 0. */
export const activeReplicaSets = (rss: (KubeObject | undefined)[]): KubeObject[] => rss.filter((rs): rs is KubeObject => !!rs && replicasOf(rs) > 0);

/** intstr.GetScaledValueFromIntOrPercent: `N%` of `total`, rounded up or down; an int as it is. */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v ?? 0));
  if (!m) return Number.isFinite(Number(v)) ? Number(v) : 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export const isRollingUpdate = (d: KubeObject): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** ResolveFenceposts: surge rounds up, unavailable down; both 0 makes unavailable 1. */
function fenceposts(d: KubeObject): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const desired = replicasOf(d);
  const surge = scaledValue(ru.maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(ru.maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** MaxSurge: pods above spec.replicas a rolling update may run; 0 for Recreate. */
export function maxSurge(d: KubeObject): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

/** MaxUnavailable: pods below spec.replicas a rolling update may go; 0 for Recreate or 0 replicas; at most spec.replicas. */
export function maxUnavailable(d: KubeObject): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicasOf(d));
}

/** The revision annotation as a number; 0 when absent or unparsable. */
export function revisionOf(obj: KubeObject | undefined): number {
  const v = Number(obj?.metadata.annotations?.[REVISION_ANNOTATION] ?? '0');
  return Number.isInteger(v) ? v : 0;
}

/** MaxRevision over ReplicaSets. */
export const maxRevision = (rss: KubeObject[]): number => rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

/** SetReplicasAnnotations: desired and max replicas on `rs`; true when one changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  const changed = a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
  a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
  a[MAX_REPLICAS_ANNOTATION] = String(max);
  return changed;
}

/** The desired-replicas annotation; undefined when absent or unparsable. */
export function desiredReplicasAnnotation(rs: KubeObject): number | undefined {
  const v = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** The max-replicas annotation; undefined when absent or unparsable. */
export function maxReplicasAnnotation(rs: KubeObject): number | undefined {
  const v = rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision to
 * `newRevision` (keeping the replaced one in revision-history: a rollback), and on a ReplicaSet
 * about to be created (`exists` false) the replicas annotations. True when something changed.
 */
export function setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: number, exists: boolean): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIPPED_ANNOTATIONS.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const old = a[REVISION_ANNOTATION];
  if (old !== undefined && !/^\d+$/.test(old)) return changed;
  const oldRevision = old === undefined ? 0 : Number(old);
  if (oldRevision < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (old !== undefined) appendRevisionHistory(a, old);
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

function appendRevisionHistory(a: Record<string, string>, old: string): void {
  const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
  if (!history) {
    a[REVISION_HISTORY_ANNOTATION] = old;
    return;
  }
  const revisions = history.split(',');
  let total = history.length + old.length + 1;
  let start = 0;
  while (total > MAX_REV_HISTORY_CHARS && start < revisions.length) total -= revisions[start++].length + 1;
  if (total <= MAX_REV_HISTORY_CHARS) a[REVISION_HISTORY_ANNOTATION] = [...revisions.slice(start), old].join(',');
}

const created = (o: KubeObject): number => new Date(o.metadata.creationTimestamp ?? 0).getTime();
const byName = (a: KubeObject, b: KubeObject): number => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0);

/** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export const byCreation = (a: KubeObject, b: KubeObject): number => created(a) - created(b) || byName(a, b);
/** ReplicaSetsByRevision: lowest revision first, then oldest. */
export const byRevision = (a: KubeObject, b: KubeObject): number => revisionOf(a) - revisionOf(b) || byCreation(a, b);
/** ReplicaSetsBySizeNewer: largest first, then newest. */
export const bySizeNewer = (a: KubeObject, b: KubeObject): number => replicasOf(b) - replicasOf(a) || byCreation(b, a);
/** ReplicaSetsBySizeOlder: largest first, then oldest. */
export const bySizeOlder = (a: KubeObject, b: KubeObject): number => replicasOf(b) - replicasOf(a) || byCreation(a, b);

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's but for the hash label. */
export function findNewReplicaSet(d: KubeObject, rss: KubeObject[]): KubeObject | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

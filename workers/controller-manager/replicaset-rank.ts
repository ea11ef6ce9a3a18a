/**
 * Which pods a ReplicaSet deletes first when it scales down: upstream's getPodsToDelete, sorting
 * by controller.ActivePodsWithRanks with PodDeletionCost and LogarithmicScaleDown on (their
 * defaults since 1.22). The first pods of the order go first.
 */
import type { KubeObject } from '../../shared/api/types';
import { isPodActive, isPodReady, podReadyTime } from './replicaset-pods';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

interface Ranked {
  pod: KubeObject;
  /** Active related pods on the same node (more: doubled up, goes first). */
  rank: number;
}

/**
 * The `diff` pods of `pods` to delete. `related` are the pods of this ReplicaSet and of its
 * siblings (same controller), whose colocation ranks pods on crowded nodes first.
 */
export function podsToDelete(pods: KubeObject[], related: KubeObject[], diff: number, now: Date): KubeObject[] {
  if (diff >= pods.length) return pods.slice();
  const onNode = new Map<string, number>();
  for (const p of related) if (isPodActive(p)) onNode.set(p.spec?.nodeName ?? '', (onNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
  const ranked: Ranked[] = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((a, b) => comparePods(a, b, now));
  return ranked.slice(0, diff).map((r) => r.pod);
}

/** Negative when `a` should be deleted before `b` (ActivePodsWithRanks.Less). */
export function comparePods(a: Ranked, b: Ranked, now: Date): number {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  // 1. unassigned < assigned
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  // 2. Pending < Unknown < Running
  const oa = PHASE_ORDINAL[pa.status?.phase ?? ''] ?? 0;
  const ob = PHASE_ORDINAL[pb.status?.phase ?? ''] ?? 0;
  if (oa !== ob) return oa - ob;
  // 3. not ready < ready
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return ra ? 1 : -1;
  // 4. lower pod-deletion-cost < higher
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca < cb ? -1 : 1;
  // 5. doubled up < not doubled up
  if (a.rank !== b.rank) return b.rank - a.rank;
  // 6. both ready: ready for less time < more time (log2 buckets)
  if (ra && rb) {
    const byReady = compareTimes(podReadyTime(pa), podReadyTime(pb), pa, pb, now);
    if (byReady !== 0) return byReady;
  }
  // 7. more container restarts < fewer
  const [ga, sa] = maxRestarts(pa);
  const [gb, sb] = maxRestarts(pb);
  if (ga !== gb) return gb - ga;
  if (sa !== sb) return sb - sa;
  // 8. empty creation time < newer < older (log2 buckets)
  const ta = pa.metadata.creationTimestamp ? new Date(pa.metadata.creationTimestamp) : undefined;
  const tb = pb.metadata.creationTimestamp ? new Date(pb.metadata.creationTimestamp) : undefined;
  return compareTimes(ta, tb, pa, pb, now);
}

/** The annotation as an int32; 0 when absent or malformed (helper.GetDeletionCostFromPodAnnotations). */
function deletionCost(pod: KubeObject): number {
  const raw = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (raw === undefined || !/^[+-]?\d+$/.test(raw.trim())) return 0;
  const n = Number(raw.trim());
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** Newer first; an unknown time sorts first (afterOrZero); same log2 bucket of age: by uid. */
function compareTimes(ta: Date | undefined, tb: Date | undefined, pa: KubeObject, pb: KubeObject, now: Date): number {
  const ma = ta?.getTime();
  const mb = tb?.getTime();
  if (ma === mb) return 0;
  if (ma === undefined) return -1;
  if (mb === undefined) return 1;
  const diff = logRank(now.getTime() - ma) - logRank(now.getTime() - mb);
  if (diff !== 0) return diff;
  const ua = pa.metadata.uid ?? '';
  const ub = pb.metadata.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/** floor(log2(age in ns)), −1 for no age (logarithmicRankDiff). */
function logRank(ageMs: number): number {
  return ageMs > 0 ? Math.floor(Math.log2(ageMs * 1e6)) : -1;
}

/** Highest restart count of regular containers, and of restartable init containers (sidecars). */
function maxRestarts(pod: KubeObject): [number, number] {
  const regular = Math.max(0, ...((pod.status?.containerStatuses ?? []) as { restartCount?: number }[]).map((s) => s.restartCount ?? 0));
  const sidecarNames = new Set(((pod.spec?.initContainers ?? []) as { name: string; restartPolicy?: string }[]).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const inits = (pod.status?.initContainerStatuses ?? []) as { name: string; restartCount?: number }[];
  const sidecar = Math.max(0, ...inits.filter((s) => sidecarNames.has(s.name)).map((s) => s.restartCount ?? 0));
  return [regular, sidecar];
}

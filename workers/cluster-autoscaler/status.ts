/**
 * The `kube-system/cluster-autoscaler-status` ConfigMap: its `status` key in upstream's YAML
 * shape (time, autoscalerStatus, clusterWide health/scaleUp/scaleDown, one entry per node group
 * with its node counts, cloudProviderTarget, minSize, maxSize), and the
 * `cluster-autoscaler.kubernetes.io/last-updated` annotation. Pure.
 */
import { stringify } from 'yaml';
import { rfc3339 } from '../../shared/api/time';

export const STATUS_CONFIGMAP = 'cluster-autoscaler-status';
export const LAST_UPDATED_ANNOTATION = 'cluster-autoscaler.kubernetes.io/last-updated';

export type ScaleUpStatus = 'NoActivity' | 'InProgress' | 'Backoff';
export type ScaleDownStatus = 'NoCandidates' | 'CandidatesPresent';

export interface NodeCounts {
  /** Nodes with a Node object: total, ready, unready (not Ready), beingDeleted (tainted ToBeDeleted). */
  registered: { total: number; ready: number; notStarted: number; unready: number; beingDeleted: number };
  /** Machines the cloud has that have not registered a Node yet. */
  unregistered: number;
  longUnregistered: number;
}

export interface GroupStatus {
  name: string;
  counts: NodeCounts;
  target: number;
  min: number;
  max: number;
  scaleUp: ScaleUpStatus;
  scaleDown: ScaleDownStatus;
  candidates: number;
}

export interface ClusterStatus {
  time: Date;
  counts: NodeCounts;
  scaleUp: ScaleUpStatus;
  scaleDown: ScaleDownStatus;
  candidates: number;
  groups: GroupStatus[];
}

/** Per condition (`clusterWide.scaleUp`, `nodeGroups[ssd].health`, …), since when it has held its status. */
export type Transitions = Map<string, { status: string; since: Date }>;

/** Go's time.Time String() at UTC, as upstream writes `time`. */
const goTime = (d: Date) => `${d.toISOString().replace('T', ' ').replace('Z', '')} +0000 UTC`;

function condition(key: string, status: string, now: Date, transitions: Transitions, extra: Record<string, unknown> = {}) {
  const prev = transitions.get(key);
  const since = prev && prev.status === status ? prev.since : now;
  transitions.set(key, { status, since });
  return { status, ...extra, lastProbeTime: rfc3339(now), lastTransitionTime: rfc3339(since) };
}

const healthy = (c: NodeCounts) => (c.registered.ready >= c.registered.total - c.registered.beingDeleted ? 'Healthy' : 'Unhealthy');

/** The `status` text. `transitions` carries lastTransitionTime from one write to the next. */
export function statusYaml(s: ClusterStatus, transitions: Transitions): string {
  const now = s.time;
  const doc = {
    time: goTime(now),
    autoscalerStatus: 'Running',
    clusterWide: {
      health: condition('clusterWide.health', healthy(s.counts), now, transitions, { nodeCounts: s.counts }),
      scaleUp: condition('clusterWide.scaleUp', s.scaleUp, now, transitions),
      scaleDown: condition('clusterWide.scaleDown', s.scaleDown, now, transitions, s.candidates ? { candidates: s.candidates } : {}),
    },
    nodeGroups: s.groups.map((g) => ({
      name: g.name,
      health: condition(`${g.name}.health`, healthy(g.counts), now, transitions, { nodeCounts: g.counts, cloudProviderTarget: g.target, minSize: g.min, maxSize: g.max }),
      scaleUp: condition(`${g.name}.scaleUp`, g.scaleUp, now, transitions),
      scaleDown: condition(`${g.name}.scaleDown`, g.scaleDown, now, transitions, g.candidates ? { candidates: g.candidates } : {}),
    })),
  };
  return stringify(doc);
}

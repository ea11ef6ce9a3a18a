/**
 * Builds the status from what the pass saw and writes `kube-system/cluster-autoscaler-status`
 * (status.ts) — created when missing, merged otherwise. Written when something but the probe
 * times changed, and at least once per minute of cluster time, so a fast scan interval does not
 * flood the change log.
 */
import { isStatusError } from '../../shared/api/status';
import type { KubeObject } from '../../shared/api/types';
import type { Machine } from '../../shared/cloudprovider/machines';
import type { Store } from '../../shared/store/store';
import { beingDeleted, isReady, type ScaleDownCandidates } from './scaledown';
import type { AutoscalerSettings } from './settings';
import { LAST_UPDATED_ANNOTATION, STATUS_CONFIGMAP, statusYaml, type ClusterStatus, type NodeCounts, type Transitions } from './status';

const REFRESH_MS = 60_000;

/** What one write leaves for the next. */
export interface StatusInput {
  transitions: Transitions;
  /** The ConfigMap as last written (events about the autoscaler itself are recorded on it). */
  configMap?: KubeObject;
  signature?: string;
  writtenAt?: number;
}

export interface PassResult {
  settings: AutoscalerSettings;
  machines: Machine[];
  nodes: KubeObject[];
  candidates: ScaleDownCandidates;
  inProgress: boolean;
  /** Groups backed off after a failed scale-up. */
  backoff?: ReadonlySet<string>;
  now: Date;
}

function counts(nodes: KubeObject[], machines: Machine[], longAfterMs: number, now: number): NodeCounts {
  const names = new Set(nodes.map((n) => n.metadata.name));
  const waiting = machines.filter((m) => !names.has(m.name));
  const ready = nodes.filter(isReady).length;
  return {
    registered: { total: nodes.length, ready, notStarted: 0, unready: nodes.length - ready, beingDeleted: nodes.filter(beingDeleted).length },
    unregistered: waiting.length,
    longUnregistered: waiting.filter((m) => now - m.requestedAt > longAfterMs).length,
  };
}

export function clusterStatus(r: PassResult, realProvisionMs: (ms: number) => number): ClusterStatus {
  const now = r.now.getTime();
  const long = realProvisionMs(r.settings.maxNodeProvisionTimeMs);
  const unneeded = (group?: string) => r.candidates.unneeded.filter((u) => group === undefined || u.group === group).length;
  return {
    time: r.now,
    counts: counts(r.nodes, r.machines, long, now),
    scaleUp: r.inProgress ? 'InProgress' : 'NoActivity',
    scaleDown: unneeded() ? 'CandidatesPresent' : 'NoCandidates',
    candidates: unneeded(),
    groups: r.settings.nodeGroups.map((g) => {
      const machines = r.machines.filter((m) => m.group === g.name);
      const names = new Set(machines.map((m) => m.name));
      return {
        name: g.name,
        counts: counts(r.nodes.filter((n) => names.has(n.metadata.name!)), machines, long, now),
        target: machines.length,
        min: g.min,
        max: g.max,
        scaleUp: r.backoff?.has(g.name) ? 'Backoff' : machines.some((m) => !r.nodes.some((n) => n.metadata.name === m.name)) ? 'InProgress' : 'NoActivity',
        scaleDown: unneeded(g.name) ? 'CandidatesPresent' : 'NoCandidates',
        candidates: unneeded(g.name),
      };
    }),
  };
}

export async function writeStatus(state: StatusInput, pass: PassResult, store: Store): Promise<void> {
  const scale = (ms: number) => ms / pass.settings.timeScale;
  const status = clusterStatus(pass, scale);
  const signature = JSON.stringify({ ...status, time: undefined });
  const now = pass.now.getTime();
  if (state.configMap && signature === state.signature && now - (state.writtenAt ?? 0) < scale(REFRESH_MS)) return;
  const text = statusYaml(status, state.transitions);
  const stamp = pass.now.toISOString();
  const existing = await store.get('configmaps', 'kube-system', STATUS_CONFIGMAP);
  if (!existing) {
    try {
      state.configMap = await store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: STATUS_CONFIGMAP, namespace: 'kube-system', annotations: { [LAST_UPDATED_ANNOTATION]: stamp } }, data: { status: text } });
    } catch (err) {
      if (!isStatusError(err, 409)) throw err;
      return;
    }
  } else {
    state.configMap = await store.guaranteedUpdate('configmaps', 'kube-system', STATUS_CONFIGMAP, (cm) => ({ ...cm, metadata: { ...cm.metadata, annotations: { ...cm.metadata.annotations, [LAST_UPDATED_ANNOTATION]: stamp } }, data: { ...cm.data, status: text } }));
  }
  state.signature = signature;
  state.writtenAt = now;
}

/**
 * PodDisruptionBudget arithmetic, as kube-controller-manager's disruption controller computes a
 * PDB's status and as the eviction subresource checks it. Pure: callers bring the pods and the
 * scale of their controllers.
 *
 * - expectedPods: with an integer `minAvailable`, the pods the selector matches; otherwise the
 *   sum of their controllers' `spec.replicas` (a pod without a controller counts as one).
 * - desiredHealthy: `minAvailable` (a percentage of expectedPods, rounded up), or expectedPods −
 *   `maxUnavailable` (a percentage rounded up), at least 0; neither set, 0.
 * - currentHealthy: matching pods that are Ready and not being deleted, minus those in
 *   `disruptedPods` (evictions already allowed whose deletion is not yet seen).
 * - disruptionsAllowed: currentHealthy − desiredHealthy, at least 0.
 */
import { selectorMatches } from '../api/validation/labels';
import type { KubeObject } from '../api/types';

/** Upstream's DeletionTimeout: an entry of disruptedPods older than this no longer counts. */
export const DISRUPTED_POD_TIMEOUT_MS = 2 * 60_000;

export interface PdbStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
}

/** The PDBs of the pod's namespace whose non-empty selector matches it. */
export function pdbsForPod(pod: KubeObject, pdbs: readonly KubeObject[]): KubeObject[] {
  return pdbs.filter((pdb) => pdb.metadata.namespace === pod.metadata.namespace && pdb.spec?.selector && selectorMatches(pdb.spec.selector, pod.metadata.labels ?? {}));
}

export function isPodReady(pod: KubeObject): boolean {
  return !pod.metadata.deletionTimestamp && (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

function scaled(value: unknown, total: number): number {
  if (typeof value === 'string' && value.endsWith('%')) return Math.ceil((Number(value.slice(0, -1)) * total) / 100);
  return typeof value === 'number' ? value : 0;
}

/**
 * The status of `pdb` over `pods` (its namespace's pods; those it selects are picked here).
 * `replicasOf(ownerReference, namespace)` gives a controller's spec.replicas (undefined: unknown).
 */
export function pdbStatus(pdb: KubeObject, pods: readonly KubeObject[], replicasOf: (owner: any, namespace: string) => number | undefined, now: Date): PdbStatus {
  const spec = pdb.spec ?? {};
  const selected = pods.filter((p) => p.metadata.namespace === pdb.metadata.namespace && spec.selector && selectorMatches(spec.selector, p.metadata.labels ?? {}));
  let expectedPods = selected.length;
  if (!(typeof spec.minAvailable === 'number')) {
    const seen = new Set<string>();
    expectedPods = 0;
    for (const pod of selected) {
      const owner = (pod.metadata.ownerReferences ?? []).find((o: any) => o.controller);
      if (!owner) expectedPods += 1;
      else if (!seen.has(owner.uid)) {
        seen.add(owner.uid);
        expectedPods += replicasOf(owner, pod.metadata.namespace!) ?? 1;
      }
    }
  }
  let desiredHealthy = 0;
  if (spec.minAvailable !== undefined) desiredHealthy = scaled(spec.minAvailable, expectedPods);
  else if (spec.maxUnavailable !== undefined) desiredHealthy = Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods));
  const names = new Set(selected.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name));
  const disruptedPods: Record<string, string> = {};
  for (const [name, at] of Object.entries((pdb.status?.disruptedPods ?? {}) as Record<string, string>)) {
    if (names.has(name) && now.getTime() - Date.parse(at) < DISRUPTED_POD_TIMEOUT_MS) disruptedPods[name] = at;
  }
  const currentHealthy = selected.filter((p) => isPodReady(p) && !disruptedPods[p.metadata.name!]).length;
  return {
    observedGeneration: pdb.metadata.generation,
    ...(Object.keys(disruptedPods).length ? { disruptedPods } : {}),
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
    currentHealthy,
    desiredHealthy,
    expectedPods,
  };
}

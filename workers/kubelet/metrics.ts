/**
 * The kubelet's resource metrics (what its Summary API gives metrics-server): every
 * `METRICS_RESOLUTION_MS` (metrics-server's --metric-resolution, 15 s, time-scaled) each node
 * samples its running pods' usage (usage.ts) and writes it, with the node's own, for the API
 * server's metrics.k8s.io, with what the simulated loads cost them (shared/load/state). Pods
 * that left the node lose their sample.
 */
import type { Clock } from '../../shared/clock';
import type { Indexer } from '../../shared/informer/indexer';
import { NODE_NAME_INDEX } from '../../shared/informer/indexers';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import { quantityOr, toNumber } from '../../shared/api/quantity';
import type { LoadState } from '../../shared/load/state';
import type { ResourceSamples } from '../../shared/resourcemetrics/samples';
import { nodeUsage, podUsage } from './usage';

export const METRICS_RESOLUTION_MS = 15_000;
/** Queue keys of the sampling loop: `metrics/<node>`. */
export const METRICS_KEY_PREFIX = 'metrics/';

/**
 * Containers found over their memory limit (what the loads' requests in flight add can push
 * them there): `marks` by pod (`<ns>/<name>`) and container, the wall ms it was seen; `wake`
 * reconciles those pods, whose run then ends OOMKilled at that moment (containers.ts).
 */
export interface OverLimit {
  marks: Map<string, Map<string, number>>;
  wake(podKeys: string[]): Promise<void>;
}

export async function sampleNode(node: string, cache: Indexer, samples: ResourceSamples, loads: LoadState, clock: Clock, timeScale: number, written: Map<string, Set<string>>, overLimit?: OverLimit): Promise<ReconcileResult> {
  const now = clock.now().getTime();
  const windowMs = METRICS_RESOLUTION_MS;
  const running = cache.byIndex(NODE_NAME_INDEX, node, 'pods').filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
  const served = await loads.pods(running.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
  const pods = running.map((p) => ({ namespace: p.metadata.namespace!, name: p.metadata.name!, timestamp: now, windowMs, containers: podUsage(p, now, timeScale, served.get(`${p.metadata.namespace}/${p.metadata.name}`)) }));
  const names = new Set(pods.map((p) => `${p.namespace}/${p.name}`));
  const gone = [...(written.get(node) ?? [])].filter((n) => !names.has(n));
  await samples.write({ name: node, timestamp: now, windowMs, ...nodeUsage(pods.map((p) => p.containers)) }, pods, gone);
  if (overLimit) {
    for (const key of gone) overLimit.marks.delete(key);
    const wake: string[] = [];
    running.forEach((p, i) => {
      const key = `${p.metadata.namespace}/${p.metadata.name}`;
      for (const c of pods[i].containers) {
        const spec = (p.spec?.containers ?? []).find((s: { name?: string }) => s.name === c.name);
        const limit = quantityOr(spec?.resources?.limits?.memory, toNumber);
        const startedAt = Date.parse((p.status?.containerStatuses ?? []).find((s: { name?: string }) => s.name === c.name)?.state?.running?.startedAt ?? '');
        const seen = overLimit.marks.get(key)?.get(c.name);
        if (limit === undefined || c.memoryBytes <= limit || (seen !== undefined && seen > startedAt)) continue;
        overLimit.marks.set(key, new Map([...(overLimit.marks.get(key) ?? []), [c.name, now]]));
        wake.push(`pods/${key}`);
      }
    });
    if (wake.length) await overLimit.wake([...new Set(wake)]);
  }
  written.set(node, names);
  return { requeueAfter: clock.scaled(METRICS_RESOLUTION_MS) };
}

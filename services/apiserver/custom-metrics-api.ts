/**
 * `custom.metrics.k8s.io/v1beta2`, as a metrics adapter (prometheus-adapter) serves it through
 * the aggregation layer: the simulated loads' `requests_per_second` per pod and per Service
 * (shared/load/state), the metric the HPA's Pods and Object metrics read. Read-only:
 *
 *   GET …/namespaces/<ns>/pods/<name or *>/requests_per_second[?labelSelector=…]
 *   GET …/namespaces/<ns>/services/<name or *>/requests_per_second
 */
import type { Request, Response } from 'express';
import { canonicalQuantity } from '../../shared/api/quantity';
import { parseLabelSelector } from '../../shared/api/selector';
import { StatusError } from '../../shared/api/status';
import type { KubeObject } from '../../shared/api/types';
import { LoadState, REQUESTS_PER_SECOND } from '../../shared/load/state';
import type { ApiContext } from './handlers/context';
import { readOnlyGroup, routeReadOnlyGroup } from './readonly-group';
import { send } from './respond';
import { rfc3339 } from '../../shared/api/time';

const CUSTOM_METRICS = readOnlyGroup(
  'custom.metrics.k8s.io',
  'v1beta2',
  ['pods', 'services'].map((r) => ({ name: `${r}/${REQUESTS_PER_SECOND}`, namespaced: true, kind: 'MetricValueList', verbs: ['get'] })),
);
const GROUP_VERSION = CUSTOM_METRICS.groupVersion;

export const customMetricsGroup = CUSTOM_METRICS.entry;

function metricValue(obj: KubeObject, kind: 'Pod' | 'Service', value: number, now: number): Record<string, unknown> {
  return {
    describedObject: { kind, namespace: obj.metadata.namespace, name: obj.metadata.name, apiVersion: '/v1' },
    metric: { name: REQUESTS_PER_SECOND, selector: null },
    timestamp: rfc3339(now),
    value: canonicalQuantity(Math.round(value * 1000) / 1000),
  };
}

/** True when `path` is this group's; then the request is answered. */
export async function serveCustomMetricsApi(ctx: ApiContext, req: Request, res: Response, path: string): Promise<boolean> {
  const parts = routeReadOnlyGroup(CUSTOM_METRICS, req, res, path);
  if (parts === undefined) return false;
  if (parts === null) return true;
  const [namespaces, namespace, resource, name, metric, ...rest] = parts;
  if (namespaces !== 'namespaces' || !namespace || !['pods', 'services'].includes(resource) || !name || !metric || rest.length) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
  if (metric !== REQUESTS_PER_SECOND) throw new StatusError(404, 'NotFound', `the server could not find the metric ${metric} for ${resource}`);
  const selector = parseLabelSelector(typeof req.query.labelSelector === 'string' ? req.query.labelSelector : undefined);
  const objects = (await ctx.store.list(resource, { namespace })).items.filter((o) => (name === '*' ? selector(o) : o.metadata.name === name));
  if (name !== '*' && !objects.length) throw new StatusError(404, 'NotFound', `${resource} "${name}" not found`, { kind: resource, name });
  const loads = new LoadState(ctx.redis, ctx.store.keys.prefix);
  const now = Date.now();
  const items: Record<string, unknown>[] = [];
  if (resource === 'pods') {
    const totals = await loads.pods(objects.map((p) => `${namespace}/${p.metadata.name}`), now);
    for (const p of objects) {
      const total = totals.get(`${namespace}/${p.metadata.name}`);
      if (total) items.push(metricValue(p, 'Pod', total.rps, now));
    }
  } else {
    for (const s of objects) {
      const seen = await loads.service(namespace, s.metadata.name!, now);
      items.push(metricValue(s, 'Service', seen?.offered ?? 0, now));
    }
  }
  if (name !== '*' && !items.length) throw new StatusError(404, 'NotFound', `the server could not find the metric ${metric} for pods ${name}`);
  send(req, res, 200, { kind: 'MetricValueList', apiVersion: GROUP_VERSION, metadata: {}, items });
  return true;
}

/**
 * `metrics.k8s.io/v1beta1` as metrics-server serves it through the aggregation layer, so
 * `kubectl top pods` and `kubectl top nodes` work: PodMetrics and NodeMetrics read from the
 * kubelets' samples (shared/resourcemetrics), never from the object store. Read-only (get,
 * list); cpu in nanocores and memory in Ki, as metrics-server writes them.
 */
import type { Request, Response } from 'express';
import { parseLabelSelector } from '../../shared/api/selector';
import { StatusError } from '../../shared/api/status';
import type { KubeObject } from '../../shared/api/types';
import { ResourceSamples, type ContainerUsage } from '../../shared/resourcemetrics/samples';
import type { ApiContext } from './handlers/context';
import { readOnlyGroup, routeReadOnlyGroup } from './readonly-group';
import { send } from './respond';
import { rfc3339 } from '../../shared/api/time';

export const METRICS_GROUP = 'metrics.k8s.io';
const METRICS = readOnlyGroup(METRICS_GROUP, 'v1beta1', [
  { name: 'nodes', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
  { name: 'pods', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
]);
const GROUP_VERSION = METRICS.groupVersion;

/** The group's entry in `/apis`. */
export const metricsGroup = METRICS.entry;

/** Go's time.Duration text for whole seconds (`15s`, `1m0s`). */
const window = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)}s` : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`);
const usage = (cpuMillis: number, memoryBytes: number) => ({ cpu: `${Math.round(cpuMillis * 1_000_000)}n`, memory: `${Math.round(memoryBytes / 1024)}Ki` });

function podMetrics(pod: KubeObject, sample: { timestamp: number; windowMs: number; containers: ContainerUsage[] }): KubeObject {
  return {
    kind: 'PodMetrics',
    apiVersion: GROUP_VERSION,
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: rfc3339(Date.now()), ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}) },
    timestamp: rfc3339(sample.timestamp),
    window: window(sample.windowMs),
    containers: sample.containers.map((c) => ({ name: c.name, usage: usage(c.cpuMillis, c.memoryBytes) })),
  };
}

function nodeMetrics(node: KubeObject, sample: { timestamp: number; windowMs: number; cpuMillis: number; memoryBytes: number }): KubeObject {
  return {
    kind: 'NodeMetrics',
    apiVersion: GROUP_VERSION,
    metadata: { name: node.metadata.name, creationTimestamp: rfc3339(Date.now()), ...(node.metadata.labels ? { labels: node.metadata.labels } : {}) },
    timestamp: rfc3339(sample.timestamp),
    window: window(sample.windowMs),
    usage: usage(sample.cpuMillis, sample.memoryBytes),
  };
}

const notFound = (what: string, name: string) => new StatusError(404, 'NotFound', `${what}.${METRICS_GROUP} "${name}" not found`, { group: METRICS_GROUP, kind: what, name });

/** True when `path` is this group's; then the request is answered. */
export async function serveMetricsApi(ctx: ApiContext, req: Request, res: Response, path: string): Promise<boolean> {
  const parts = routeReadOnlyGroup(METRICS, req, res, path);
  if (parts === undefined) return false;
  if (parts === null) return true;
  const samples = new ResourceSamples(ctx.redis, ctx.store.keys.prefix);
  const selector = parseLabelSelector(typeof req.query.labelSelector === 'string' ? req.query.labelSelector : undefined);
  if (parts[0] === 'nodes' && parts.length <= 2) {
    const nodes = (await ctx.store.list('nodes')).items.filter(selector);
    const byName = new Map((await samples.nodes()).map((s) => [s.name, s]));
    if (parts[1]) {
      const node = nodes.find((n) => n.metadata.name === parts[1]);
      const sample = node && byName.get(parts[1]);
      if (!node || !sample) throw notFound('nodes', parts[1]);
      return send(req, res, 200, nodeMetrics(node, sample)), true;
    }
    const items = nodes.filter((n) => byName.has(n.metadata.name!)).map((n) => nodeMetrics(n, byName.get(n.metadata.name!)!));
    return send(req, res, 200, { kind: 'NodeMetricsList', apiVersion: GROUP_VERSION, metadata: {}, items }), true;
  }
  const namespaced = parts[0] === 'namespaces' && parts[2] === 'pods' && parts.length <= 4;
  if (!(namespaced || (parts[0] === 'pods' && parts.length === 1))) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
  const namespace = namespaced ? parts[1] : undefined;
  const pods = (await ctx.store.list('pods', namespace ? { namespace } : {})).items.filter(selector);
  const bySample = new Map((await samples.pods()).map((s) => [`${s.namespace}/${s.name}`, s]));
  if (namespaced && parts[3]) {
    const pod = pods.find((p) => p.metadata.name === parts[3]);
    const sample = pod && bySample.get(`${namespace}/${parts[3]}`);
    if (!pod || !sample) throw notFound('pods', `${namespace}/${parts[3]}`);
    return send(req, res, 200, podMetrics(pod, sample)), true;
  }
  const items = pods.filter((p) => bySample.has(`${p.metadata.namespace}/${p.metadata.name}`)).map((p) => podMetrics(p, bySample.get(`${p.metadata.namespace}/${p.metadata.name}`)!));
  send(req, res, 200, { kind: 'PodMetricsList', apiVersion: GROUP_VERSION, metadata: {}, items });
  return true;
}

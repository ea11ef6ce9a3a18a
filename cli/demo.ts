/**
 * `kubeq demo autoscale`: the autoscaling story on the running cluster. It creates, in a
 * namespace of its own, a Deployment `web`, its Service, an HPA (cpu 50 %), and a Load that ramps
 * the Service's traffic up, holds it and lets it go; then prints a line every few seconds —
 * cluster time, offered load, replicas, cpu against the target, nodes, pending pods — plus the
 * HPA's and the cluster autoscaler's events as they happen, until the load is over and the
 * replicas are back (or the timeout). It ends with where to read the traces.
 *
 * How fast it goes is the cluster's KUBEQ_TIME_SCALE; node pools come from the cluster's
 * KUBEQ_NODE_GROUPS (README: the autoscaling walkthrough).
 */
import type { ApiClient } from './api-client';

export interface DemoOptions {
  namespace: string;
  /** Peak requests per second. */
  peak: number;
  /** Cluster seconds of the ramp up (and of the ramp down). */
  rampSeconds: number;
  /** Cluster seconds at the peak. */
  holdSeconds: number;
  /** Wall ms between two lines. */
  everyMs: number;
  /** Wall ms after which the demo stops waiting. */
  timeoutMs: number;
}

export const DEMO_DEFAULTS: DemoOptions = { namespace: 'autoscale-demo', peak: 60, rampSeconds: 120, holdSeconds: 300, everyMs: 2000, timeoutMs: 15 * 60_000 };

/** The demo's objects: what `kubectl apply` would be given. */
export function demoManifests(o: Pick<DemoOptions, 'namespace' | 'peak' | 'rampSeconds' | 'holdSeconds'>): Record<string, any>[] {
  const ns = o.namespace;
  const low = 2;
  const up = o.rampSeconds;
  const down = up + o.holdSeconds;
  // Long enough for the scale-down stabilization (300 s) after the ramp down, and a little more.
  const duration = down + o.rampSeconds + 420;
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }], resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m' } } }] } },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: ns },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 20, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    },
    {
      apiVersion: 'sim.kubeq.io/v1alpha1',
      kind: 'Load',
      metadata: { name: 'ramp', namespace: ns },
      spec: { service: 'web', rate: { shape: 'Points', points: [[0, low], [up, o.peak], [down, o.peak], [down + o.rampSeconds, low]] }, cost: { cpu: '10m', memory: '1Mi', latency: '30ms' }, duration: `${duration}s`, sampleRate: 0.001 },
    },
  ];
}

const PATHS: Record<string, (ns: string) => string> = {
  Namespace: () => '/api/v1/namespaces',
  Deployment: (ns) => `/apis/apps/v1/namespaces/${ns}/deployments`,
  Service: (ns) => `/api/v1/namespaces/${ns}/services`,
  HorizontalPodAutoscaler: (ns) => `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`,
  Load: (ns) => `/apis/sim.kubeq.io/v1alpha1/namespaces/${ns}/loads`,
};

/** What one line of the timeline shows. */
export interface Snapshot {
  clusterSeconds: number;
  offered?: number;
  ready: number;
  replicas: number;
  desired?: number;
  cpu?: number;
  target: number;
  nodes: number;
  readyNodes: number;
  pending: number;
}

export const TIMELINE_HEADER = `${'TIME'.padStart(6)}  ${'LOAD'.padStart(8)}  ${'REPLICAS'.padEnd(13)}  ${'CPU'.padEnd(9)}  ${'NODES'.padEnd(7)}  PENDING`;

/** One line: `  90s    42.0/s  3/5 (want 5)   84%/50%    2/3       2`. */
export function timelineLine(s: Snapshot): string {
  const load = s.offered === undefined ? '-' : `${s.offered.toFixed(1)}/s`;
  const replicas = `${s.ready}/${s.replicas}${s.desired !== undefined && s.desired !== s.replicas ? ` (want ${s.desired})` : ''}`;
  const cpu = `${s.cpu === undefined ? '?' : `${s.cpu}%`}/${s.target}%`;
  const nodes = s.readyNodes === s.nodes ? String(s.nodes) : `${s.readyNodes}/${s.nodes}`;
  return `${`${Math.round(s.clusterSeconds)}s`.padStart(6)}  ${load.padStart(8)}  ${replicas.padEnd(13)}  ${cpu.padEnd(9)}  ${nodes.padEnd(7)}  ${s.pending}`;
}

async function must(api: ApiClient, method: string, path: string, body?: unknown): Promise<any> {
  const res = await api.call(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${typeof res.body === 'object' ? res.body.message : res.body}`);
  return res.body;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deletes an earlier run's namespace and waits until it is gone. */
async function fresh(api: ApiClient, ns: string, out: (line: string) => void, timeoutMs: number): Promise<void> {
  if ((await api.call('GET', `/api/v1/namespaces/${ns}`)).status !== 200) return;
  out(`deleting namespace ${ns} from an earlier run…`);
  await api.call('DELETE', `/api/v1/namespaces/${ns}`);
  const until = Date.now() + timeoutMs;
  while ((await api.call('GET', `/api/v1/namespaces/${ns}`)).status === 200) {
    if (Date.now() > until) throw new Error(`namespace ${ns} is still terminating; run the demo with --namespace <another>`);
    await sleep(500);
  }
}

async function snapshot(api: ApiClient, ns: string): Promise<Snapshot & { done: boolean }> {
  const [load, deploy, hpa, nodes, pods] = await Promise.all([
    api.call('GET', `${PATHS.Load(ns)}/ramp`),
    api.call('GET', `${PATHS.Deployment(ns)}/web`),
    api.call('GET', `${PATHS.HorizontalPodAutoscaler(ns)}/web`),
    api.call('GET', '/api/v1/nodes'),
    api.call('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dweb`),
  ]);
  const ls = load.body?.status ?? {};
  const ds = deploy.body?.status ?? {};
  const hs = hpa.body?.status ?? {};
  const nodeItems: any[] = nodes.body?.items ?? [];
  const cpu = (hs.currentMetrics ?? []).find((m: any) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current?.averageUtilization;
  const snap: Snapshot = {
    clusterSeconds: ls.elapsedSeconds ?? 0,
    offered: ls.offeredRPS,
    ready: ds.readyReplicas ?? 0,
    replicas: deploy.body?.spec?.replicas ?? 0,
    desired: hs.desiredReplicas,
    cpu,
    target: 50,
    nodes: nodeItems.length,
    readyNodes: nodeItems.filter((n) => (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')).length,
    pending: (pods.body?.items ?? []).filter((p: any) => p.status?.phase === 'Pending').length,
  };
  return { ...snap, done: ls.phase === 'Completed' && snap.replicas === 1 && snap.ready === 1 && snap.pending === 0 };
}

/** New events of the demo's namespace and the cluster autoscaler's, as lines. */
async function newEvents(api: ApiClient, ns: string, seen: Set<string>): Promise<string[]> {
  const reasons = new Set(['SuccessfulRescale', 'TriggeredScaleUp', 'NotTriggerScaleUp', 'ScaleDown', 'ScaledToZero', 'ScalingFromZero']);
  const lists = await Promise.all([api.call('GET', `/api/v1/namespaces/${ns}/events`), api.call('GET', '/api/v1/namespaces/kube-system/events'), api.call('GET', '/api/v1/namespaces/default/events')]);
  const lines: string[] = [];
  // In the order they were written: timestamps have one-second precision, resourceVersions do not tie.
  for (const e of lists.flatMap((l) => (l.body?.items ?? []) as any[]).sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))) {
    if (!reasons.has(e.reason) || seen.has(e.metadata.uid)) continue;
    seen.add(e.metadata.uid);
    lines.push(`        ${e.reason} ${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}: ${e.message}`);
  }
  return lines;
}

/** Runs the demo; resolves 0 when the story completed, 1 on timeout. */
export async function demoAutoscale(api: ApiClient, out: (line: string) => void, options: Partial<DemoOptions> = {}, signal?: AbortSignal): Promise<number> {
  const o = { ...DEMO_DEFAULTS, ...options };
  const ns = o.namespace;
  const version = await must(api, 'GET', '/version');
  out(`kubeq demo autoscale on ${api.url} (Kubernetes ${version.gitVersion}), namespace ${ns}`);
  await fresh(api, ns, out, 60_000);
  for (const m of demoManifests(o)) {
    await must(api, 'POST', PATHS[m.kind](ns), m);
    out(`created ${m.kind.toLowerCase()}/${m.metadata.name}`);
  }
  out(`load: 2/s → ${o.peak}/s over ${o.rampSeconds}s, held ${o.holdSeconds}s, back to 2/s; HPA: cpu 50% of 100m, 1–20 replicas (times are cluster time: the cluster's KUBEQ_TIME_SCALE sets the pace)`);
  out(TIMELINE_HEADER);
  const seen = new Set<string>();
  const until = Date.now() + o.timeoutMs;
  const started = Date.now();
  let code = 1;
  while (!signal?.aborted && Date.now() < until) {
    const snap = await snapshot(api, ns);
    out(timelineLine(snap));
    for (const line of await newEvents(api, ns, seen)) out(line);
    if (snap.done) {
      code = 0;
      break;
    }
    await sleep(o.everyMs);
  }
  out(code === 0 ? 'the load is over and web is back to 1 replica.' : `stopped waiting after ${Math.round((Date.now() - started) / 1000)}s.`);
  out(`traces: kubeq trace horizontalpodautoscalers/${ns}/web (the HPA's last change, its reconcile spans carry every number), kubeq trace loads/${ns}/ramp; in Jaeger (http://localhost:16686 under docker compose) look for services hpa, proxy and cluster-autoscaler.`);
  return code;
}

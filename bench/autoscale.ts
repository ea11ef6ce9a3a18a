// npm run bench:autoscale [-- --scale 10 --peak 40 --pods 1000 --syncs 200]
// 1. Load simulation (in process): the cost of one Load sync (up to 200 representative packets
//    through the real iptables rules and overlay), representative packets/s, and the requests/s
//    a core simulates for loads of 100 and 10,000 rps — with tracing off, and with the sampled
//    packets traced (an OpenTelemetry SDK with an in-memory exporter).
// 2. Metrics pipeline (in process, real Redis): one kubelet sampling pass over --pods pods on 10
//    nodes, per 1,000 pods: milliseconds, Redis commands and bytes; and the HPA's read of them.
// 3. HPA reaction (real processes at KUBEQ_TIME_SCALE=--scale): a Load steps 2 → --peak rps; time
//    from the step to the HPA's rescale and to every new pod Ready, in wall and cluster seconds.
// Prints tables and a JSON line.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Presets, SingleBar } from 'cli-progress';
import { Redis } from 'ioredis';
import { freeLoopbackPort } from '../cli/redis-child';
import { realClock } from '../shared/clock';
import { Cache } from '../shared/informer/indexer';
import { LoadState } from '../shared/load/state';
import { ResourceSamples } from '../shared/resourcemetrics/samples';
import { startTelemetry } from '../shared/tracing/sdk';
import { sampleNode } from '../workers/kubelet/metrics';
import { computeProxyRules, type EndpointSlice, type Service } from '../workers/proxy/index';
import { compileRules } from '../workers/proxy/iptables-walk';
import { loadClients, spreadRequests, traceSamples, MAX_REPRESENTATIVES, LOAD_SYNC_MS } from '../workers/proxy/load';
import { nodeNet, type NodeNet } from '../workers/proxy/overlay';
import type { KernelState, PacketWorld, PodRef } from '../workers/proxy/packet';
import { seededRandom } from '../workers/proxy/random';
import { call, startRole, type Role } from './processes';
import { benchRedis, commandsProcessed } from './redis';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/** 10 nodes, one Service with `endpoints` ready pods spread over them, as the proxy's world. */
function world(endpoints: number): PacketWorld {
  const nodes = Array.from({ length: 10 }, (_, i) => nodeNet({ metadata: { name: `node-${i}` }, spec: { podCIDR: `10.244.${i}.0/24` }, status: { addresses: [{ type: 'InternalIP', address: `172.20.32.${10 + i}` }] } })!) as NodeNet[];
  const pods: PodRef[] = Array.from({ length: endpoints }, (_, i) => ({ namespace: 'default', name: `web-${i}`, ip: `10.244.${i % 10}.${2 + Math.floor(i / 10)}`, node: `node-${i % 10}` }));
  const service: Service = { metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };
  const slice: EndpointSlice = { metadata: { name: 'web-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: pods.map((p) => ({ addresses: [p.ip], nodeName: p.node, conditions: { ready: true } })), ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] };
  const rules = new Map(nodes.map((n) => [n.name, compileRules((computeProxyRules({ services: [service], endpointSlices: [slice], node: { name: n.name, ip: n.underlayIP } }) as { iptables: any }).iptables, [n.underlayIP])]));
  return { nodes, backend: 'vxlan', podByIp: (ip) => pods.find((p) => p.ip === ip), proxy: (node) => ({ mode: 'iptables', rules: rules.get(node)! }) };
}

async function loadSimulation(syncs: number) {
  const w = world(20);
  const clients = loadClients('bench', 50, w.nodes);
  const run = (rps: number, traced: number) => {
    const kernel: KernelState = { recent: new Map(), ipvs: new Map() };
    const requests = (rps * LOAD_SYNC_MS) / 1000;
    const t0 = performance.now();
    let packets = 0;
    for (let i = 0; i < syncs; i++) {
      const spread = spreadRequests(w, clients, '10.96.0.20', 80, requests, traced, seededRandom(1, 'bench', String(i)), i * LOAD_SYNC_MS, kernel);
      traceSamples('bench', 'web', spread);
      packets += Math.min(MAX_REPRESENTATIVES, Math.ceil(requests));
    }
    const seconds = (performance.now() - t0) / 1000;
    const syncMs = (seconds * 1000) / syncs;
    return { rps, tracedPerSync: traced, syncMs: Math.round(syncMs * 100) / 100, packetsPerSecond: Math.round(packets / seconds), simulatedRequestsPerCoreSecond: Math.round((requests * syncs) / seconds) };
  };
  const untraced = [run(100, 0), run(10_000, 0)];
  const exporter = new InMemorySpanExporter();
  const telemetry = startTelemetry({ serviceName: 'bench', spanProcessors: [new SimpleSpanProcessor(exporter)] });
  // sampleRate 0.01 at 100 rps: 5 traced packets a sync; at 10,000 rps the cap, 20.
  const traced = [run(100, 5), run(10_000, 20)];
  await telemetry.forceFlush();
  const spans = exporter.getFinishedSpans().length;
  await telemetry.shutdown();
  return { untraced, traced, spansPerSync: Math.round(spans / (2 * syncs)) };
}

async function metricsPipeline(podCount: number) {
  const handle = await benchRedis();
  const redis = new Redis(handle.url);
  const prefix = `{bench-metrics-${Date.now()}}`;
  const cache = new Cache();
  const started = new Date(Date.now() - 3600_000).toISOString();
  for (let i = 0; i < podCount; i++) {
    cache.set(`pods/default/web-${i}`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `web-${i}`, namespace: 'default', annotations: { 'sim.kubeq.io/cpu-usage': '50m' } },
      spec: { nodeName: `node-${i % 10}`, containers: [{ name: 'web', resources: { requests: { cpu: '100m' }, limits: { cpu: '200m' } }, ports: [{ containerPort: 8080 }] }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'web', state: { running: { startedAt: started } } }] },
    });
  }
  const samples = new ResourceSamples(redis, prefix);
  const loads = new LoadState(redis, prefix);
  // Half the pods serve a load: their usage reads it.
  const until = Date.now() + 3600_000;
  await loads.write({ namespace: 'default', name: 'bench', service: 'web' }, new Map(Array.from({ length: podCount / 2 }, (_, i) => [`web-${i * 2}`, { rps: 10, cpuMillis: 100, memoryBytes: 1e6, port: 8080, until }])), { offered: 5 * podCount, served: 5 * podCount, until });
  const clock = realClock(1);
  const written = new Map<string, Set<string>>();
  const passes = 20;
  const c0 = await commandsProcessed(redis);
  const t0 = performance.now();
  for (let p = 0; p < passes; p++) for (let n = 0; n < 10; n++) await sampleNode(`node-${n}`, cache, samples, loads, clock, 1, written);
  const passMs = (performance.now() - t0) / passes;
  const commands = ((await commandsProcessed(redis)) - c0) / passes;
  const bytes = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
  const r0 = performance.now();
  for (let p = 0; p < passes; p++) await samples.pods();
  const readMs = (performance.now() - r0) / passes;
  const per1000 = 1000 / podCount;
  redis.disconnect();
  handle.stop();
  return { pods: podCount, samplePassMsPer1000Pods: Math.round(passMs * per1000 * 100) / 100, redisCommandsPer1000Pods: Math.round(commands * per1000), hpaReadMsPer1000Pods: Math.round(readMs * per1000 * 100) / 100, redisUsedMiB: Math.round(bytes / 1048576) };
}

async function hpaReaction(scale: number, peak: number) {
  const handle = await benchRedis();
  const port = await freeLoopbackPort();
  const home = mkdtempSync(join(tmpdir(), 'kubeq-bench-autoscale-'));
  const prefix = `{bench-autoscale-${Date.now()}}`;
  const env = { REDIS_URL: handle.url, KUBEQ_REDIS_PREFIX: prefix, KUBEQ_API_PORT: String(port), KUBEQ_HOME: home, KUBEQ_TOKEN: 'bench', KUBEQ_DNS_PORT: '0', KUBEQ_TIME_SCALE: String(scale) };
  const roles: Role[] = [await startRole('apiserver', 'services/apiserver/main.js', env)];
  roles.push(
    ...(await Promise.all(
      [['controller-manager', {}], ['scheduler', {}], ['kubelet', { KUBEQ_NODES: '4', KUBEQ_NODE_PREFIX: 'node' }], ['endpoints', {}], ['proxy', {}], ['hpa', {}]].map(([name, extra]) => startRole(name as string, `workers/${name}/main.js`, { ...env, ...(extra as object) })),
    )),
  );
  const url = `https://127.0.0.1:${port}`;
  const ca = readFileSync(join(home, 'pki', 'ca.crt'), 'utf8');
  const api = async (method: string, path: string, body?: unknown) => (await call(url + path, ca, 'bench', method, body)).body;
  await api('POST', '/apis/apps/v1/namespaces/default/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }], resources: { requests: { cpu: '100m' } } }] } } } });
  await api('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
  await api('POST', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 50, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } });
  const stepAt = 60;
  await api('POST', '/apis/sim.kubeq.io/v1alpha1/namespaces/default/loads', { apiVersion: 'sim.kubeq.io/v1alpha1', kind: 'Load', metadata: { name: 'step' }, spec: { service: 'web', rate: { shape: 'Step', from: 2, rps: peak, at: `${stepAt}s` }, cost: { cpu: '10m' } } });
  const bar = new SingleBar({ format: 'HPA reaction |{bar}| {value}/{total} ready {duration}s', hideCursor: true }, Presets.shades_classic);
  let start: number | undefined;
  let rescaleAt: number | undefined;
  let readyAt: number | undefined;
  let desired = 0;
  const deadline = Date.now() + 300_000;
  bar.start(1, 0);
  while (!readyAt && Date.now() < deadline) {
    const load = await api('GET', '/apis/sim.kubeq.io/v1alpha1/namespaces/default/loads/step');
    start ??= load.status?.startTime ? Date.parse(load.status.startTime) : undefined;
    const d = await api('GET', '/apis/apps/v1/namespaces/default/deployments/web');
    if (!rescaleAt && (d.spec?.replicas ?? 1) > 1) [rescaleAt, desired] = [Date.now(), d.spec.replicas];
    if (desired) bar.setTotal(desired);
    bar.update(d.status?.readyReplicas ?? 0);
    if (rescaleAt && d.status?.readyReplicas === d.spec.replicas && d.spec.replicas === desired) readyAt = Date.now();
    await new Promise((r) => setTimeout(r, 50));
  }
  bar.stop();
  for (const r of roles) r.child.kill('SIGKILL');
  handle.stop();
  if (!start || !rescaleAt || !readyAt) throw new Error('the HPA did not react within 300 s');
  const step = start + (stepAt * 1000) / scale;
  const wall = (t: number) => Math.round((t - step) / 10) / 100;
  return { timeScale: scale, peakRps: peak, replicas: desired, stepToRescaleWallSeconds: wall(rescaleAt), stepToReadyWallSeconds: wall(readyAt), stepToRescaleClusterSeconds: Math.round(wall(rescaleAt) * scale), stepToReadyClusterSeconds: Math.round(wall(readyAt) * scale) };
}

async function main() {
  const syncs = arg('syncs', 200);
  console.log(`bench:autoscale — load simulation (${syncs} syncs, 20 endpoints on 10 nodes, iptables), metrics pipeline, HPA reaction`);
  const load = await loadSimulation(syncs);
  console.log(`load rps   traced/sync  sync ms  packets/s  simulated requests/s per core   (traced: ${load.spansPerSync} spans a sync on average)`);
  for (const r of [...load.untraced, ...load.traced]) console.log(`${String(r.rps).padStart(8)}  ${String(r.tracedPerSync).padStart(11)}  ${String(r.syncMs).padStart(7)}  ${String(r.packetsPerSecond).padStart(9)}  ${r.simulatedRequestsPerCoreSecond}`);
  const metrics = await metricsPipeline(arg('pods', 1000));
  console.log(`metrics pipeline, per 1,000 pods per sample: ${metrics.samplePassMsPer1000Pods} ms in the kubelet, ${metrics.redisCommandsPer1000Pods} Redis commands; the HPA's read ${metrics.hpaReadMsPer1000Pods} ms`);
  const scale = arg('scale', 10);
  console.log(`HPA reaction at KUBEQ_TIME_SCALE=${scale} (real processes)…`);
  const hpa = await hpaReaction(scale, arg('peak', 40));
  console.log(`load step 2 → ${hpa.peakRps} rps: rescale to ${hpa.replicas} after ${hpa.stepToRescaleWallSeconds} s (${hpa.stepToRescaleClusterSeconds} s cluster), all Ready after ${hpa.stepToReadyWallSeconds} s (${hpa.stepToReadyClusterSeconds} s cluster)`);
  console.log(JSON.stringify({ bench: 'autoscale', load, metrics, hpa }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

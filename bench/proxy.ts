// npm run bench:proxy [-- --propagation-nodes 100 --propagation-pods 50 --packets 2000]
// 1. Rules: for 1k/5k/20k Services × 1 and 10 endpoints, iptables vs IPVS on one node: rules in
//    place, rules one Service change writes, the cost model's sync time, and the wall time to
//    compute the rules (the seed's comparison).
// 2. Packets/s through the simulator (in process: rules walk + overlay), tracing off (no SDK).
// 3. Endpoint propagation on real processes: pod Ready (as the API shows it) → its address in the
//    rules of every node, p50/p99; then packets/s through API → queue → proxy process (run with
//    OTEL_SDK_DISABLED=true for tracing off).
// Prints tables and a JSON line.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Presets, SingleBar } from 'cli-progress';
import { Redis } from 'ioredis';
import { ProxyRulesStore } from '../shared/netstate/proxy-rules';
import { freeLoopbackPort } from '../cli/redis-child';
import { computeProxyRules, iptablesSyncCost, ipvsSyncCost, seededRandom, type EndpointSlice, type Service } from '../workers/proxy/index';
import { compileRules } from '../workers/proxy/iptables-walk';
import { nodeNet, type NodeNet } from '../workers/proxy/overlay';
import { simulatePacket, type PacketWorld, type PodRef } from '../workers/proxy/packet';
import { call, startRole, type Role } from './processes';
import { benchRedis } from './redis';
import { summarize } from './stats';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const ip = (n: number) => [10, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** `services` ClusterIP Services with `endpoints` ready endpoints each (pod addresses 10.244.x.y, service addresses 10.96.x.y). */
function cluster(services: number, endpoints: number): { services: Service[]; slices: EndpointSlice[] } {
  const out = { services: [] as Service[], slices: [] as EndpointSlice[] };
  for (let s = 0; s < services; s++) {
    const name = `svc-${s}`;
    out.services.push({ metadata: { name, namespace: 'default' }, spec: { clusterIP: ip((96 << 16) + 256 + s), ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    out.slices.push({
      metadata: { name: `${name}-x`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      endpoints: Array.from({ length: endpoints }, (_, e) => ({ addresses: [ip((244 << 16) + s * endpoints + e + 2)], conditions: { ready: true } })),
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  }
  return out;
}

function rulesTable() {
  const rows: Record<string, unknown>[] = [];
  const node = { name: 'node-0', ip: '172.20.32.10' };
  for (const services of [1000, 5000, 20000]) {
    for (const endpoints of [1, 10]) {
      const c = cluster(services, endpoints);
      const row: Record<string, unknown> = { services, endpoints };
      for (const mode of ['iptables', 'ipvs'] as const) {
        const t0 = performance.now();
        const rules = computeProxyRules({ services: c.services, endpointSlices: c.slices, node }, { mode });
        const computeMs = performance.now() - t0;
        // One Service changed since the last sync: iptables restores everything, IPVS touches that Service.
        const report = rules.mode === 'ipvs' ? ipvsSyncCost({ ...rules.ipvs, virtualServers: rules.ipvs.virtualServers.slice(1) }, rules.ipvs) : iptablesSyncCost(rules.iptables, 1);
        row[mode] = { totalRules: report.totalRules, rulesWritten: report.rulesWritten, simulatedSyncMs: Math.round(report.simulatedMs), computeMs: Math.round(computeMs) };
      }
      rows.push(row);
      process.stdout.write('.');
    }
  }
  process.stdout.write('\n');
  return rows;
}

function packetsPerSecond(count: number) {
  const nodes: NodeNet[] = [0, 1].map((i) => nodeNet({ metadata: { name: `n${i}` }, spec: { podCIDR: `10.244.${i}.0/24` }, status: { addresses: [{ type: 'InternalIP', address: `172.20.32.${10 + i}` }] } })!);
  const pods: PodRef[] = Array.from({ length: 10 }, (_, i) => ({ namespace: 'default', name: `web-${i}`, ip: `10.244.${i % 2}.${i + 2}`, node: `n${i % 2}` }));
  const services: Service[] = [{ metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 8080 }] } }];
  const slices: EndpointSlice[] = [{ metadata: { name: 'web-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: pods.slice(1).map((p) => ({ addresses: [p.ip], conditions: { ready: true } })), ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }];
  const rules = new Map(nodes.map((n) => [n.name, compileRules((computeProxyRules({ services, endpointSlices: slices, node: { name: n.name, ip: n.underlayIP } }) as { iptables: any }).iptables, [n.underlayIP])]));
  const world: PacketWorld = { nodes, backend: 'vxlan', podByIp: (a) => pods.find((p) => p.ip === a), proxy: (n) => ({ mode: 'iptables', rules: rules.get(n)! }) };
  const kernel = { recent: new Map(), ipvs: new Map() };
  const random = seededRandom(1, 'bench');
  const t0 = performance.now();
  let served = 0;
  for (let i = 0; i < count; i++) if (simulatePacket(world, pods[0], '10.96.0.20', 80, 'tcp', 1000, random, i, kernel).served) served++;
  const seconds = (performance.now() - t0) / 1000;
  return { packets: count, served, packetsPerSecond: Math.round(count / seconds) };
}

/** The body of one call with the bench's token. */
const api = async (url: string, ca: string, method: string, body?: unknown): Promise<any> => (await call(url, ca, 'bench', method, body)).body;

async function propagation(nodeCount: number, podCount: number) {
  const redisHandle = await benchRedis();
  const redis = new Redis(redisHandle.url);
  const port = await freeLoopbackPort();
  const home = mkdtempSync(join(tmpdir(), 'kubeq-bench-proxy-'));
  const prefix = `{bench-proxy-${Date.now()}}`;
  const env = { REDIS_URL: redisHandle.url, KUBEQ_REDIS_PREFIX: prefix, KUBEQ_API_PORT: String(port), KUBEQ_HOME: home, KUBEQ_TOKEN: 'bench', KUBEQ_DNS_PORT: '0', KUBEQ_KUBE_API_QPS: '0' };
  const roles: Role[] = [await startRole('apiserver', 'services/apiserver/main.js', env)];
  roles.push(
    ...(await Promise.all([
      startRole('controller-manager', 'workers/controller-manager/main.js', env),
      startRole('scheduler', 'workers/scheduler/main.js', env),
      startRole('kubelet', 'workers/kubelet/main.js', { ...env, KUBEQ_NODES: String(nodeCount), KUBEQ_NODE_PREFIX: 'node' }),
      startRole('endpoints', 'workers/endpoints/main.js', env),
      startRole('proxy', 'workers/proxy/main.js', env),
    ])),
  );
  const url = `https://127.0.0.1:${port}`;
  const ca = readFileSync(join(home, 'pki', 'ca.crt'), 'utf8');
  await api(`${url}/api/v1/namespaces/default/services`, ca, 'POST', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
  await api(`${url}/apis/apps/v1/namespaces/default/deployments`, ca, 'POST', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: podCount, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  });
  const rules = new ProxyRulesStore(redis, prefix);
  const nodes = Array.from({ length: nodeCount }, (_, i) => `node-${i}`);
  const readyAt = new Map<string, number>();
  const everywhereAt = new Map<string, number>();
  const bar = new SingleBar({ format: 'endpoints on every node |{bar}| {value}/{total} {duration}s', hideCursor: true }, Presets.shades_classic);
  bar.start(podCount, 0);
  const deadline = Date.now() + 300_000;
  while (everywhereAt.size < podCount && Date.now() < deadline) {
    const pods = (await api(`${url}/api/v1/namespaces/default/pods?labelSelector=app%3Dweb`, ca, 'GET')).items as any[];
    const now = Date.now();
    for (const p of pods) if (p.status?.podIP && (p.status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True') && !readyAt.has(p.status.podIP)) readyAt.set(p.status.podIP, now);
    const texts = await Promise.all(nodes.map((n) => rules.read(n).then((r) => r?.text ?? '')));
    for (const address of readyAt.keys()) if (!everywhereAt.has(address) && texts.every((t) => t.includes(`${address}:8080`))) everywhereAt.set(address, now);
    bar.update(everywhereAt.size);
    await new Promise((r) => setTimeout(r, 100));
  }
  bar.stop();
  // Packets through the real pipeline (API → queue → proxy process, every hop a span): 10 requests of 100.
  await api(`${url}/api/v1/namespaces/default/pods`, ca, 'POST', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' }, spec: { nodeName: 'node-0', containers: [{ name: 'c', image: 'busybox' }] } });
  for (let i = 0; i < 100 && !(await api(`${url}/api/v1/namespaces/default/pods/client`, ca, 'GET')).status?.podIP; i++) await new Promise((r) => setTimeout(r, 100));
  const t0 = performance.now();
  let sent = 0;
  for (let i = 0; i < 10; i++) sent += ((await api(`${url}/webhooks/packets`, ca, 'POST', { from: 'default/client', to: 'web:80', count: 100 })).packets ?? []).length;
  const pipeline = { packets: sent, packetsPerSecond: Math.round(sent / ((performance.now() - t0) / 1000)), tracing: process.env.OTEL_SDK_DISABLED !== 'true' };
  for (const r of roles) r.child.kill('SIGKILL');
  redis.disconnect();
  redisHandle.stop();
  const latencies = [...everywhereAt].map(([a, t]) => (t - readyAt.get(a)!) / 1000);
  return { nodes: nodeCount, pods: podCount, propagated: everywhereAt.size, seconds: summarize(latencies), pipeline };
}

async function main() {
  console.log('bench:proxy — rules for 1k/5k/20k Services × 1 and 10 endpoints, iptables vs IPVS');
  const rules = rulesTable();
  console.log('services  endpoints  iptables rules  sync (model)  compute   | ipvs servers  written  sync (model)  compute');
  for (const r of rules as any[]) {
    const i = r.iptables;
    const v = r.ipvs;
    console.log(`${String(r.services).padStart(8)}  ${String(r.endpoints).padStart(9)}  ${String(i.totalRules).padStart(14)}  ${`${(i.simulatedSyncMs / 1000).toFixed(1)} s`.padStart(12)}  ${`${i.computeMs} ms`.padStart(8)}  | ${String(v.totalRules).padStart(12)}  ${String(v.rulesWritten).padStart(7)}  ${`${v.simulatedSyncMs} ms`.padStart(12)}  ${`${v.computeMs} ms`.padStart(8)}`);
  }
  const packets = packetsPerSecond(arg('packets', 20000));
  console.log(`packets through the simulator (in process, tracing off): ${packets.packetsPerSecond}/s (${packets.served}/${packets.packets} served)`);
  const nodes = arg('propagation-nodes', 100);
  const pods = arg('propagation-pods', 50);
  console.log(`endpoint propagation on ${nodes} nodes, ${pods} pods (real processes)…`);
  const prop = await propagation(nodes, pods);
  console.log(`pod Ready → in every node's rules: p50 ${prop.seconds.p50} s, p90 ${prop.seconds.p90} s, p99 ${prop.seconds.p99} s (${prop.propagated}/${prop.pods} pods)`);
  console.log(`packets through API → proxy process (${prop.pipeline.tracing ? 'tracing on' : 'tracing off'}, 100 per request): ${prop.pipeline.packetsPerSecond}/s`);
  console.log(JSON.stringify({ bench: 'proxy', rules, packets, propagation: prop }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

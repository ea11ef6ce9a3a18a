/**
 * A packet crossing nodes crosses proxy processes: two proxies, each kube-proxy for one node
 * (KUBEQ_PROXY_NODES); a pod on node-0 sends to a Service whose only endpoint is on node-1. The
 * trace holds node-0's hops from the first process and node-1's arrival from the second.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { eventually } from '../helpers/eventually';
import { ROOT, startRole, type RoleProcess } from '../helpers/processes';

const run = promisify(execFile);
let cluster: TestCluster;
let second: RoleProcess;
const extra: RoleProcess[] = [];

beforeAll(async () => {
  cluster = await startCluster('{e2e-packets}', ['controller-manager', 'scheduler', 'kubelet', 'endpoints', 'proxy'], {
    kubelet: { KUBEQ_NODES: '2', KUBEQ_NODE_PREFIX: 'node' },
    proxy: { KUBEQ_PROXY_NODES: '^node-0$', KUBEQ_INSTANCE: 'proxy-a', KUBEQ_DNS_PORT: '0' },
  });
  second = startRole('workers/proxy/main.js', { ...cluster.env, KUBEQ_PROXY_NODES: '^node-1$', KUBEQ_INSTANCE: 'proxy-b', KUBEQ_DNS_PORT: '0' });
  await second.waitFor(/proxy: ready \(nodes \/\^node-1\$\//);
}, 60_000);
afterAll(async () => {
  await Promise.all(extra.map((p) => p.stop()));
  await second?.stop();
  await cluster?.stop();
});

test('node-0 → a Service on node-1: DNAT and VXLAN in one proxy process, decapsulation and delivery in the other, one trace', async () => {
  const { api } = cluster;
  const web = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { nodeSelector: { 'kubernetes.io/hostname': 'node-1' }, containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] } } },
  };
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', web)).status).toBe(201);
  expect((await api.call('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, clusterIP: '10.96.100.200', ports: [{ port: 80, targetPort: 8080 }] } })).status).toBe(201);
  expect((await api.call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' }, spec: { nodeName: 'node-0', containers: [{ name: 'c', image: 'busybox' }] } })).status).toBe(201);

  const result = await eventually(async () => {
    const res = await api.call('POST', '/webhooks/packets', { from: 'default/client', to: '10.96.100.200:80' });
    return res.status === 200 && res.body.packets[0].served ? res.body : undefined;
  }, 'a packet served', 60_000, 500);
  const hops = result.packets[0].hops;
  expect(result.packets[0].served).toMatchObject({ node: 'node-1', endpoint: expect.stringMatching(/^10\.244\.\d+\.\d+:8080$/) });
  expect(hops.map((h: any) => `${h.node} ${h.kind}`)).toEqual([
    'node-0 send',
    'node-0 veth',
    'node-0 bridge',
    'node-0 kube-proxy',
    'node-0 route',
    'node-0 encap',
    'node-0 underlay',
    'node-1 decap',
    'node-1 bridge',
    'node-1 veth',
    'node-1 deliver',
  ]);
  expect(hops[3]).toMatchObject({ dst: '10.96.100.200:80', natDst: result.packets[0].served.endpoint });
  expect(hops[5]).toMatchObject({ device: 'flannel.1', outer: { src: '172.20.32.10', dst: '172.20.32.11', port: 8472, vni: 1 } });

  const trace = await eventually(async () => {
    const { stdout } = await run(process.execPath, [`${ROOT}/dist/cli/main.js`, 'trace', result.traceId], { env: { ...process.env, ...cluster.env } }).catch(() => ({ stdout: '' }));
    return /packet arrives at node-1/.test(stdout) && (stdout.match(/packet hop/g) ?? []).length >= 11 ? stdout : undefined;
  }, 'both processes in the trace', 20_000, 300);
  expect(trace).toMatch(/packet default\/client → 10\.96\.100\.200:80 .*kubeq\.proxy\.queue=proxy-packets-proxy-a/);
  expect(trace).toMatch(/packet arrives at node-1 .*kubeq\.proxy\.queue=proxy-packets-proxy-b/);
}, 90_000);

test("the same over flannel's udp backend: flannel0, UDP 8285, 28 bytes, and the user-space copies cost more", async () => {
  const vxlan = (await cluster.api.call('POST', '/webhooks/packets', { from: 'default/client', to: '10.96.100.200:80' })).body.packets[0].hops;
  // Replace both proxies by two on the udp backend.
  await Promise.all([cluster.roles.proxy.stop(), second.stop()]);
  for (const [nodes, instance] of [['^node-0$', 'proxy-c'], ['^node-1$', 'proxy-d']]) {
    extra.push(startRole('workers/proxy/main.js', { ...cluster.env, KUBEQ_PROXY_NODES: nodes, KUBEQ_INSTANCE: instance, KUBEQ_DNS_PORT: '0', KUBEQ_FLANNEL_BACKEND: 'udp' }));
  }
  await Promise.all(extra.map((p) => p.waitFor(/proxy: ready \(nodes .*flannel udp/)));
  const udp = await eventually(async () => {
    const res = await cluster.api.call('POST', '/webhooks/packets', { from: 'default/client', to: '10.96.100.200:80' });
    const hops = res.body.packets?.[0]?.hops;
    return res.status === 200 && hops?.some((h: any) => h.kind === 'deliver') && hops.some((h: any) => h.device === 'flannel0') ? hops : undefined;
  }, 'a packet over flannel0', 30_000, 300);
  expect(udp.find((h: any) => h.kind === 'encap')).toMatchObject({ device: 'flannel0', outer: { port: 8285 }, bytes: 1028, note: expect.stringMatching(/copies through flanneld in user space/) });
  const latency = (hops: any[]) => hops.reduce((sum: number, h: any) => sum + h.latencyUs, 0);
  expect(latency(udp)).toBeGreaterThan(latency(vxlan));
}, 90_000);

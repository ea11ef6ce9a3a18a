/**
 * The proxy role as a real process: each node's kube-proxy rules follow Services and their
 * EndpointSlices (read through the API's debug endpoint and `kubeq proxy rules`), the node's
 * route table shows the flannel overlay, and the cluster DNS answers `dig`. Nodes come from a
 * real kubelet, pod ranges from the controller-manager's node IPAM, slices from the endpoints
 * worker, at KUBEQ_TIME_SCALE=10.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { eventually } from '../helpers/eventually';
import { ROOT } from '../helpers/processes';

const run = promisify(execFile);
let cluster: TestCluster;
let api: TestCluster['api'];
let dnsPort: number;

beforeAll(async () => {
  cluster = await startCluster('{e2e-proxy}', ['controller-manager', 'scheduler', 'kubelet', 'endpoints', 'proxy'], { kubelet: { KUBEQ_NODES: '2', KUBEQ_NODE_PREFIX: 'node' }, proxy: { KUBEQ_DNS_PORT: '0' } });
  api = cluster.api;
  const ready = await cluster.roles.proxy.waitFor(/proxy: ready \(nodes \/\.\*\/, mode iptables, flannel vxlan, cluster DNS udp:\/\/127\.0\.0\.1:(\d+)/);
  dnsPort = Number(/udp:\/\/127\.0\.0\.1:(\d+)/.exec(ready)![1]);
}, 60_000);
afterAll(() => cluster?.stop());

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
};
const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, clusterIP: '10.96.100.100', ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
const debug = async (path: string) => {
  const res = await api.call('GET', path);
  return typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
};

test("a Service's rules on every node: KUBE-SVC with 1/3 and 1/2, DNAT to the pods; routes over flannel.1; DNS", async () => {
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment)).status).toBe(201);
  expect((await api.call('POST', '/api/v1/namespaces/default/services', service)).status).toBe(201);
  let last = '';
  const rules = await eventually(async () => {
    const text = (last = await debug('/debug/proxy/node-0/iptables-save').catch(() => ''));
    return (text.match(/default\/web:http -m tcp -p tcp -j DNAT/g) ?? []).length === 3 ? text : undefined;
  }, 'three DNAT rules for the service on node-0', 20_000, 300).catch((err) => {
    console.log(last, cluster.roles.proxy.output());
    throw err;
  });
  expect(rules).toMatch(/^\*nat$/m);
  expect(rules).toMatch(/-A KUBE-SERVICES -m comment --comment "default\/web:http cluster IP" -m tcp -p tcp -d 10\.96\.100\.100 --dport 80 -j KUBE-SVC-[A-Z2-7]{16}/);
  expect(rules).toMatch(/--probability 0\.3333333333/);
  expect(rules).toMatch(/--probability 0\.5000000000/);
  expect(rules).toMatch(/-j DNAT --to-destination 10\.244\.\d+\.\d+:8080/);
  expect(await debug('/debug/proxy/node-1/iptables-save')).toMatch(/default\/web:http cluster IP/);

  const { stdout } = await run(process.execPath, [`${ROOT}/dist/cli/main.js`, 'proxy', 'rules', 'node-0'], { env: { ...process.env, ...cluster.env } });
  expect(stdout.trim()).toBe(rules.trim());

  const routes = await eventually(async () => {
    const text = await debug('/debug/proxy/node-0/routes');
    return /flannel\.1 onlink/.test(text) ? text : undefined;
  }, "node-0's route to node-1's pods over flannel.1", 30_000, 300);
  expect(routes).toMatch(/^10\.244\.\d+\.0\/24 dev cni0 proto kernel scope link src 10\.244\.\d+\.1$/m);
  expect(routes).toMatch(/^10\.244\.\d+\.0\/24 via 10\.244\.\d+\.0 dev flannel\.1 onlink$/m);

  const dig = (await run('dig', ['@127.0.0.1', '-p', String(dnsPort), '+short', '+time=2', '+tries=1', 'web.default.svc.cluster.local', 'A'])).stdout.trim();
  expect(dig).toBe('10.96.100.100');
}, 90_000);

test('a Service without endpoints is rejected in the filter table, as upstream', async () => {
  const lonely = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lonely' }, spec: { selector: { app: 'none' }, clusterIP: '10.96.100.101', ports: [{ port: 80 }] } };
  expect((await api.call('POST', '/api/v1/namespaces/default/services', lonely)).status).toBe(201);
  const rules = await eventually(async () => {
    const text = await debug('/debug/proxy/node-0/iptables-save');
    return /default\/lonely/.test(text) ? text : undefined;
  }, 'the lonely service in the rules', 30_000, 300);
  expect(rules).toMatch(/-A KUBE-SERVICES -m comment --comment "default\/lonely has no endpoints" -m tcp -p tcp -d 10\.96\.100\.101 --dport 80 -j REJECT/);
}, 60_000);

test('packets from a pod to a Service name: DNS, DNAT, across the overlay to both nodes, traced hop by hop', async () => {
  const client = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' }, spec: { nodeName: 'node-0', containers: [{ name: 'c', image: 'busybox' }] } };
  expect((await api.call('POST', '/api/v1/namespaces/default/pods', client)).status).toBe(201);
  await eventually(async () => ((await api.call('GET', '/api/v1/namespaces/default/pods/client')).body.status?.podIP ? true : undefined), 'the client pod to get an address');
  const res = await api.call('POST', '/webhooks/packets', { from: 'default/client', to: 'web:80', count: 30 });
  expect(res.status).toBe(200);
  const result = res.body;
  expect(result.packets).toHaveLength(30);
  expect(result.packets.every((p: any) => p.served)).toBe(true);
  expect(Object.values(result.servedBy).reduce((a: number, b: any) => a + b, 0)).toBe(30);
  expect(Object.keys(result.servedBy).length).toBeGreaterThanOrEqual(2);
  const first = result.packets[0].hops;
  expect(first[0]).toMatchObject({ device: 'dns', note: expect.stringMatching(/^web\.default\.svc\.cluster\.local A 10\.96\.100\.100/) });
  const remote = result.packets.find((p: any) => p.served.node === 'node-1');
  expect(remote.hops.map((h: any) => h.kind)).toEqual(expect.arrayContaining(['kube-proxy', 'encap', 'underlay', 'decap', 'deliver']));
  expect(remote.hops.find((h: any) => h.kind === 'encap')).toMatchObject({ device: 'flannel.1', outer: { src: '172.20.32.10', dst: '172.20.32.11', port: 8472, vni: 1 } });

  const trace = await eventually(async () => {
    const { stdout } = await run(process.execPath, [`${ROOT}/dist/cli/main.js`, 'trace', result.traceId], { env: { ...process.env, ...cluster.env } }).catch(() => ({ stdout: '' }));
    return (stdout.match(/packet hop/g) ?? []).length >= 30 ? stdout : undefined;
  }, 'the packet hops in the trace', 20_000, 300);
  expect(trace).toMatch(/webhook packets/);
  expect(trace).toMatch(/packet default\/client → web:80/);

  const { stdout } = await run(process.execPath, [`${ROOT}/dist/cli/main.js`, 'packet', 'send', '--from', 'default/client', '--to', '10.96.100.101:80'], { env: { ...process.env, ...cluster.env } });
  expect(stdout).toMatch(/dropped: REJECT by kube-proxy: .*default\/lonely has no endpoints/);
  const bad = await api.call('POST', '/webhooks/packets', { from: 'client', to: 'web' });
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'from must be <namespace>/<pod>, or external[/<client ip>]' });
}, 90_000);

test('from outside through a NodePort: arrives on the node, DNAT with masquerade, delivered to a pod', async () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-np' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
  const created = await api.call('POST', '/api/v1/namespaces/default/services', svc);
  expect(created.status).toBe(201);
  const nodePort = created.body.spec.ports[0].nodePort as number;
  expect(nodePort).toBeGreaterThanOrEqual(30000);
  const result = await eventually(async () => {
    const res = await api.call('POST', '/webhooks/packets', { from: 'external/198.51.100.7', to: `172.20.32.11:${nodePort}` });
    return res.status === 200 && res.body.packets[0].served ? res.body : undefined;
  }, 'a packet through the NodePort', 30_000, 300);
  const hops = result.packets[0].hops;
  expect(hops.slice(0, 3).map((h: any) => `${h.node} ${h.kind}`)).toEqual(['outside send', 'node-1 underlay', 'node-1 kube-proxy']);
  expect(hops[2].note).toMatch(/KUBE-NODEPORTS/);
  expect(hops.find((h: any) => h.kind === 'route').natSrc).toMatch(/^10\.244\.\d+\.[01]$/);
  expect(result.packets[0].served.endpoint).toMatch(/:8080$/);
}, 60_000);

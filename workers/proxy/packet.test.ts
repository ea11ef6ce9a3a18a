import { compileRules } from './iptables-walk';
import { computeProxyRules, type EndpointSlice, type Service } from './index';
import { nodeNet, type Backend, type NodeNet } from './overlay';
import { simulatePacket, type KernelState, type PacketWorld, type PodRef } from './packet';
import { seededRandom } from './random';

const nodes = [0, 1].map((i) => nodeNet({ metadata: { name: `n${i}` }, spec: { podCIDR: `10.244.${i}.0/24` }, status: { addresses: [{ type: 'InternalIP', address: `172.20.32.${10 + i}` }] } })!) as NodeNet[];
const pods: PodRef[] = [
  { namespace: 'default', name: 'client', ip: '10.244.0.5', node: 'n0' },
  { namespace: 'default', name: 'web-a', ip: '10.244.1.7', node: 'n1' },
  { namespace: 'default', name: 'web-b', ip: '10.244.0.9', node: 'n0' },
];
const service = (name: string, clusterIP: string): Service => ({ metadata: { name, namespace: 'default' }, spec: { clusterIP, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
const slice = (svc: string, ips: string[]): EndpointSlice => ({
  metadata: { name: `${svc}-x`, namespace: 'default', labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
});

function world(backend: Backend, services: Service[], slices: EndpointSlice[]): PacketWorld {
  const rules = new Map(nodes.map((n) => [n.name, compileRules((computeProxyRules({ services, endpointSlices: slices, node: { name: n.name, ip: n.underlayIP } }) as { iptables: any }).iptables, [n.underlayIP])]));
  return { nodes, backend, podByIp: (ip) => pods.find((p) => p.ip === ip), proxy: (node) => ({ mode: 'iptables', rules: rules.get(node)! }) };
}
const kernel = (): KernelState => ({ recent: new Map(), ipvs: new Map() });
const send = (w: PacketWorld, dst: string) => simulatePacket(w, pods[0], dst, 80, 'tcp', 1000, seededRandom(1, 'test'), 0, kernel());

test('to a Service whose endpoint is on another node: DNAT, route via flannel.1, VXLAN over the underlay, delivered', () => {
  const result = send(world('vxlan', [service('web', '10.96.0.20')], [slice('web', ['10.244.1.7'])]), '10.96.0.20');
  expect(result.served).toEqual({ pod: pods[1], endpoint: '10.244.1.7:8080' });
  expect(result.hops.map((h) => `${h.node} ${h.kind} ${h.device}`)).toEqual([
    'n0 send eth0',
    'n0 veth veth-client',
    'n0 bridge cni0',
    'n0 kube-proxy kube-proxy',
    'n0 route route',
    'n0 encap flannel.1',
    'n0 underlay eth0',
    'n1 decap flannel.1',
    'n1 bridge cni0',
    'n1 veth veth-web-a',
    'n1 deliver eth0',
  ]);
  const dnat = result.hops[3];
  expect(dnat).toMatchObject({ dst: '10.96.0.20:80', natDst: '10.244.1.7:8080' });
  expect(dnat.note).toMatch(/^DNAT by iptables: .*KUBE-SVC-.*KUBE-SEP-/);
  expect(result.hops[5]).toMatchObject({ outer: { src: '172.20.32.10', dst: '172.20.32.11', protocol: 'UDP', port: 8472, vni: 1 }, bytes: 1050 });
});

test('the udp backend: flannel0, port 8285, 28 bytes, and the user-space copies cost more time', () => {
  const w = (b: Backend) => world(b, [service('web', '10.96.0.20')], [slice('web', ['10.244.1.7'])]);
  const total = (b: Backend) => send(w(b), '10.96.0.20').hops.reduce((s, h) => s + h.latencyUs, 0);
  const encap = send(w('udp'), '10.96.0.20').hops.find((h) => h.kind === 'encap')!;
  expect(encap).toMatchObject({ device: 'flannel0', outer: { port: 8285 }, bytes: 1028 });
  expect(encap.note).toMatch(/flanneld in user space/);
  expect(total('udp')).toBeGreaterThan(total('vxlan'));
});

test('to a Service endpoint on the same node: the bridge, no encapsulation', () => {
  const result = send(world('vxlan', [service('web', '10.96.0.20')], [slice('web', ['10.244.0.9'])]), '10.96.0.20');
  expect(result.served?.pod.name).toBe('web-b');
  expect(result.hops.some((h) => h.kind === 'encap')).toBe(false);
});

test('no endpoints: REJECT with the rule that says so', () => {
  const result = send(world('vxlan', [service('empty', '10.96.0.50')], []), '10.96.0.50');
  expect(result.served).toBeUndefined();
  expect(result.dropped).toMatch(/^REJECT by kube-proxy: .*default\/empty:http has no endpoints/);
  expect(result.hops.at(-1)).toMatchObject({ kind: 'drop', device: 'kube-proxy' });
});

test('straight to a pod IP: no kube-proxy rule, routed and delivered', () => {
  const result = send(world('vxlan', [], []), '10.244.1.7');
  expect(result.served).toEqual({ pod: pods[1], endpoint: '10.244.1.7:80' });
  expect(result.hops.some((h) => h.kind === 'kube-proxy')).toBe(false);
});

test('from outside to a NodePort on n1: arrives on eth0, DNAT and masquerade, over the overlay to n0', () => {
  const nodePort: Service = { metadata: { name: 'np', namespace: 'default' }, spec: { type: 'NodePort', clusterIP: '10.96.0.30', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }] } };
  const w = world('vxlan', [nodePort], [slice('np', ['10.244.0.9'])]);
  const outside: PodRef = { namespace: '', name: 'external-client', ip: '203.0.113.10', node: 'n1', external: true };
  const result = simulatePacket(w, outside, '172.20.32.11', 30080, 'tcp', 500, seededRandom(1, 'x'), 0, kernel());
  expect(result.served).toEqual({ pod: pods[2], endpoint: '10.244.0.9:8080' });
  expect(result.hops.map((h) => `${h.node} ${h.kind}`).slice(0, 5)).toEqual(['outside send', 'n1 underlay', 'n1 kube-proxy', 'n1 route', 'n1 encap']);
  const route = result.hops[3];
  // Masqueraded on the way out of flannel.1: the reply comes back through n1.
  expect(route.natSrc).toBe('10.244.1.0');
  expect(result.hops[2].note).toMatch(/KUBE-NODEPORTS/);
});

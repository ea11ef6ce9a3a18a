import { compileRules } from './iptables-walk';
import { computeProxyRules, type EndpointSlice, type Service } from './index';
import { newIpvsRuntime } from './ipvs-select';
import { loadClients, MAX_REPRESENTATIVES, spreadRequests } from './load';
import { nodeNet, type NodeNet } from './overlay';
import type { KernelState, PacketWorld, PodRef } from './packet';
import { seededRandom } from './random';

const nodes = [0, 1].map((i) => nodeNet({ metadata: { name: `n${i}` }, spec: { podCIDR: `10.244.${i}.0/24` }, status: { addresses: [{ type: 'InternalIP', address: `172.20.32.${10 + i}` }] } })!) as NodeNet[];
const backends: PodRef[] = ['10.244.0.7', '10.244.1.7', '10.244.1.8', '10.244.0.8'].map((ip, i) => ({ namespace: 'default', name: `web-${i}`, ip, node: ip.startsWith('10.244.0') ? 'n0' : 'n1' }));
const service = (spec: Partial<Service['spec']> = {}): Service => ({ metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec } });
const slice = (ips: string[]): EndpointSlice => ({
  metadata: { name: 'web-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
});

function world(mode: 'iptables' | 'ipvs', svc: Service, ips: string[], scheduler = 'rr'): PacketWorld {
  const rules = new Map(nodes.map((n) => [n.name, computeProxyRules({ services: [svc], endpointSlices: [slice(ips)], node: { name: n.name, ip: n.underlayIP } }, { mode, ipvs: { scheduler: scheduler as any } })]));
  return {
    nodes,
    backend: 'vxlan',
    podByIp: (ip) => backends.find((p) => p.ip === ip),
    proxy: (node) => {
      const r = rules.get(node)!;
      return r.mode === 'ipvs' ? { mode: 'ipvs', ipvs: r.ipvs } : { mode: 'iptables', rules: compileRules(r.iptables, [nodes.find((n) => n.name === node)!.underlayIP]) };
    },
  };
}
const kernel = (): KernelState => ({ recent: new Map(), ipvs: new Map(nodes.map((n) => [n.name, newIpvsRuntime()])) });
const clients = loadClients('l', 10, nodes);
const shares = (s: ReturnType<typeof spreadRequests>) => Object.fromEntries([...s.served].map(([k, v]) => [k.split('/')[1], Math.round(v.requests * 100) / 100]));

test('clients: virtual addresses at the top of each node pod range, round-robin over the nodes', () => {
  expect(clients.slice(0, 4).map((c) => `${c.node} ${c.ip}`)).toEqual(['n0 10.244.0.254', 'n1 10.244.1.254', 'n0 10.244.0.253', 'n1 10.244.1.253']);
  expect(loadClients('l', 3, [])).toEqual([]);
});

test('iptables: 1/n statistic rules give each endpoint about its share; every request is accounted for', () => {
  const s = spreadRequests(world('iptables', service(), backends.map((b) => b.ip)), clients, '10.96.0.20', 80, 1000, 0, seededRandom(7, 't'), 0, kernel());
  const got = shares(s);
  expect(Object.keys(got).sort()).toEqual(['web-0', 'web-1', 'web-2', 'web-3']);
  // MAX_REPRESENTATIVES packets of 1000 / 200 = 5 requests each.
  expect(Object.values(got).reduce((a, b) => a + b, 0)).toBeCloseTo(1000, 6);
  for (const v of Object.values(got)) expect(v).toBeGreaterThan(150);
  expect(s.dropped).toBe(0);
  expect(Math.min(MAX_REPRESENTATIVES, 1000)).toBe(200);
});

test('ClientIP affinity: each client sticks to one endpoint, so the spread follows the clients', () => {
  const w = world('iptables', service({ sessionAffinity: 'ClientIP' }), backends.map((b) => b.ip));
  const k = kernel();
  const one = spreadRequests(w, clients.slice(0, 1), '10.96.0.20', 80, 100, 0, seededRandom(7, 'a'), 0, k);
  expect(Object.keys(shares(one))).toHaveLength(1);
  const again = spreadRequests(w, clients.slice(0, 1), '10.96.0.20', 80, 100, 0, seededRandom(8, 'b'), 1000, k);
  expect(Object.keys(shares(again))).toEqual(Object.keys(shares(one)));
});

test('IPVS rr: an even split; dh (destination hashing): one real server takes everything', () => {
  const rr = shares(spreadRequests(world('ipvs', service(), backends.map((b) => b.ip)), clients, '10.96.0.20', 80, 400, 0, seededRandom(1, 'r'), 0, kernel()));
  expect(Object.values(rr)).toEqual([100, 100, 100, 100]);
  const dh = shares(spreadRequests(world('ipvs', service(), backends.map((b) => b.ip), 'dh'), clients, '10.96.0.20', 80, 400, 0, seededRandom(1, 'r'), 0, kernel()));
  expect(Object.values(dh)).toEqual([400]);
});

test('no endpoints: dropped with the REJECT reason; a fraction of a request still counts', () => {
  const s = spreadRequests(world('iptables', service(), []), clients, '10.96.0.20', 80, 0.5, 1, seededRandom(1, 'x'), 0, kernel());
  expect(s.dropped).toBe(0.5);
  expect([...s.reasons.keys()][0]).toMatch(/REJECT by kube-proxy: .*has no endpoints/);
  expect(s.traced).toHaveLength(1);
  expect(s.traced[0].dropped).toMatch(/REJECT/);
});

import { BACKENDS, encapsulationMicros, nextHop, nodeNet, routeTable, type NodeNet } from './overlay';

const node = (i: number) => ({ metadata: { name: `n${i}` }, spec: { podCIDR: `10.244.${i}.0/24` }, status: { addresses: [{ type: 'InternalIP', address: `172.20.32.${10 + i}` }] } });
const nets = [0, 1, 2].map((i) => nodeNet(node(i))!) as NodeNet[];

test('a node on the overlay: underlay address, pod range, bridge and flannel addresses', () => {
  expect(nets[1]).toEqual({ name: 'n1', underlayIP: '172.20.32.11', podCIDR: '10.244.1.0/24', bridgeIP: '10.244.1.1', flannelIP: '10.244.1.0' });
  expect(nodeNet({ metadata: { name: 'new' }, spec: {}, status: { addresses: [{ type: 'InternalIP', address: '172.20.32.40' }] } })).toBeUndefined();
});

test("flannel's backends: vxlan 8472/VNI 1/50 bytes/MTU 1450, udp 8285/28 bytes/MTU 1472 with user-space copies", () => {
  expect(BACKENDS.vxlan).toEqual({ device: 'flannel.1', port: 8472, overheadBytes: 50, mtu: 1450, vni: 1, userspaceCopies: 0 });
  expect(BACKENDS.udp).toMatchObject({ device: 'flannel0', port: 8285, overheadBytes: 28, mtu: 1472 });
  expect(BACKENDS.vxlan.mtu + BACKENDS.vxlan.overheadBytes).toBe(1500);
  expect(BACKENDS.udp.mtu + BACKENDS.udp.overheadBytes).toBe(1500);
  expect(encapsulationMicros('udp', 1400)).toBeGreaterThan(encapsulationMicros('vxlan', 1400));
});

test('route tables as ip route prints them', () => {
  expect(routeTable(nets[1], nets, 'vxlan')).toEqual([
    'default via 172.20.32.1 dev eth0 proto dhcp src 172.20.32.11 metric 100',
    '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink',
    '10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1',
    '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink',
    '172.20.32.0/19 dev eth0 proto kernel scope link src 172.20.32.11',
  ]);
  expect(routeTable(nets[1], nets, 'udp')).toEqual([
    'default via 172.20.32.1 dev eth0 proto dhcp src 172.20.32.11 metric 100',
    '10.244.0.0/16 dev flannel0',
    '10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1',
    '172.20.32.0/19 dev eth0 proto kernel scope link src 172.20.32.11',
  ]);
});

test.each([
  ['a pod on this node: the bridge', '10.244.0.7', 'vxlan', { kind: 'local', device: 'cni0' }],
  [
    'a pod on n2: VXLAN to its underlay address',
    '10.244.2.9',
    'vxlan',
    { kind: 'overlay', device: 'flannel.1', outer: { src: '172.20.32.10', dst: '172.20.32.12', protocol: 'UDP', port: 8472, vni: 1 }, overheadBytes: 50 },
  ],
  ['the same over the udp backend', '10.244.2.9', 'udp', { kind: 'overlay', device: 'flannel0', outer: { src: '172.20.32.10', dst: '172.20.32.12', protocol: 'UDP', port: 8285 }, overheadBytes: 28 }],
  ['a node address: the underlay', '172.20.32.11', 'vxlan', { kind: 'underlay', device: 'eth0' }],
  ['a cluster address no node holds', '10.244.9.9', 'vxlan', { kind: 'unreachable', reason: 'no node has a pod range holding 10.244.9.9' }],
  ['outside', '8.8.8.8', 'vxlan', { kind: 'unreachable', reason: '8.8.8.8 is outside the cluster' }],
] as const)('nextHop: %s', (_name, dst, backend, want) => {
  expect(nextHop(nets[0], nets, dst, backend)).toMatchObject(want);
});

import { Registry } from 'prom-client';
import type { KubeObject } from '../../shared/api/types';
import { storeEventRecorder } from '../../shared/events/recorder';
import { nodeIpam, reconcileNodeIpam, type NodeIpam } from '../../workers/controller-manager/nodeipam';
import { formatIpv4Cidr, overlappedSubnets, parseIpv4Cidr } from '../../workers/controller-manager/nodeipam-cidr';
import { NODE_IPAM_CONTROLLER, startNodeIpamController } from '../../workers/controller-manager/nodeipam-controller';
import { waitFor } from '../queue/util';
import { useStore } from './util';

/** The node IPAM reconcile and controller against a real store. */
const fx = useStore();

function node(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec };
}

function ipam(clusterCIDR?: string): NodeIpam {
  return nodeIpam({ store: fx.store, clock: fx.clock, recorder: storeEventRecorder(fx.store, fx.clock, NODE_IPAM_CONTROLLER), clusterCIDR });
}

const cidrOf = async (name: string): Promise<string | undefined> => (await fx.store.getOrThrow('nodes', undefined, name)).spec?.podCIDR;

async function allocated(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const n of (await fx.store.list('nodes')).items) if (n.spec?.podCIDR) out.set(n.metadata.name!, n.spec.podCIDR);
  return out;
}

test('CIDR arithmetic: parse masks host bits, format, and overlap by index', () => {
  expect(parseIpv4Cidr('10.244.3.7/16')).toEqual(parseIpv4Cidr('10.244.0.0/16'));
  expect(formatIpv4Cidr(parseIpv4Cidr('10.244.255.0/24')!)).toBe('10.244.255.0/24');
  expect(parseIpv4Cidr('10.244.0.0/33')).toBeUndefined();
  expect(parseIpv4Cidr('fd00::/64')).toBeUndefined();
  const cluster = parseIpv4Cidr('10.244.0.0/16')!;
  expect(overlappedSubnets(cluster, 24, parseIpv4Cidr('10.244.4.0/23')!)).toEqual([4, 5]);
  expect(overlappedSubnets(cluster, 24, parseIpv4Cidr('10.244.7.128/25')!)).toEqual([7]);
  expect(overlappedSubnets(cluster, 24, parseIpv4Cidr('10.0.0.0/8')!)).toHaveLength(256);
  expect(overlappedSubnets(cluster, 24, parseIpv4Cidr('10.245.0.0/24')!)).toEqual([]);
});

test('allocates the lowest free /24 in order, setting podCIDR and podCIDRs', async () => {
  const ip = ipam();
  for (const name of ['a', 'b', 'c']) {
    await fx.store.create('nodes', node(name));
    await reconcileNodeIpam(`nodes/${name}`, ip);
  }
  const a = await fx.store.getOrThrow('nodes', undefined, 'a');
  expect(a.spec).toMatchObject({ podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });
  expect(await cidrOf('b')).toBe('10.244.1.0/24');
  expect(await cidrOf('c')).toBe('10.244.2.0/24');
  // again: nothing to write
  const revision = await fx.store.revision();
  for (const name of ['a', 'b', 'c']) await reconcileNodeIpam(`nodes/${name}`, ip);
  expect(await fx.store.revision()).toBe(revision);
});

test('a node that already has a range keeps it, and its range is not given to another', async () => {
  await fx.store.create('nodes', node('pre', { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] }));
  await fx.store.create('nodes', node('only-list', { podCIDRs: ['10.244.1.0/24'] }));
  await fx.store.create('nodes', node('new'));
  const ip = ipam();
  for (const name of ['pre', 'only-list', 'new']) await reconcileNodeIpam(`nodes/${name}`, ip);
  expect(await cidrOf('pre')).toBe('10.244.0.0/24');
  expect((await fx.store.getOrThrow('nodes', undefined, 'only-list')).spec.podCIDRs).toEqual(['10.244.1.0/24']);
  expect(await cidrOf('new')).toBe('10.244.2.0/24');
});

test("a deleted node's range is free again; the lowest free one is taken", async () => {
  const ip = ipam();
  for (const name of ['a', 'b', 'c']) {
    await fx.store.create('nodes', node(name));
    await reconcileNodeIpam(`nodes/${name}`, ip);
  }
  await fx.store.delete('nodes', undefined, 'a');
  await reconcileNodeIpam('nodes/a', ip); // gone: nothing to do
  await fx.store.create('nodes', node('d'));
  await reconcileNodeIpam('nodes/d', ip);
  expect(await cidrOf('d')).toBe('10.244.0.0/24');
  await fx.store.create('nodes', node('e'));
  await reconcileNodeIpam('nodes/e', ip);
  expect(await cidrOf('e')).toBe('10.244.3.0/24');
});

test('a full cluster CIDR: CIDRNotAvailable Warning Event and a retry later, which succeeds once a range is freed', async () => {
  const ip = ipam('10.244.0.0/23'); // two /24s
  for (const name of ['a', 'b', 'c']) await fx.store.create('nodes', node(name));
  expect(await reconcileNodeIpam('nodes/a', ip)).toBeUndefined();
  expect(await reconcileNodeIpam('nodes/b', ip)).toBeUndefined();
  expect(await reconcileNodeIpam('nodes/c', ip)).toEqual({ requeueAfter: expect.any(Number) });
  expect(await cidrOf('c')).toBeUndefined();
  const events = (await fx.store.list('events', { namespace: 'default' })).items;
  expect(events).toEqual([
    expect.objectContaining({
      type: 'Warning',
      reason: 'CIDRNotAvailable',
      message: 'Node c status is now: CIDRNotAvailable',
      involvedObject: expect.objectContaining({ kind: 'Node', name: 'c' }),
      source: { component: NODE_IPAM_CONTROLLER },
    }),
  ]);

  await fx.store.delete('nodes', undefined, 'a');
  expect(await reconcileNodeIpam('nodes/c', ip)).toBeUndefined();
  expect(await cidrOf('c')).toBe('10.244.0.0/24');
});

test('concurrent reconciles from two allocators (two processes) never give a range twice', async () => {
  const names = Array.from({ length: 12 }, (_, i) => `n${i}`);
  await Promise.all(names.map((n) => fx.store.create('nodes', node(n))));
  const [one, two] = [ipam(), ipam()];
  // Each has its own in-process queue, so only the shared Redis lock keeps them apart; opposite orders make them race.
  await Promise.all([...names.map((n) => reconcileNodeIpam(`nodes/${n}`, one)), ...[...names].reverse().map((n) => reconcileNodeIpam(`nodes/${n}`, two))]);
  const cidrs = [...(await allocated()).values()].sort();
  expect(cidrs).toHaveLength(12);
  expect(new Set(cidrs).size).toBe(12);
  expect(cidrs).toEqual(Array.from({ length: 12 }, (_, i) => `10.244.${i}.0/24`).sort());
});

test('the controller in-process (concurrency 8): 20 nodes created at once get 20 distinct, lowest ranges', async () => {
  fx.controllers.push(await startNodeIpamController({ store: fx.store, clock: fx.clock, concurrency: 8, informer: { blockMs: 50 }, registry: new Registry() }));
  const names = Array.from({ length: 20 }, (_, i) => `node-${i}`);
  await Promise.all(names.map((n) => fx.store.create('nodes', node(n))));
  await waitFor(async () => (await allocated()).size === 20, '20 nodes with a podCIDR');
  const cidrs = [...(await allocated()).values()];
  expect(new Set(cidrs).size).toBe(20);
  expect(cidrs.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `10.244.${i}.0/24`).sort());
  for (const n of (await fx.store.list('nodes')).items) expect(n.spec.podCIDRs).toEqual([n.spec.podCIDR]);
});

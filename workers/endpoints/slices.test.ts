import type { KubeObject } from '../../shared/api/types';
import { desiredEndpoints, OVER_CAPACITY_ANNOTATION } from './endpoints';
import { findPort } from './endpoint';
import { CONTROLLER_NAME, planSlices, type SlicePlan } from './slices';

const service = (spec: object = {}, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', uid: 'svc-uid', labels },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], ...spec },
});

interface PodOptions {
  ready?: boolean;
  ip?: string;
  deleting?: boolean;
  phase?: string;
  node?: string;
  port?: number;
  hostname?: string;
}

const pod = (i: number, o: PodOptions = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `web-${String(i).padStart(3, '0')}`, namespace: 'default', uid: `uid-${i}`, labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: o.node ?? 'n1', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: o.port ?? 8080 }] }], ...(o.hostname ? { hostname: o.hostname, subdomain: 'web' } : {}) },
  status: { phase: o.phase ?? 'Running', ...(o.ip === '' ? {} : { podIP: o.ip ?? `10.244.${Math.floor(i / 250)}.${(i % 250) + 2}` }), conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});

const nodes: Record<string, KubeObject> = { n1: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } } };
const node = (name: string) => nodes[name];
const pods = (n: number, o: PodOptions = {}) => Array.from({ length: n }, (_, i) => pod(i, o));

/** Applies a plan as the store would (names for created slices), returning the slices after. */
function apply(existing: KubeObject[], plan: SlicePlan): KubeObject[] {
  let n = existing.length;
  const gone = new Set(plan.remove.map((s) => s.metadata.name));
  const updated = new Map(plan.update.map((s) => [s.metadata.name, s]));
  return [...existing.filter((s) => !gone.has(s.metadata.name)).map((s) => updated.get(s.metadata.name) ?? s), ...plan.create.map((s) => ({ ...s, metadata: { ...s.metadata, name: `web-${n++}` } }))];
}
const endpointsIn = (slices: KubeObject[]) => slices.flatMap((s) => s.endpoints.map((e: any) => e.targetRef.name)).sort();

describe('planSlices', () => {
  test('one slice with upstream labels, owner, ports and endpoint fields', () => {
    const plan = planSlices(service({}, { tier: 'front' }), [pod(1, { hostname: 'one' })], node, []);
    expect(plan.update).toEqual([]);
    expect(plan.create).toHaveLength(1);
    const [slice] = plan.create;
    expect(slice.metadata).toMatchObject({
      generateName: 'web-',
      labels: { tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': CONTROLLER_NAME },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints).toEqual([
      { addresses: ['10.244.0.3'], conditions: { ready: true, serving: true, terminating: false }, hostname: 'one', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-001', uid: 'uid-1' }, nodeName: 'n1', zone: 'zone-a' },
    ]);
  });

  test.each([
    ['not ready', { ready: false }, { ready: false, serving: false, terminating: false }],
    ['terminating', { deleting: true }, { ready: false, serving: true, terminating: true }],
  ])('a %s pod is an endpoint with its conditions', (_name, o, conditions) => {
    expect(planSlices(service(), [pod(1, o)], node, []).create[0].endpoints[0].conditions).toEqual(conditions);
  });

  test('publishNotReadyAddresses makes every endpoint ready', () => {
    expect(planSlices(service({ publishNotReadyAddresses: true }), [pod(1, { ready: false })], node, []).create[0].endpoints[0].conditions.ready).toBe(true);
  });

  test('finished pods and pods without an address are left out', () => {
    expect(planSlices(service(), [pod(1, { phase: 'Succeeded' }), pod(2, { ip: '' })], node, []).create).toEqual([]);
  });

  test('pods resolving a named port differently go to different slices', () => {
    const plan = planSlices(service(), [pod(1, { port: 8080 }), pod(2, { port: 9090 })], node, []);
    expect(plan.create.map((s) => [s.ports[0].port, s.endpoints.length])).toEqual([
      [8080, 1],
      [9090, 1],
    ]);
  });

  test('scaling 3 → 150 → 0: at most 100 endpoints a slice, exactly the pods, and kept endpoints stay put', () => {
    let slices = apply([], planSlices(service(), pods(3), node, []));
    expect(slices.map((s) => s.endpoints.length)).toEqual([3]);
    slices = apply(slices, planSlices(service(), pods(150), node, slices));
    expect(slices.map((s) => s.endpoints.length)).toEqual([100, 50]);
    expect(endpointsIn(slices)).toEqual(pods(150).map((p) => p.metadata.name));
    expect(slices[0].metadata.name).toBe('web-0');
    expect(slices[0].endpoints.slice(0, 3).map((e: any) => e.targetRef.name)).toEqual(['web-000', 'web-001', 'web-002']);
    const plan = planSlices(service(), [], node, slices);
    expect(plan.remove).toHaveLength(2);
    expect(apply(slices, plan)).toEqual([]);
  });

  test('an unchanged service plans nothing; a readiness change updates only its slice', () => {
    const slices = apply([], planSlices(service(), pods(150), node, []));
    expect(planSlices(service(), pods(150), node, slices)).toEqual({ create: [], update: [], remove: [] });
    const changed = pods(150).map((p, i) => (i === 120 ? pod(120, { ready: false }) : p));
    const plan = planSlices(service(), changed, node, slices);
    expect(plan.update.map((s) => s.metadata.name)).toEqual(['web-1']);
    expect(plan.update[0].endpoints.find((e: any) => e.targetRef.name === 'web-120').conditions.ready).toBe(false);
  });

  test('new endpoints fill a slice with room before a new slice is made', () => {
    let slices = apply([], planSlices(service(), pods(150), node, []));
    slices = apply(slices, planSlices(service(), pods(140), node, slices));
    const plan = planSlices(service(), pods(180), node, slices);
    expect(plan.create).toEqual([]);
    expect(apply(slices, plan).map((s) => s.endpoints.length)).toEqual([100, 80]);
  });
});

describe('desiredEndpoints', () => {
  test('ready and not-ready addresses, sorted by IP, ports from the pods, skip-mirror label', () => {
    const ep = desiredEndpoints(service({}, { tier: 'front' }), [pod(12), pod(3, { ready: false }), pod(2), pod(4, { deleting: true })]);
    expect(ep.metadata).toMatchObject({ name: 'web', namespace: 'default', labels: { tier: 'front', 'endpointslice.kubernetes.io/skip-mirror': 'true' } });
    expect(ep.subsets).toEqual([
      {
        addresses: [
          { ip: '10.244.0.4', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-002', uid: 'uid-2' } },
          { ip: '10.244.0.14', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-012', uid: 'uid-12' } },
        ],
        notReadyAddresses: [{ ip: '10.244.0.5', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-003', uid: 'uid-3' } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  test('publishNotReadyAddresses: terminating and unready pods are ready addresses', () => {
    const ep = desiredEndpoints(service({ publishNotReadyAddresses: true }), [pod(1, { ready: false }), pod(2, { deleting: true })]);
    expect(ep.subsets[0].addresses.map((a: any) => a.targetRef.name)).toEqual(['web-001', 'web-002']);
    expect(ep.subsets[0].notReadyAddresses).toBeUndefined();
  });

  test('beyond 1000 addresses: truncated, with the over-capacity annotation', () => {
    const ep = desiredEndpoints(service(), pods(1005));
    expect(ep.subsets[0].addresses).toHaveLength(1000);
    expect(ep.metadata.annotations).toEqual({ [OVER_CAPACITY_ANNOTATION]: 'truncated' });
  });

  test('a headless service without ports gets addresses without ports, and the headless label', () => {
    const ep = desiredEndpoints(service({ clusterIP: 'None', ports: [] }), [pod(1)]);
    expect(ep.metadata.labels?.['service.kubernetes.io/headless']).toBe('');
    expect(ep.subsets).toEqual([{ addresses: [expect.objectContaining({ ip: '10.244.0.3' })] }]);
  });
});

test.each([
  [{ port: 80 }, 80],
  [{ port: 80, targetPort: 8080 }, 8080],
  [{ port: 80, targetPort: '9000' }, 9000],
  [{ port: 80, targetPort: 'http' }, 8080],
  [{ port: 80, targetPort: 'http', protocol: 'UDP' }, undefined],
  [{ port: 80, targetPort: 'metrics' }, undefined],
])('findPort(%j) = %j', (sp, want) => {
  expect(findPort(pod(1), sp)).toBe(want);
});

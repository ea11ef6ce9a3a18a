import type { KubeObject } from '../api/types';
import { pdbsForPod, pdbStatus } from './disruption';

const now = new Date('2026-01-01T00:10:00Z');

function pod(name: string, o: { ready?: boolean; deleting?: boolean; app?: string; rs?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: o.app ?? 'web' }, ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:09:00Z' } : {}), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.rs ?? 'web-1', uid: `uid-${o.rs ?? 'web-1'}`, controller: true }] },
    spec: {},
    status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

const pdb = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default', generation: 2 }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec }, status });
const pods = [pod('a'), pod('b'), pod('c', { ready: false }), pod('d', { deleting: true }), pod('other', { app: 'db' })];
const replicas = (n: number) => () => n;

test.each([
  ['minAvailable 2 of the 4 selected (a terminating one too, as upstream counts), 2 healthy', { minAvailable: 2 }, replicas(9), { expectedPods: 4, desiredHealthy: 2, currentHealthy: 2, disruptionsAllowed: 0 }],
  ['minAvailable 1', { minAvailable: 1 }, replicas(9), { expectedPods: 4, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 }],
  ['minAvailable 50% of the controller’s 4 replicas', { minAvailable: '50%' }, replicas(4), { expectedPods: 4, desiredHealthy: 2, currentHealthy: 2, disruptionsAllowed: 0 }],
  ['maxUnavailable 1 of 3 replicas', { maxUnavailable: 1 }, replicas(3), { expectedPods: 3, desiredHealthy: 2, currentHealthy: 2, disruptionsAllowed: 0 }],
  ['maxUnavailable 34% of 3, rounded up', { maxUnavailable: '34%' }, replicas(3), { expectedPods: 3, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 }],
  ['neither', {}, replicas(3), { desiredHealthy: 0, disruptionsAllowed: 2 }],
])('%s', (_what, spec, replicasOf, want) => {
  expect(pdbStatus(pdb(spec), pods, replicasOf, now)).toMatchObject({ observedGeneration: 2, ...want });
});

test('an eviction already allowed counts against the budget until its pod goes or two minutes pass', () => {
  const recent = pdb({ minAvailable: 1 }, { disruptedPods: { a: '2026-01-01T00:09:30Z', gone: '2026-01-01T00:09:30Z' } });
  expect(pdbStatus(recent, pods, replicas(3), now)).toMatchObject({ currentHealthy: 1, disruptionsAllowed: 0, disruptedPods: { a: '2026-01-01T00:09:30Z' } });
  const old = pdb({ minAvailable: 1 }, { disruptedPods: { a: '2026-01-01T00:07:00Z' } });
  expect(pdbStatus(old, pods, replicas(3), now)).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1 });
  expect(pdbStatus(old, pods, replicas(3), now).disruptedPods).toBeUndefined();
});

test('a PDB covers the pods its selector matches in its namespace', () => {
  expect(pdbsForPod(pod('a'), [pdb({})]).length).toBe(1);
  expect(pdbsForPod(pod('other', { app: 'db' }), [pdb({})])).toEqual([]);
  expect(pdbsForPod({ ...pod('a'), metadata: { ...pod('a').metadata, namespace: 'prod' } }, [pdb({})])).toEqual([]);
});

import type { KubeObject } from '../types';
import { leases } from './lease';
import { show } from './testing';

const lease = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'kube-scheduler', namespace: 'kube-system', creationTimestamp: '2024-05-01T11:00:00Z' },
  spec,
});

describe('Lease', () => {
  it.each<[string, KubeObject, string[]]>([
    ['valid', lease({ holderIdentity: 'sched-1', leaseDurationSeconds: 15, leaseTransitions: 0 }), []],
    ['zero duration', lease({ leaseDurationSeconds: 0 }), ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']],
    ['negative transitions', lease({ leaseTransitions: -1 }), ['spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0']],
  ])('%s', (_name, obj, want) => expect(show(leases.validate(obj))).toEqual(want));

  it('prints NAME HOLDER AGE', () => {
    expect(leases.columns.map((c) => c.name)).toEqual(['Name', 'Holder', 'Age']);
    expect(leases.row(lease({ holderIdentity: 'sched-1' }), new Date('2024-05-01T12:00:00Z'))).toEqual(['kube-scheduler', 'sched-1', '60m']);
    expect(leases.row(lease({}), new Date('2024-05-01T12:00:00Z'))[1]).toBe('');
  });
});

import type { KubeObject } from '../types';
import { nodeRoles, nodeStatus, nodes } from './node';
import { clone, show } from './testing';

function node(extra: Partial<KubeObject> = {}, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels, creationTimestamp: '2024-05-01T09:00:00Z' }, ...extra };
}

describe('Node', () => {
  it('copies capacity to allocatable when absent', () => {
    const n = node({ status: { capacity: { cpu: '4', pods: '110' } } });
    nodes.defaults(n);
    expect(n.status.allocatable).toEqual({ cpu: '4', pods: '110' });
    expect(nodes.keepStatusOnCreate).toBe(true);
  });

  it.each<[string, KubeObject, string[]]>([
    ['valid', node({ spec: { podCIDRs: ['10.244.1.0/24'] }, status: { capacity: { cpu: '4' } } }), []],
    ['bad name', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'Node_1' } }, [expect.stringContaining('metadata.name: Invalid value: "Node_1": a lowercase RFC 1123 subdomain')]],
    [
      'bad capacity',
      node({ status: { capacity: { cpu: 'four' }, allocatable: { cpu: '-1' } } }),
      [expect.stringMatching(/^status.capacity.cpu: Invalid value: "four": quantities must match/), 'status.allocatable.cpu: Invalid value: "-1": must be greater than or equal to 0'],
    ],
    ['bad cidr', node({ spec: { podCIDRs: ['10.0.0.0'] } }), ['spec.podCIDRs[0]: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    [
      'taints',
      node({ spec: { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'Never' }] } }),
      [
        'metadata.taints[1]: Duplicate value: {"Key":"a","Value":"","Effect":"NoSchedule","TimeAdded":null}: taints must be unique by key and effect pair',
        'metadata.taints[2].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ],
    ],
  ])('%s', (_name, obj, want) => {
    nodes.defaults(obj);
    expect(show(nodes.validate(obj))).toEqual(want);
  });

  it('keeps podCIDRs once set', () => {
    const old = node({ spec: { podCIDRs: ['10.244.1.0/24'] } });
    const next = clone(old);
    next.spec.podCIDRs = ['10.244.2.0/24'];
    expect(show(nodes.validateUpdate!(next, old))).toEqual(['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
    const unset = node();
    expect(nodes.validateUpdate!(clone(old), unset)).toEqual([]);
  });

  it.each([
    [{ status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'Ready'],
    [{ status: { conditions: [{ type: 'Ready', status: 'False' }] } }, 'NotReady'],
    [{ status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }, 'NotReady'],
    [{}, 'Unknown'],
    [{ spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'Ready,SchedulingDisabled'],
  ])('status of %j is %s', (extra, want) => expect(nodeStatus(node(extra as Partial<KubeObject>))).toBe(want));

  it('finds roles from labels', () => {
    expect(nodeRoles(node({}, { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master', 'node-role.kubernetes.io/': 'x' }))).toBe('control-plane,master');
    expect(nodeRoles(node())).toBe('<none>');
  });

  it('prints NAME STATUS ROLES AGE VERSION and the wide columns', () => {
    const n = node(
      { status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '172.18.0.2' }], nodeInfo: { kubeletVersion: 'v1.31.0', osImage: 'Debian GNU/Linux 12 (bookworm)' } } },
      { 'node-role.kubernetes.io/control-plane': '' },
    );
    expect(nodes.columns.map((c) => c.name)).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
    expect(nodes.row(n, new Date('2024-05-01T12:00:00Z'))).toEqual(['node-1', 'Ready', 'control-plane', '3h', 'v1.31.0', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '<unknown>', '<unknown>']);
  });
});

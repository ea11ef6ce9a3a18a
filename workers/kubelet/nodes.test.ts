import { internalIP, mergeNodeStatus, nodeObject, nodeStatus, simNodes } from './nodes';
import { dns1123Label, loadKubeletSettings } from './settings';

const settings = loadKubeletSettings({}, 'Build_Host.example');

test.each([
  ['Build_Host.example', 'build-host-example'],
  ['abc123', 'abc123'],
  ['--x--', 'x'],
  ['___', 'kubeq-node'],
  ['a'.repeat(70), 'a'.repeat(50)],
])('dns1123Label(%j) = %j', (raw, want) => {
  expect(dns1123Label(raw)).toBe(want);
});

test('settings: defaults, and overrides from the environment', () => {
  expect(settings).toEqual({ nodePrefix: 'build-host-example', firstIndex: 0, cpu: '4', memory: '8Gi', pods: '110', pool: 'default', instanceType: 'kubeq.sim', taints: [] });
  const env = { KUBEQ_NODE_PREFIX: 'pool-a', KUBEQ_NODE_CPU: '8', KUBEQ_NODE_MEMORY: '16Gi', KUBEQ_NODE_PODS: '50', KUBEQ_NODE_POOL: 'gpu' };
  expect(loadKubeletSettings(env, 'h')).toMatchObject({ nodePrefix: 'pool-a', cpu: '8', memory: '16Gi', pods: '50', pool: 'gpu' });
  expect(() => loadKubeletSettings({ KUBEQ_NODE_PREFIX: 'Bad_Prefix' }, 'h')).toThrow('not a DNS-1123 label');
  expect(loadKubeletSettings({ KUBEQ_NODE_INDEX: '4' }, 'h').firstIndex).toBe(4);
  expect(() => loadKubeletSettings({ KUBEQ_NODE_INDEX: '-1' }, 'h')).toThrow('KUBEQ_NODE_INDEX');
  expect(loadKubeletSettings({ KUBEQ_NODE_TAINTS: 'dedicated=gpu:NoSchedule, spot:NoExecute' }, 'h').taints).toEqual([
    { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    { key: 'spot', effect: 'NoExecute' },
  ]);
  expect(() => loadKubeletSettings({ KUBEQ_NODE_TAINTS: 'dedicated=gpu:Sometimes' }, 'h')).toThrow('KUBEQ_NODE_TAINTS: "dedicated=gpu:Sometimes"');
});

test.each([
  [0, '172.20.32.10'],
  [1, '172.20.32.11'],
  [300, '172.20.33.54'],
])('internalIP(%d) = %s', (i, want) => {
  expect(internalIP(i)).toBe(want);
});

test('simNodes names, addresses and fallback pod ranges', () => {
  expect(simNodes(2, 'sim')).toEqual([
    { index: 0, name: 'sim-0', hostIP: '172.20.32.10', fallbackCIDR: '10.244.0.0/24' },
    { index: 1, name: 'sim-1', hostIP: '172.20.32.11', fallbackCIDR: '10.244.1.0/24' },
  ]);
  expect(simNodes(1, 'b', 5)).toEqual([{ index: 5, name: 'b-0', hostIP: '172.20.32.15', fallbackCIDR: '10.244.5.0/24' }]);
});

test('the registered Node', () => {
  const [node] = simNodes(1, 'sim');
  const obj = nodeObject(node, settings, '2026-01-01T00:00:00Z');
  expect(obj.metadata.labels).toMatchObject({
    'kubernetes.io/hostname': 'sim-0',
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'node.kubernetes.io/instance-type': 'kubeq.sim',
    'kubeq.io/node-pool': 'default',
  });
  expect(obj.status.capacity).toMatchObject({ cpu: '4', memory: '8Gi', pods: '110' });
  expect(obj.status.allocatable).toEqual(obj.status.capacity);
  expect(obj.status.addresses).toEqual([{ type: 'InternalIP', address: '172.20.32.10' }, { type: 'Hostname', address: 'sim-0' }]);
  expect(obj.status.nodeInfo.kubeletVersion).toBe('v1.32.0');
  expect(obj.spec).toEqual({});
  const tainted = nodeObject(node, { ...settings, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }, '2026-01-01T00:00:00Z');
  expect(tainted.spec.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  expect(obj.status.conditions.map((c: any) => [c.type, c.status])).toEqual([
    ['MemoryPressure', 'False'],
    ['DiskPressure', 'False'],
    ['PIDPressure', 'False'],
    ['Ready', 'True'],
  ]);
  expect(obj.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ reason: 'KubeletReady', message: 'kubelet is posting ready status' });
});

test('an unchanged node keeps its stored conditions (no write); a changed one takes the new', () => {
  const [node] = simNodes(1, 'sim');
  const stored = nodeStatus(node, settings, '2026-01-01T00:00:00Z');
  const later = nodeStatus(node, settings, '2026-01-01T01:00:00Z');
  expect(mergeNodeStatus(stored, later)).toEqual(stored);
  const notReady = { ...stored, conditions: stored.conditions.map((c: any) => (c.type === 'Ready' ? { ...c, status: 'False' } : c)) };
  expect(mergeNodeStatus(notReady, later).conditions.find((c: any) => c.type === 'Ready').lastTransitionTime).toBe('2026-01-01T01:00:00Z');
});

import type { KubeObject } from '../../shared/api/types';
import { lastHeardFrom, latestInstant, silentAfter, unknownConditions } from './nodelifecycle-health';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const micro = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/Z$/, '000Z');

function node(conditions?: Record<string, string>, heartbeat = 0): KubeObject {
  const list = conditions && Object.entries(conditions).map(([type, status]) => ({ type, status, reason: 'Kubelet', message: 'm', lastHeartbeatTime: at(heartbeat), lastTransitionTime: at(heartbeat) }));
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', creationTimestamp: at(0) }, status: list ? { conditions: list } : {} };
}
const lease = (renewedAt: number): KubeObject => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n', namespace: 'kube-node-lease' }, spec: { renewTime: micro(renewedAt) } });
const periods = { gracePeriodMs: 50_000, startupGracePeriodMs: 60_000 };

test.each([
  ['seconds precision: the end of its second', '2026-01-01T00:00:05Z', T0 + 5999],
  ['with an offset', '2026-01-01T01:00:05+01:00', T0 + 5999],
  ['milliseconds: as written', '2026-01-01T00:00:05.250Z', T0 + 5250],
  ['MicroTime', '2026-01-01T00:00:05.250000Z', T0 + 5250],
  ['absent', undefined, NaN],
])('latestInstant: %s', (_name, time, want) => expect(latestInstant(time)).toBe(want));

test.each([
  ['creation only', node(), undefined, T0 + 999],
  ['the lease renewal when newer', node({ Ready: 'True' }, 3), lease(40), T0 + 40_000],
  ['the Ready heartbeat when newer', node({ Ready: 'True' }, 45), lease(40), T0 + 45_999],
])('lastHeardFrom: %s', (_name, n, l, want) => expect(lastHeardFrom(n, l)).toBe(want));

test.each([
  ['posted Ready: grace from the last renewal', node({ Ready: 'True' }), lease(30), T0 + 80_000],
  ['never posted Ready: startup grace from the last renewal', node(), lease(30), T0 + 90_000],
  ['never posted Ready, no lease: startup grace from creation', node(), undefined, T0 + 60_999],
])('silentAfter: %s', (_name, n, l, want) => expect(silentAfter(n, l, periods)).toBe(want));

test('unknownConditions: monitored conditions go Unknown with upstream reasons; heartbeats and NetworkUnavailable stay', () => {
  const n = node({ Ready: 'True', MemoryPressure: 'False', NetworkUnavailable: 'False' }, 7);
  expect(unknownConditions(n, at(99))).toEqual([
    { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: at(7), lastTransitionTime: at(99) },
    { type: 'MemoryPressure', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: at(7), lastTransitionTime: at(99) },
    { type: 'NetworkUnavailable', status: 'False', reason: 'Kubelet', message: 'm', lastHeartbeatTime: at(7), lastTransitionTime: at(7) },
    { type: 'DiskPressure', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: at(0), lastTransitionTime: at(99) },
    { type: 'PIDPressure', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: at(0), lastTransitionTime: at(99) },
  ]);
  expect(n.status.conditions[0].status).toBe('True'); // the input is not changed
});

test('unknownConditions: nothing to change once every monitored condition is Unknown', () => {
  expect(unknownConditions(node({ Ready: 'Unknown', MemoryPressure: 'Unknown', DiskPressure: 'Unknown', PIDPressure: 'Unknown' }), at(99))).toBeUndefined();
});

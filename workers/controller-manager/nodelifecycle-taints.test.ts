import type { Taint } from '../../shared/api/taints';
import type { KubeObject } from '../../shared/api/types';
import { noExecuteTaints, noScheduleTaints, withOwnedTaints, type EvictionVerdict } from './nodelifecycle-taints';

const UNREACHABLE = 'node.kubernetes.io/unreachable';
const NOT_READY = 'node.kubernetes.io/not-ready';
const T = '2026-01-01T00:00:00Z';
const LATER = '2026-01-01T00:05:00Z';

function node(conditions: Record<string, string>, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec, status: { conditions: Object.entries(conditions).map(([type, status]) => ({ type, status })) } };
}

test.each([
  ['healthy: none', { Ready: 'True', MemoryPressure: 'False' }, {}, []],
  ['Ready Unknown: unreachable', { Ready: 'Unknown' }, {}, [UNREACHABLE]],
  ['Ready False: not-ready', { Ready: 'False' }, {}, [NOT_READY]],
  ['pressures and a network down', { Ready: 'True', MemoryPressure: 'True', DiskPressure: 'True', PIDPressure: 'True', NetworkUnavailable: 'True' }, {}, ['node.kubernetes.io/memory-pressure', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/network-unavailable']],
  ['cordoned', { Ready: 'True' }, { unschedulable: true }, ['node.kubernetes.io/unschedulable']],
])('noScheduleTaints: %s', (_name, conditions, spec, keys) => {
  expect(noScheduleTaints(node(conditions, spec))).toEqual(keys.map((key) => ({ key, effect: 'NoSchedule' })));
});

const ne = (key: string, timeAdded?: string): Taint => ({ key, effect: 'NoExecute', ...(timeAdded ? { timeAdded } : {}) });

test.each<[string, string | undefined, Taint[], EvictionVerdict, Taint[]]>([
  ['Unknown: unreachable added', 'Unknown', [], 'taint', [ne(UNREACHABLE)]],
  ['False: not-ready added', 'False', [], 'taint', [ne(NOT_READY)]],
  ['Unknown, already there: kept with its time', 'Unknown', [ne(UNREACHABLE, T)], 'taint', [ne(UNREACHABLE, T)]],
  ['Unknown, held: none added', 'Unknown', [], 'hold', []],
  ['Unknown, held, kept', 'Unknown', [ne(UNREACHABLE, T)], 'hold', [ne(UNREACHABLE, T)]],
  ['False, held, unreachable present: swapped at once', 'False', [ne(UNREACHABLE, T)], 'hold', [ne(NOT_READY)]],
  ['every zone down: removed', 'Unknown', [ne(UNREACHABLE, T)], 'untaint', []],
  ['Ready again: removed', 'True', [ne(UNREACHABLE, T)], 'taint', []],
  ['no Ready condition: left as is', undefined, [ne(NOT_READY, T)], 'taint', [ne(NOT_READY, T)]],
  ["someone else's NoExecute taints are not ours", 'True', [ne('example.com/drain', T)], 'taint', []],
])('noExecuteTaints: %s', (_name, ready, present, verdict, want) => {
  expect(noExecuteTaints(ready, present, verdict)).toEqual(want);
});

test.each<[string, Taint[], Taint[], Taint[] | undefined]>([
  ['adds with timeAdded, after the others', [{ key: 'gpu', effect: 'NoSchedule' }], [{ key: UNREACHABLE, effect: 'NoSchedule' }, ne(UNREACHABLE)], [{ key: 'gpu', effect: 'NoSchedule' }, { key: UNREACHABLE, effect: 'NoSchedule', timeAdded: LATER }, ne(UNREACHABLE, LATER)]],
  ['keeps present ones as they are', [ne(UNREACHABLE, T), { key: UNREACHABLE, effect: 'NoSchedule' }], [{ key: UNREACHABLE, effect: 'NoSchedule' }, ne(UNREACHABLE)], undefined],
  ['removes owned ones no longer wanted, never others', [{ key: UNREACHABLE, effect: 'NoSchedule', timeAdded: T }, ne(UNREACHABLE, T), { key: UNREACHABLE, effect: 'PreferNoSchedule' }], [], [{ key: UNREACHABLE, effect: 'PreferNoSchedule' }]],
  ['nothing owned, nothing wanted', [{ key: 'gpu', effect: 'NoExecute' }], [], undefined],
])('withOwnedTaints: %s', (_name, current, wanted, want) => {
  expect(withOwnedTaints(node({}, { taints: current }), wanted, LATER)).toEqual(want);
});

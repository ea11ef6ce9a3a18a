import type { Taint, Toleration } from '../../shared/api/taints';
import type { KubeObject } from '../../shared/api/types';
import { boundAt, evictionDue } from './tainteviction-decision';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** A seconds-precision time reads as the end of its second. */
const end = (s: number) => T0 + s * 1000 + 999;

const unreachable = (addedAt?: number): Taint => ({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', ...(addedAt === undefined ? {} : { timeAdded: at(addedAt) }) });
const tolerate = (key: string, seconds?: number): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', ...(seconds === undefined ? {} : { tolerationSeconds: seconds }) });
const defaults = [tolerate('node.kubernetes.io/not-ready', 300), tolerate('node.kubernetes.io/unreachable', 300)];

test.each<[string, Taint[], Toleration[], number, number | undefined]>([
  ['no taints: stays', [], defaults, end(0), undefined],
  ['only NoSchedule taints: stays', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }], [], end(0), undefined],
  ['an untolerated NoExecute taint: at once', [unreachable(10)], [], end(0), Number.NEGATIVE_INFINITY],
  ['the default 300 s from timeAdded', [unreachable(10)], defaults, end(0), end(10) + 300_000],
  ['bound after the taint: from the binding', [unreachable(10)], defaults, end(100), end(100) + 300_000],
  ['no timeAdded: from the binding', [unreachable()], defaults, end(20), end(20) + 300_000],
  ['tolerated for ever: stays', [unreachable(10)], [tolerate('node.kubernetes.io/unreachable')], end(0), undefined],
  ['tolerationSeconds 0: at once', [unreachable(10)], [tolerate('node.kubernetes.io/unreachable', 0)], end(0), Number.NEGATIVE_INFINITY],
  ['the first matching toleration counts', [unreachable(10)], [tolerate('node.kubernetes.io/unreachable', 60), tolerate('', 1)], end(0), end(10) + 60_000],
  ['the earliest deadline of several taints', [unreachable(10), { key: 'drain', effect: 'NoExecute', timeAdded: at(50) }], [...defaults, tolerate('drain', 30)], end(0), end(50) + 30_000],
  ['one taint untolerated among tolerated ones: at once', [unreachable(10), { key: 'drain', effect: 'NoExecute' }], defaults, end(0), Number.NEGATIVE_INFINITY],
])('evictionDue: %s', (_name, taints, tolerations, bound, want) => {
  expect(evictionDue(taints, tolerations, bound, (ms) => ms)).toBe(want);
});

test('evictionDue counts tolerationSeconds on the scaled clock', () => {
  expect(evictionDue([unreachable(10)], defaults, end(0), (ms) => ms / 100)).toBe(end(10) + 3_000);
});

test.each<[string, KubeObject, number]>([
  ['PodScheduled True', { apiVersion: 'v1', kind: 'Pod', metadata: { creationTimestamp: at(1) }, status: { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: at(5) }] } }, end(5)],
  ['not scheduled by a scheduler: its creation', { apiVersion: 'v1', kind: 'Pod', metadata: { creationTimestamp: at(1) }, spec: { nodeName: 'n' } }, end(1)],
])('boundAt: %s', (_name, pod, want) => expect(boundAt(pod)).toBe(want));

import type { KubeObject } from '../../shared/api/types';
import { evictionVerdict, readinessByZone, zoneKey, zoneState } from './nodelifecycle-zones';

const T = 'True';
const U = 'Unknown';

test.each([
  ['all ready', [T, T, T], 'Normal'],
  ['none ready', [U, U], 'FullDisruption'],
  ['one node, gone', [U], 'FullDisruption'],
  ['no Ready condition counts as not ready', [undefined], 'FullDisruption'],
  ['2 of 3 down: at most 2 is never partial', [U, U, T], 'Normal'],
  ['3 of 5 down (60% ≥ 55%)', [U, U, U, T, T], 'PartialDisruption'],
  ['3 of 6 down (50% < 55%)', [U, U, 'False', T, T, T], 'Normal'],
])('zoneState: %s', (_name, statuses, want) => expect(zoneState(statuses, 0.55)).toBe(want));

const zones = (entries: Record<string, (string | undefined)[]>) => new Map(Object.entries(entries));

test.each([
  ['a healthy zone: taint', { a: [U, T, T] }, 'a', 'taint'],
  ['every zone fully down: untaint', { a: [U, U], b: [U] }, 'a', 'untaint'],
  ['the only node down: untaint (upstream never evicts the whole cluster)', { a: [U] }, 'a', 'untaint'],
  ['one zone fully down, another healthy: taint', { a: [U, U], b: [T] }, 'a', 'taint'],
  ['a small zone partially down: hold', { a: [U, U, U, T] }, 'a', 'hold'],
  ['a large zone partially down: taint (no rate limit here)', { a: [...Array(40).fill(U), ...Array(11).fill(T)] }, 'a', 'taint'],
  ['a zone with no counted node: taint', { a: [U] }, 'other', 'taint'],
])('evictionVerdict: %s', (_name, entries, zone, want) => expect(evictionVerdict(zones(entries), zone)).toBe(want));

const node = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });

test.each([
  ['no labels', {}, ''],
  ['GA labels', { 'topology.kubernetes.io/region': 'eu', 'topology.kubernetes.io/zone': 'eu-1' }, 'eu:\u0000:eu-1'],
  ['beta labels win', { 'failure-domain.beta.kubernetes.io/zone': 'old', 'topology.kubernetes.io/zone': 'new' }, ':\u0000:old'],
])('zoneKey: %s', (_name, labels, want) => expect(zoneKey(node('n', labels))).toBe(want));

test('readinessByZone groups by zone and leaves out excluded nodes', () => {
  const nodes = [node('a'), node('b', { 'topology.kubernetes.io/zone': 'z' }), node('c', { 'node.kubernetes.io/exclude-disruption': '' })];
  expect(readinessByZone(nodes, (n) => (n.metadata.name === 'a' ? T : U))).toEqual(zones({ '': [T], ':\u0000:z': [U] }));
});

import { makePod } from '../../shared/scheduling/testing';
import { seededRandom } from '../../shared/scheduling/framework/random';
import { bestOption, narrow, parsePriorities, wasteScore, type Option } from './expanders';
import { group } from './testing';

const pods = (n: number, cpu: string, memory = '0') => Array.from({ length: n }, (_, i) => makePod({ name: `p${i}`, requests: [{ cpu, memory }] }));
const option = (name: string, nodeCount: number, podList = pods(1, '1')): Option => ({ group: group(name, { cpu: '4', memory: '8Gi' }), nodeCount, pods: podList });
const ctx = { random: seededRandom(1) };
const names = (options: Option[]) => options.map((o) => o.group.name);

test('least-waste: idle cpu fraction plus idle memory fraction of the new nodes', () => {
  // 2 nodes of 4 cpu / 8Gi for 3 cpu and 4Gi: (8-3)/8 + (16-4)/16.
  expect(wasteScore(option('a', 2, pods(3, '1', '4Gi').slice(0, 1).concat(pods(2, '1'))))).toBeCloseTo(5 / 8 + 12 / 16);
  const options = [option('big', 2, pods(3, '1')), option('snug', 1, pods(4, '1'))];
  const scores = {};
  expect(names(narrow('least-waste', options, ctx, scores))).toEqual(['snug']);
  expect(scores).toEqual({ big: 5 / 8 + 1, snug: 0 + 1 });
});

test('most-pods keeps every option scheduling the most pods', () => {
  const options = [option('a', 1, pods(2, '1')), option('b', 3, pods(5, '1')), option('c', 2, pods(5, '1'))];
  expect(names(narrow('most-pods', options, ctx, {}))).toEqual(['b', 'c']);
});

describe('priority', () => {
  const config = (priorities: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-autoscaler-priority-expander', namespace: 'kube-system' }, data: { priorities } });
  const options = [option('spot-a', 1), option('on-demand', 1), option('spot-b', 1)];

  test('the highest priority whose expression matches the group', () => {
    const priorityConfig = config('10:\n  - .*\n50:\n  - spot-.*\n');
    expect(names(narrow('priority', options, { ...ctx, priorityConfig }, {}))).toEqual(['spot-a', 'spot-b']);
    expect(parsePriorities('10:\n  - .*\n50:\n  - spot-.*\n').map(([p]) => p)).toEqual([50, 10]);
  });

  test('no ConfigMap or no match leaves every option', () => {
    expect(names(narrow('priority', options, ctx, {}))).toEqual(['spot-a', 'on-demand', 'spot-b']);
    expect(names(narrow('priority', options, { ...ctx, priorityConfig: config('5:\n  - gpu-.*\n') }, {}))).toEqual(['spot-a', 'on-demand', 'spot-b']);
  });

  test('a malformed ConfigMap is refused with a reason', () => {
    expect(() => parsePriorities('- a\n- b\n')).toThrow('priorities must be a map of priority to a list of regular expressions');
    expect(() => parsePriorities('high:\n  - a\n')).toThrow('priority "high" is not an integer');
  });
});

test('a chain narrows in turn; random breaks the remaining tie, the same way for the same seed', () => {
  const options = [option('a', 1, pods(2, '1')), option('b', 1, pods(2, '1')), option('c', 1, pods(1, '1'))];
  const first = bestOption(['most-pods'], options, { random: seededRandom(7) });
  expect(['a', 'b']).toContain(first.option!.group.name);
  expect(first.scores).toEqual({ 'most-pods': { a: 2, b: 2, c: 1 } });
  expect(bestOption(['most-pods'], options, { random: seededRandom(7) }).option!.group.name).toBe(first.option!.group.name);
  expect(bestOption(['random'], [], ctx).option).toBeUndefined();
  expect(bestOption(['least-waste'], [options[2]], ctx).option!.group.name).toBe('c');
});

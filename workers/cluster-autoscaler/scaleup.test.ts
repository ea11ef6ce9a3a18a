import { buildNodeInfos } from '../../shared/scheduling/framework/node-info';
import { seededRandom } from '../../shared/scheduling/framework/random';
import { DEFAULT_PROFILE } from '../../shared/scheduling/profile';
import { makePod } from '../../shared/scheduling/testing';
import { planScaleUp, scaleUpInfo } from './scaleup';
import { group, readyNode } from './testing';

const sim = { profile: DEFAULT_PROFILE };
const ctx = { random: seededRandom(1) };
const pod = (name: string, cpu: string, spec: Record<string, unknown> = {}) => makePod({ name, requests: [{ cpu }], spec });
const existing = buildNodeInfos([readyNode('static', '500m')], []);

test('only the group whose nodes pass the filters grows, by as many nodes as binpacking needs', () => {
  const general = group('general', { max: 5 });
  const ssd = group('ssd', { max: 5, labels: { disktype: 'ssd' } });
  const pods = ['a', 'b', 'c'].map((n) => pod(n, '1200m', { nodeSelector: { disktype: 'ssd' } }));
  const plan = planScaleUp(pods, [{ group: general, target: 0 }, { group: ssd, target: 1 }], existing, sim, ['least-waste'], ctx);
  expect(plan.scaleUp).toEqual({ group: ssd, from: 1, to: 4 });
  expect(scaleUpInfo(plan.scaleUp!)).toBe('{ssd 1->4 (max: 5)}');
  expect(plan.triggered).toEqual(pods);
  expect(plan.verdicts).toEqual([{ group: 'general', result: 'no-fit' }, { group: 'ssd', result: 'option', nodeCount: 3, pods: 3 }]);
});

test('never past max: the pods beyond it stay pending', () => {
  const ssd = group('ssd', { max: 2 });
  const pods = ['a', 'b', 'c'].map((n) => pod(n, '1200m'));
  const plan = planScaleUp(pods, [{ group: ssd, target: 0 }], existing, sim, ['random'], ctx);
  expect(plan.scaleUp).toEqual({ group: ssd, from: 0, to: 2 });
  expect(plan.triggered.map((p) => p.metadata.name)).toEqual(['a', 'b']);
});

test("no group helps: upstream's reasons, counted per group", () => {
  const full = group('full', { max: 2 });
  const small = group('small', { cpu: '1' });
  const tainted = group('tainted', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] });
  const p = pod('big', '1500m');
  const plan = planScaleUp([p], [{ group: full, target: 2 }, { group: small, target: 0 }, { group: tainted, target: 0 }], existing, sim, ['random'], ctx);
  expect(plan.scaleUp).toBeUndefined();
  expect(plan.noScaleUp.get(p)).toBe('1 Insufficient cpu, 1 max node group size reached, 1 node(s) had untolerated taint {gpu: }');
  expect(plan.verdicts.map((v) => v.result)).toEqual(['skipped', 'no-fit', 'no-fit']);
});

test('a group backed off after a failed scale-up is skipped, as upstream words it', () => {
  const p = pod('a', '1');
  const plan = planScaleUp([p], [{ group: group('pool'), target: 0, backoff: true }], existing, sim, ['random'], ctx);
  expect(plan.scaleUp).toBeUndefined();
  expect(plan.noScaleUp.get(p)).toBe('1 in backoff after failed scale-up');
});

test('the expander picks among the groups that help', () => {
  const big = group('big', { cpu: '8', memory: '8Gi' });
  const small = group('small', { cpu: '2', memory: '8Gi' });
  const pods = ['a', 'b'].map((n) => pod(n, '900m'));
  const plan = planScaleUp(pods, [{ group: big, target: 0 }, { group: small, target: 0 }], existing, sim, ['least-waste'], ctx);
  // big: (8-1.8)/8 + 1 = 1.775; small: (2-1.8)/2 + 1 = 1.1.
  expect(plan.scaleUp).toEqual({ group: small, from: 0, to: 1 });
  expect(plan.scores['least-waste']).toEqual({ big: expect.closeTo(1.775), small: expect.closeTo(1.1) });
});

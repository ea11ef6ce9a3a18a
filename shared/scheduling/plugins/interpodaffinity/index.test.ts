import type { KubeObject } from '../../../api/types';
import { runCycle } from '../../framework/cycle';
import { buildNodeInfos } from '../../framework/node-info';
import { ALL_NODES_KEY, LISTER_KEY, type NodeScore } from '../../framework/plugin';
import { seededRandom } from '../../framework/random';
import { makeNode, makePod } from '../../testing';
import { ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY, interPodAffinity, NAME } from './index';

const term = (key: string, values: string[], topologyKey: string, extra: Record<string, unknown> = {}) => ({
  labelSelector: { matchExpressions: [{ key, operator: 'In', values }] },
  topologyKey,
  ...extra,
});
const withAffinity = (labels: Record<string, string>, affinity: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  makePod({ name: 'incoming', labels, spec: { affinity }, ...extra });
const required = (kind: 'podAffinity' | 'podAntiAffinity', ...terms: unknown[]) => ({ [kind]: { requiredDuringSchedulingIgnoredDuringExecution: terms } });

const nodes = [
  makeNode('n1', { labels: { region: 'r1', zone: 'z11' } }),
  makeNode('n2', { labels: { region: 'r1', zone: 'z12' } }),
  makeNode('n3', { labels: { region: 'r2', zone: 'z21' } }),
  makeNode('bare', {}),
];

function filterAll(pod: KubeObject, existing: KubeObject[], namespaceLabels?: Map<string, Record<string, string>>) {
  const infos = buildNodeInfos(
    nodes.map((n) => ({ ...n, metadata: { ...n.metadata, labels: n.metadata.name === 'bare' ? {} : n.metadata.labels } })),
    existing,
  );
  const state = new Map<string, unknown>([[ALL_NODES_KEY, infos]]);
  if (namespaceLabels) {
    const namespaces = [...namespaceLabels].map(([name, labels]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }));
    state.set(LISTER_KEY, { get: (key: string) => namespaces.find((n) => `namespaces/${n.metadata.name}` === key), list: () => namespaces });
  }
  interPodAffinity.preFilter!(state, pod, infos);
  return Object.fromEntries(infos.map((n) => [n.name, interPodAffinity.filter!(state, pod, n).reasons[0] ?? 'ok']));
}

const secure = (nodeName: string, extra: Parameters<typeof makePod>[0] = {}) => makePod({ name: `s-${nodeName}`, nodeName, labels: { service: 'securityscan' }, ...extra });

// After Kubernetes' TestRequiredAffinitySingleNode / TestRequiredAffinityMultipleNodes.
describe(`${NAME} Filter`, () => {
  const cases: { name: string; pod: KubeObject; existing: KubeObject[]; nsLabels?: Map<string, Record<string, string>>; want: Record<string, string> }[] = [
    { name: 'no affinity: every node', pod: makePod({ name: 'incoming' }), existing: [secure('n1')], want: { n1: 'ok', n2: 'ok', n3: 'ok', bare: 'ok' } },
    {
      name: 'affinity In: nodes in the matching pod’s region; nodes without the topology label never',
      pod: withAffinity({}, required('podAffinity', term('service', ['securityscan', 'value2'], 'region'))),
      existing: [secure('n1')],
      want: { n1: 'ok', n2: 'ok', n3: ERR_REASON_AFFINITY, bare: ERR_REASON_AFFINITY },
    },
    {
      name: 'affinity only counts pods in the term namespace (the pod’s own by default)',
      pod: withAffinity({}, required('podAffinity', term('service', ['securityscan'], 'region'))),
      existing: [secure('n1', { namespace: 'other' })],
      want: { n1: ERR_REASON_AFFINITY, n2: ERR_REASON_AFFINITY, n3: ERR_REASON_AFFINITY, bare: ERR_REASON_AFFINITY },
    },
    {
      name: 'namespaceSelector selects namespaces by label',
      pod: withAffinity({}, required('podAffinity', term('service', ['securityscan'], 'region', { namespaceSelector: { matchLabels: { team: 'sec' } } }))),
      existing: [secure('n1', { namespace: 'other' })],
      nsLabels: new Map([['other', { team: 'sec' }]]),
      want: { n1: 'ok', n2: 'ok', n3: ERR_REASON_AFFINITY, bare: ERR_REASON_AFFINITY },
    },
    {
      name: 'the first pod of a self-affine group may go anywhere with the topology label',
      pod: withAffinity({ service: 'securityscan' }, required('podAffinity', term('service', ['securityscan'], 'region'))),
      existing: [],
      want: { n1: 'ok', n2: 'ok', n3: 'ok', bare: ERR_REASON_AFFINITY },
    },
    {
      name: 'anti-affinity keeps the pod out of the matching pod’s zone only',
      pod: withAffinity({}, required('podAntiAffinity', term('service', ['securityscan'], 'zone'))),
      existing: [secure('n1')],
      want: { n1: ERR_REASON_ANTI_AFFINITY, n2: 'ok', n3: 'ok', bare: 'ok' },
    },
    {
      name: 'anti-affinity by region',
      pod: withAffinity({}, required('podAntiAffinity', term('service', ['securityscan'], 'region'))),
      existing: [secure('n1')],
      want: { n1: ERR_REASON_ANTI_AFFINITY, n2: ERR_REASON_ANTI_AFFINITY, n3: 'ok', bare: 'ok' },
    },
    {
      name: 'an existing pod’s anti-affinity keeps the incoming pod out of its domain',
      pod: makePod({ name: 'incoming', labels: { app: 'web' } }),
      existing: [makePod({ name: 'loner', nodeName: 'n3', spec: { affinity: required('podAntiAffinity', term('app', ['web'], 'region')) } })],
      want: { n1: 'ok', n2: 'ok', n3: ERR_REASON_EXISTING_ANTI_AFFINITY, bare: 'ok' },
    },
    {
      name: 'an absent labelSelector selects nothing',
      pod: withAffinity({}, required('podAntiAffinity', { topologyKey: 'zone' })),
      existing: [secure('n1')],
      want: { n1: 'ok', n2: 'ok', n3: 'ok', bare: 'ok' },
    },
  ];
  it.each(cases)('$name', ({ pod, existing, nsLabels, want }) => {
    expect(filterAll(pod, existing, nsLabels)).toEqual(want);
  });

  it('affinity rejection is unresolvable, anti-affinity is not', () => {
    const infos = buildNodeInfos([nodes[2]], [secure('n1')]);
    const state = new Map<string, unknown>([[ALL_NODES_KEY, infos]]);
    const aff = withAffinity({}, required('podAffinity', term('service', ['securityscan'], 'region')));
    expect(interPodAffinity.filter!(state, aff, infos[0]).code).toBe('UnschedulableAndUnresolvable');
    const infos2 = buildNodeInfos([nodes[0]], [secure('n1')]);
    const anti = withAffinity({}, required('podAntiAffinity', term('service', ['securityscan'], 'zone')));
    expect(interPodAffinity.filter!(new Map([[ALL_NODES_KEY, infos2]]), anti, infos2[0]).code).toBe('Unschedulable');
  });
});

describe(`${NAME} Score + NormalizeScore`, () => {
  const preferred = (kind: 'podAffinity' | 'podAntiAffinity', ...terms: [number, unknown][]) => ({
    [kind]: { preferredDuringSchedulingIgnoredDuringExecution: terms.map(([weight, podAffinityTerm]) => ({ weight, podAffinityTerm })) },
  });
  function scoreAll(pod: KubeObject, existing: KubeObject[]): number[] {
    const infos = buildNodeInfos(nodes.slice(0, 3), existing);
    const state = new Map<string, unknown>([[ALL_NODES_KEY, infos]]);
    interPodAffinity.preScore!(state, pod, infos);
    const scores: NodeScore[] = infos.map((n) => ({ name: n.name, score: interPodAffinity.score!(state, pod, n) }));
    interPodAffinity.normalizeScore!(state, pod, scores);
    return scores.map((s) => s.score);
  }
  const cases: { name: string; pod: KubeObject; existing: KubeObject[]; want: number[] }[] = [
    { name: 'no terms anywhere: all zero', pod: makePod({ name: 'incoming' }), existing: [secure('n1')], want: [0, 0, 0] },
    {
      name: 'preferred affinity by region: the matching region wins',
      pod: withAffinity({}, preferred('podAffinity', [5, term('service', ['securityscan'], 'region')])),
      existing: [secure('n1')],
      want: [100, 100, 0],
    },
    {
      name: 'preferred anti-affinity by zone: the matching zone loses',
      pod: withAffinity({}, preferred('podAntiAffinity', [5, term('service', ['securityscan'], 'zone')])),
      existing: [secure('n1')],
      want: [0, 100, 100],
    },
    {
      name: 'affinity and anti-affinity combine (min-max normalized)',
      pod: withAffinity({}, { ...preferred('podAffinity', [8, term('service', ['securityscan'], 'region')]), ...preferred('podAntiAffinity', [2, term('service', ['securityscan'], 'zone')]) }),
      existing: [secure('n1'), secure('n3')],
      // n1: +8 region r1, −2 zone z11 = 6; n2: +8 = 8; n3: +8 −2 = 6
      want: [0, 100, 0],
    },
    {
      name: 'an existing pod’s required affinity towards the incoming pod adds hardPodAffinityWeight',
      pod: makePod({ name: 'incoming', labels: { app: 'web' } }),
      existing: [makePod({ name: 'fan', nodeName: 'n3', spec: { affinity: required('podAffinity', term('app', ['web'], 'zone')) } })],
      want: [0, 0, 100],
    },
  ];
  it.each(cases)('$name', ({ pod, existing, want }) => {
    expect(scoreAll(pod, existing)).toEqual(want);
  });
});

describe(`${NAME} in a cycle`, () => {
  it('spreads a replica away from its sibling', () => {
    const anti = required('podAntiAffinity', term('app', ['db'], 'kubernetes.io/hostname'));
    const sibling = makePod({ name: 'db-0', nodeName: 'n1', labels: { app: 'db' }, spec: { affinity: anti } });
    const pod = makePod({ name: 'db-1', labels: { app: 'db' }, spec: { affinity: anti } });
    const infos = buildNodeInfos(nodes.slice(0, 2), [sibling]);
    const result = runCycle(pod, infos, [{ plugin: interPodAffinity, weight: 2 }], seededRandom(1));
    expect(result).toMatchObject({ kind: 'scheduled', nodeName: 'n2' });
  });
});

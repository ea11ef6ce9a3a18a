import { parse } from 'yaml';
import { statusYaml, type ClusterStatus, type Transitions } from './status';

const counts = (total: number, ready: number) => ({ registered: { total, ready, notStarted: 0, unready: total - ready, beingDeleted: 0 }, unregistered: 0, longUnregistered: 0 });

test("upstream's status shape; lastTransitionTime holds while the status does", () => {
  const transitions: Transitions = new Map();
  const status = (time: Date, scaleUp: ClusterStatus['scaleUp']): ClusterStatus => ({
    time,
    counts: counts(3, 3),
    scaleUp,
    scaleDown: 'NoCandidates',
    candidates: 0,
    groups: [{ name: 'ssd', counts: counts(1, 1), target: 2, min: 0, max: 3, scaleUp, scaleDown: 'CandidatesPresent', candidates: 1 }],
  });
  const first = parse(statusYaml(status(new Date('2026-01-01T00:00:00Z'), 'InProgress'), transitions));
  expect(first.time).toBe('2026-01-01 00:00:00.000 +0000 UTC');
  expect(first.autoscalerStatus).toBe('Running');
  expect(first.clusterWide.health).toEqual({ status: 'Healthy', nodeCounts: counts(3, 3), lastProbeTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' });
  expect(first.nodeGroups[0]).toMatchObject({ name: 'ssd', health: { status: 'Healthy', cloudProviderTarget: 2, minSize: 0, maxSize: 3 }, scaleUp: { status: 'InProgress' }, scaleDown: { status: 'CandidatesPresent', candidates: 1 } });
  const later = parse(statusYaml(status(new Date('2026-01-01T00:01:00Z'), 'NoActivity'), transitions));
  expect(later.clusterWide.health).toMatchObject({ lastProbeTime: '2026-01-01T00:01:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' });
  expect(later.clusterWide.scaleUp).toMatchObject({ status: 'NoActivity', lastTransitionTime: '2026-01-01T00:01:00Z' });
});

import type { KubeObject } from '../types';
import { podColumns, podRow } from './pod-table';

const now = new Date('2024-05-01T12:00:00Z');
const created = '2024-05-01T11:00:00Z';
const running = { running: { startedAt: created } };

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', creationTimestamp: created, ...meta }, spec: { containers: [{ name: 'app' }], ...spec }, status };
}

describe('pod table', () => {
  it('has kubectl columns', () => {
    expect(podColumns.map((c) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    expect(podColumns.map((c) => c.priority)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it.each<[string, KubeObject, unknown[]]>([
    ['pending', pod({}, { phase: 'Pending' }), ['web', '0/1', 'Pending', '0', '60m']],
    [
      'running and ready',
      pod({ nodeName: 'n1' }, { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }] }),
      ['web', '1/1', 'Running', '0', '60m', '10.0.0.5', 'n1', '<none>', '<none>'],
    ],
    [
      'waiting reason',
      pod({}, { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }),
      ['web', '0/1', 'ContainerCreating', '0'],
    ],
    [
      'restarts with last restart',
      pod({}, { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:55:00Z' } } }] }),
      ['web', '0/1', 'CrashLoopBackOff', '3 (5m ago)'],
    ],
    [
      'completed',
      pod({ restartPolicy: 'Never' }, { phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }),
      ['web', '0/1', 'Completed', '0'],
    ],
    [
      'exit code without reason',
      pod({}, { phase: 'Failed', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }] }),
      ['web', '0/1', 'ExitCode:2', '0'],
    ],
    [
      'init container running',
      pod({ initContainers: [{ name: 'init' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: running }], containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } } }] }),
      ['web', '0/1', 'Init:0/1', '0'],
    ],
    [
      'init container failing',
      pod({ initContainers: [{ name: 'init' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }),
      ['web', '0/1', 'Init:CrashLoopBackOff', '2'],
    ],
    [
      'terminating',
      pod({}, { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: running }] }, { deletionTimestamp: '2024-05-01T11:59:00Z' }),
      ['web', '1/1', 'Terminating', '0'],
    ],
    ['node lost', pod({}, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: created }), ['web', '0/1', 'Unknown', '0']],
    ['evicted', pod({}, { phase: 'Failed', reason: 'Evicted' }), ['web', '0/1', 'Evicted', '0']],
    [
      'sidecar counts as a container',
      pod(
        { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
        { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }], initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: running }], containerStatuses: [{ name: 'app', ready: true, state: running }] },
      ),
      ['web', '2/2', 'Running', '1'],
    ],
    ['scheduling gated', pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), ['web', '0/1', 'SchedulingGated', '0']],
  ])('%s', (_name, obj, want) => {
    expect(podRow(obj, now).slice(0, want.length)).toEqual(want);
  });

  it('counts readiness gates', () => {
    const p = pod({ readinessGates: [{ conditionType: 'a' }, { conditionType: 'b' }] }, { phase: 'Running', conditions: [{ type: 'a', status: 'True' }] });
    expect(podRow(p, now)[8]).toBe('1/2');
  });
});

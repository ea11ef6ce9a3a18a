import type { KubeObject } from '../../shared/api/types';
import { containerUsage, DEFAULT_MEMORY_BYTES, nodeUsage, podUsage, SYSTEM_CPU_MILLIS, SYSTEM_MEMORY_BYTES } from './usage';

const Mi = 1024 * 1024;
const pod = (annotations: Record<string, string>, limits?: object): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', annotations },
  spec: { containers: [{ name: 'web', ...(limits ? { resources: { limits } } : {}) }, { name: 'side' }] },
  status: { containerStatuses: [{ name: 'web', state: { running: { startedAt: '2026-01-01T00:00:00.000Z' } } }, { name: 'side', state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
});

test.each([
  ['defaults: 1m of cpu, 8Mi of memory', {}, undefined, 0, { cpuMillis: 1, memoryBytes: DEFAULT_MEMORY_BYTES, throttled: 0 }],
  ['pinned by annotation', { 'sim.kubeq.io/cpu-usage': '250m', 'sim.kubeq.io/memory-usage': '300Mi' }, undefined, 0, { cpuMillis: 250, memoryBytes: 300 * Mi, throttled: 0 }],
  ['held at the cpu limit: the rest is throttled', { 'sim.kubeq.io/cpu-usage': '800m' }, { cpu: '200m' }, 0, { cpuMillis: 200, throttled: 0.75 }],
  ['memory growing since the start', { 'sim.kubeq.io/memory-usage': '100Mi', 'sim.kubeq.io/memory-growth': '2Mi/s' }, undefined, 30_000, { memoryBytes: 160 * Mi }],
  ['a container of its own', { 'sim.kubeq.io/cpu-usage': '1', 'sim.kubeq.io/cpu-usage.web': '50m' }, undefined, 0, { cpuMillis: 50 }],
] as [string, Record<string, string>, object | undefined, number, object][])('%s', (_name, annotations, limits, runningMs, want) => {
  expect(containerUsage(pod(annotations, limits), 'web', runningMs)).toMatchObject(want);
});

test('only running containers are sampled, time-scaled since their start; the node adds the system', () => {
  const p = pod({ 'sim.kubeq.io/memory-usage': '100Mi', 'sim.kubeq.io/memory-growth': '1Mi/s' });
  const usage = podUsage(p, Date.parse('2026-01-01T00:00:01.000Z'), 10);
  expect(usage).toEqual([{ name: 'web', cpuMillis: 1, memoryBytes: 110 * Mi, throttled: 0 }]);
  expect(nodeUsage([usage, usage])).toEqual({ cpuMillis: SYSTEM_CPU_MILLIS + 2, memoryBytes: SYSTEM_MEMORY_BYTES + 220 * Mi });
});

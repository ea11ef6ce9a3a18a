import { defaultTolerationSeconds } from './pod-tolerations';

const notReady = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

describe('DefaultTolerationSeconds', () => {
  it.each([
    ['none: both added, not-ready first', undefined, [notReady, unreachable]],
    ['an unrelated one is kept first', [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }], [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }, notReady, unreachable]],
    ['its own not-ready toleration (forever) is kept; only unreachable added', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }], [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }, unreachable]],
    ['an empty effect covers NoExecute', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }], [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, notReady]],
    ['an empty key covers both', [{ operator: 'Exists' }], [{ operator: 'Exists' }]],
    ['an empty key with NoSchedule covers neither', [{ operator: 'Exists', effect: 'NoSchedule' }], [{ operator: 'Exists', effect: 'NoSchedule' }, notReady, unreachable]],
    ['both present with other seconds: untouched', [{ ...notReady, tolerationSeconds: 6 }, { ...unreachable, tolerationSeconds: 0 }], [{ ...notReady, tolerationSeconds: 6 }, { ...unreachable, tolerationSeconds: 0 }]],
  ])('%s', (_name, tolerations, want) => {
    const spec: Record<string, any> = tolerations ? { tolerations } : {};
    defaultTolerationSeconds(spec);
    expect(spec.tolerations).toEqual(want);
    defaultTolerationSeconds(spec); // idempotent: the update path runs it again
    expect(spec.tolerations).toEqual(want);
  });
});

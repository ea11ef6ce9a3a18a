import { parseFieldSelector, parseLabelRequirements, parseLabelSelector } from './selector';
import type { KubeObject } from './types';

const pod = (labels: Record<string, string>, nodeName = ''): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', labels },
  spec: { nodeName },
});

describe('label selectors', () => {
  test.each([
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'db' }, false],
    ['app!=web', { app: 'db' }, true],
    ['app!=web', {}, true],
    ['app in (web, api)', { app: 'api' }, true],
    ['app notin (web)', { app: 'web' }, false],
    ['tier', { tier: 'x' }, true],
    ['!tier', { tier: 'x' }, false],
    ['app=web,tier in (fe)', { app: 'web', tier: 'fe' }, true],
    ['app=web,tier in (fe)', { app: 'web', tier: 'be' }, false],
    ['', {}, true],
  ])('%s on %j → %s', (sel, labels, want) => {
    expect(parseLabelSelector(sel)(pod(labels))).toBe(want);
  });

  test('a malformed selector is a 400', () => {
    expect(() => parseLabelRequirements('a in b')).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe('field selectors', () => {
  test.each([
    ['spec.nodeName=n1', 'n1', true],
    ['spec.nodeName=', '', true],
    ['spec.nodeName!=', 'n1', true],
    ['metadata.name=p,spec.nodeName=n2', 'n1', false],
  ])('%s with node %s → %s', (sel, node, want) => {
    expect(parseFieldSelector(sel)(pod({}, node))).toBe(want);
  });
});

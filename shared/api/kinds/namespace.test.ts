import type { KubeObject } from '../types';
import { namespaces } from './namespace';
import { clone, create, show } from './testing';

const ns = (name: string | undefined, extra: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name }, ...extra });

describe('Namespace', () => {
  it('defaults the name label, the kubernetes finalizer and phase Active', () => {
    const n = ns('team-a', { metadata: { name: 'team-a', namespace: 'oops' } });
    namespaces.defaults(n);
    expect(n).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    const once = clone(n);
    namespaces.defaults(n);
    expect(n).toEqual(once);
    expect(namespaces.extraFinalizers!(n)).toEqual(['kubernetes']);
  });

  it('does not re-add the finalizer once deletion started', () => {
    const n = ns('gone', { metadata: { name: 'gone', deletionTimestamp: '2024-01-01T00:00:00Z' }, spec: { finalizers: [] }, status: { phase: 'Terminating' } });
    namespaces.defaults(n);
    expect(n.spec.finalizers).toEqual([]);
  });

  it('turns Terminating once deletion starts', () => {
    const n = ns('team', { status: { phase: 'Active' } });
    n.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
    namespaces.defaults(n);
    expect(n.status.phase).toBe('Terminating');
  });

  it.each<[string, KubeObject, string]>([
    ['valid', ns('team-a'), 'OK'],
    ['no name', ns(undefined), 'Namespace "" is invalid: metadata.name: Required value: name or generateName is required'],
    ['dots', ns('team.a'), 'Namespace "team.a" is invalid: metadata.name: Invalid value: "team.a": must not contain dots'],
    [
      'uppercase',
      ns('Team'),
      `Namespace "Team" is invalid: metadata.name: Invalid value: "Team": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ],
    ['bad finalizer', ns('a', { spec: { finalizers: ['custom'] } }), 'Namespace "a" is invalid: spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'],
  ])('%s', (_name, obj, want) => expect(create(namespaces, obj)).toBe(want));

  it('checks a changed phase against deletionTimestamp', () => {
    const old = ns('a');
    namespaces.defaults(old);
    const next = clone(old);
    next.status.phase = 'Terminating';
    expect(show(namespaces.validateUpdate!(next, old))).toEqual(["status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty"]);
  });

  it('prints NAME STATUS AGE', () => {
    const n = ns('default', { status: { phase: 'Active' } });
    n.metadata.creationTimestamp = '2024-04-20T12:00:00Z';
    expect(namespaces.columns.map((c) => c.name)).toEqual(['Name', 'Status', 'Age']);
    expect(namespaces.row(n, new Date('2024-05-01T12:00:00Z'))).toEqual(['default', 'Active', '11d']);
  });
});

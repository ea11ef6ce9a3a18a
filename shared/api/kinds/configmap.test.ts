import type { KubeObject } from '../types';
import { configmaps } from './configmap';
import { clone, show } from './testing';

const cm = (extra: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default', creationTimestamp: '2024-05-01T11:59:00Z' }, ...extra });

describe('ConfigMap', () => {
  it.each<[string, KubeObject, string[]]>([
    ['valid', cm({ data: { 'game.properties': 'x', '.env': 'y' }, binaryData: { bin: 'AAE=' } }), []],
    ['bad key', cm({ data: { 'a b': 'x' } }), [expect.stringMatching(/^data\[a b\]: Invalid value: "a b": a valid config key must consist of alphanumeric characters/)]],
    ['dot-dot key', cm({ data: { '..x': '' } }), ['data[..x]: Invalid value: "..x": must not start with \'..\'']],
    ['duplicate key', cm({ data: { k: 'x' }, binaryData: { k: 'AA==' } }), ['data[k]: Invalid value: "k": duplicate of key present in binaryData']],
    ['binary not base64', cm({ binaryData: { k: 'not base64' } }), ['binaryData[k]: Invalid value: "not base64": illegal base64 data at input byte 3']],
    ['too big', cm({ data: { a: 'x'.repeat(600 * 1024), b: 'y'.repeat(500 * 1024) } }), ['[]: Too long: may not be more than 1048576 bytes']],
  ])('%s', (_name, obj, want) => {
    configmaps.defaults(obj);
    expect(show(configmaps.validate(obj))).toEqual(want);
  });

  it('refuses changes once immutable', () => {
    const old = cm({ data: { a: '1' }, immutable: true });
    const next = clone(old);
    next.data.a = '2';
    delete next.immutable;
    expect(show(configmaps.validateUpdate!(next, old))).toEqual([
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('prints NAME DATA AGE', () => {
    expect(configmaps.columns.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(configmaps.row(cm({ data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }), new Date('2024-05-01T12:00:00Z'))).toEqual(['cfg', 3, '60s']);
  });
});

import type { KubeObject } from '../types';
import { secrets } from './secret';
import { clone, show } from './testing';

const secret = (extra: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' }, ...extra });
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('Secret', () => {
  it('defaults type Opaque and folds stringData into data', () => {
    const s = secret({ data: { user: b64('old'), keep: b64('k') }, stringData: { user: 'admin', pass: 'pässword' } });
    secrets.defaults(s);
    expect(s.type).toBe('Opaque');
    expect(s.stringData).toBeUndefined();
    expect(s.data).toEqual({ user: b64('admin'), keep: b64('k'), pass: b64('pässword') });
    const once = clone(s);
    secrets.defaults(s);
    expect(s).toEqual(once);
  });

  it.each<[string, KubeObject, string[]]>([
    ['valid', secret({ data: { token: b64('t') } }), []],
    ['not base64', secret({ data: { token: 'plain text' } }), ['data[token]: Invalid value: "plain text": illegal base64 data at input byte 5']],
    ['bad key', secret({ data: { 'a/b': b64('x') } }), [expect.stringMatching(/^data\[a\/b\]: Invalid value: "a\/b": a valid config key/)]],
    ['too big', secret({ data: { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') } }), ['data: Too long: may not be more than 1048576 bytes']],
    ['tls without key', secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }), ['data[tls.key]: Required value']],
    ['basic auth', secret({ type: 'kubernetes.io/basic-auth' }), ['data[username]: Required value', 'data[password]: Required value']],
    ['dockerconfigjson', secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{}') } }), []],
  ])('%s', (_name, obj, want) => {
    secrets.defaults(obj);
    expect(show(secrets.validate(obj))).toEqual(want);
  });

  it('never changes type', () => {
    const old = secret({ type: 'Opaque' });
    const next = clone(old);
    next.type = 'kubernetes.io/tls';
    next.data = { 'tls.crt': b64('c'), 'tls.key': b64('k') };
    expect(show(secrets.validateUpdate!(next, old))).toEqual(['type: Invalid value: "kubernetes.io/tls": field is immutable']);
  });

  it('prints NAME TYPE DATA AGE', () => {
    expect(secrets.columns.map((c) => c.name)).toEqual(['Name', 'Type', 'Data', 'Age']);
    expect(secrets.row(secret({ type: 'Opaque', data: { a: 'YQ==' } }), new Date())).toEqual(['creds', 'Opaque', 1, '<unknown>']);
  });
});

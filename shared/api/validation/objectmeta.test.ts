import type { FieldError } from '../status';
import { nameIsDNSSubdomain, validateNamespaceName } from './names';
import { validateObjectMeta, validateObjectMetaUpdate } from './objectmeta';

const show = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const namespaced = { namespaced: true, nameFn: nameIsDNSSubdomain };

describe('validateObjectMeta', () => {
  it.each([
    [{ name: 'web', namespace: 'default' }, []],
    [{ namespace: 'default' }, ['metadata.name: Required value: name or generateName is required']],
    [{ name: 'web' }, ['metadata.namespace: Required value']],
    [{ name: 'web', namespace: 'Default' }, [expect.stringMatching(/^metadata.namespace: Invalid value: "Default": a lowercase RFC 1123 label must consist/)]],
    [{ name: 'web', namespace: 'a.b' }, ['metadata.namespace: Invalid value: "a.b": must not contain dots']],
    [{ name: 'web', namespace: 'default', generation: -1 }, ['metadata.generation: Invalid value: -1: must be greater than or equal to 0']],
    [{ name: 'web', namespace: 'default', finalizers: ['custom'] }, ['metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified']],
    [{ name: 'web', namespace: 'default', finalizers: ['example.com/x', 'kubernetes'] }, []],
    [{ generateName: 'Web-', namespace: 'default' }, [expect.stringMatching(/^metadata.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain/), 'metadata.name: Required value: name or generateName is required']],
  ])('%j', (meta, want) => {
    expect(show(validateObjectMeta(meta, namespaced))).toEqual(want);
  });

  it('forbids a namespace on cluster-scoped kinds', () => {
    expect(show(validateObjectMeta({ name: 'n1', namespace: 'x' }, { namespaced: false, nameFn: validateNamespaceName }))).toEqual([
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });

  it('checks owner references', () => {
    const refs = [{ apiVersion: '', kind: 'ReplicaSet', name: 'rs', uid: '' }];
    expect(show(validateObjectMeta({ name: 'p', namespace: 'd', ownerReferences: refs }, namespaced))).toEqual([
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ]);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old = { name: 'web', namespace: 'default', uid: 'u1', generation: 2 };
  it.each([
    [{ ...old }, []],
    [{ ...old, uid: undefined }, []],
    [{ ...old, name: 'other' }, ['metadata.name: Invalid value: "other": field is immutable']],
    [{ ...old, namespace: 'other' }, ['metadata.namespace: Invalid value: "other": field is immutable']],
    [{ ...old, uid: 'u2' }, ['metadata.uid: Invalid value: "u2": field is immutable']],
    [{ ...old, generation: 1 }, ['metadata.generation: Invalid value: 1: must not be decremented']],
  ])('%j', (meta, want) => {
    expect(show(validateObjectMetaUpdate(meta, old))).toEqual(want);
  });

  it('refuses new finalizers once deleting', () => {
    const deleting = { ...old, deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['a.io/x'] };
    expect(show(validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'b.io/y'] }, deleting))).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
    ]);
  });
});

import fc from 'fast-check';
import { apiVersionOf } from '../resource';
import { resources } from '../registry';
import { pruneUnknownFields, unknownFields } from '../schema';
import type { KubeObject } from '../types';

/** Arbitrary JSON where objects are expected: the strategy must report, never throw, and default idempotently. */
const anyJson = fc.jsonValue({ maxDepth: 4 });
const shaped = fc.record({
  metadata: fc.oneof(fc.record({ name: fc.string(), namespace: fc.constantFrom('default', 'x'), labels: anyJson, finalizers: anyJson }), anyJson),
  spec: anyJson,
  status: anyJson,
  data: anyJson,
});

describe.each(resources.map((r) => [r.kind, r] as const))('%s strategy on arbitrary input', (_kind, info) => {
  it('never throws and defaults idempotently', () => {
    fc.assert(
      fc.property(shaped, shaped, (body, oldBody) => {
        const obj = { apiVersion: apiVersionOf(info), kind: info.kind, ...structuredClone(body) } as KubeObject;
        const old = { apiVersion: apiVersionOf(info), kind: info.kind, ...structuredClone(oldBody) } as KubeObject;
        if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) obj.metadata = {};
        if (typeof old.metadata !== 'object' || old.metadata === null || Array.isArray(old.metadata)) old.metadata = {};
        info.defaults(obj);
        const once = JSON.stringify(obj);
        info.defaults(obj);
        expect(JSON.stringify(obj)).toBe(once);
        info.validate(obj);
        info.validateUpdate?.(obj, old);
        expect(info.row(obj, new Date())).toHaveLength(info.columns.length);
        const unknown = unknownFields(obj, obj.apiVersion, obj.kind);
        expect(pruneUnknownFields(obj, obj.apiVersion, obj.kind)).toEqual(unknown);
        expect(unknownFields(obj, obj.apiVersion, obj.kind)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

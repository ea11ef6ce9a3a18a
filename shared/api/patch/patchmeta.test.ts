import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILTIN_PATCH_META, NO_PATCH_META, type FieldPatchMeta } from './mergekeys';
import { schemaForKind, type PatchSchema } from './patchmeta';
import { readDefinition } from './schemafile';

const modelsDir = path.dirname(require.resolve('kubernetes-models/package.json'));
const apimachineryDir = path.dirname(require.resolve('@kubernetes-models/apimachinery/package.json', { paths: [modelsDir] }));

function definitionFile(def: string): string {
  return path.join(def.startsWith('IoK8sApimachinery') ? apimachineryDir : modelsDir, '_schemas', `${def}.js`);
}

/** Follows `fields` from `schema` and returns the metadata of the last one. */
function metaAt(schema: PatchSchema, ...fields: string[]): FieldPatchMeta {
  let current = schema;
  let meta = NO_PATCH_META;
  for (const field of fields) {
    ({ schema: current, meta } = current.lookup(field));
  }
  return meta;
}

describe('schemaForKind', () => {
  const deployment = schemaForKind('apps/v1', 'Deployment') as PatchSchema;

  test.each([
    [['spec', 'template', 'spec', 'containers'], ['merge'], 'name'],
    [['spec', 'template', 'spec', 'containers', 'env'], ['merge'], 'name'],
    [['spec', 'template', 'spec', 'initContainers', 'ports'], ['merge'], 'containerPort'],
    [['spec', 'template', 'spec', 'containers', 'volumeMounts'], ['merge'], 'mountPath'],
    [['spec', 'template', 'spec', 'volumes'], ['merge', 'retainKeys'], 'name'],
    [['spec', 'template', 'spec', 'tolerations'], [], ''],
    [['spec', 'template', 'spec', 'containers', 'envFrom'], [], ''],
    [['spec', 'template', 'metadata', 'finalizers'], ['merge'], ''],
    [['metadata', 'ownerReferences'], ['merge'], 'uid'],
    [['spec', 'strategy'], ['retainKeys'], ''],
    [['status', 'conditions'], ['merge'], 'type'],
    [['metadata', 'labels', 'app'], [], ''],
    [['spec', 'noSuchField', 'containers'], [], ''],
  ])('Deployment %j', (fields, strategies, mergeKey) => {
    expect(metaAt(deployment, ...fields)).toEqual({ strategies, mergeKey });
  });

  test('core kinds resolve without a group', () => {
    const pod = schemaForKind('v1', 'Pod') as PatchSchema;
    expect(metaAt(pod, 'spec', 'ephemeralContainers', 'env')).toEqual({ strategies: ['merge'], mergeKey: 'name' });
    expect(metaAt(pod, 'status', 'podIPs')).toEqual({ strategies: ['merge'], mergeKey: 'ip' });
  });

  test.each([
    ['v1', 'ConfigMap'],
    ['v1', 'Event'],
    ['v1', 'Namespace'],
    ['v1', 'Node'],
    ['v1', 'Secret'],
    ['apps/v1', 'ReplicaSet'],
    ['coordination.k8s.io/v1', 'Lease'],
    ['autoscaling/v1', 'Scale'],
  ])('%s %s (served by kubeq) has a schema', (apiVersion, kind) => {
    expect(schemaForKind(apiVersion, kind)).toBeDefined();
  });

  test.each([
    ['example.com/v1', 'Widget'],
    ['v1', 'NoSuchKind'],
    ['v1', '../Pod'],
    ['../../x/v1', 'Pod'],
    ['', 'Pod'],
  ])('%s %s has no schema', (apiVersion, kind) => {
    expect(schemaForKind(apiVersion, kind)).toBeUndefined();
  });
});

describe('BUILTIN_PATCH_META', () => {
  const entries = Object.entries(BUILTIN_PATCH_META).flatMap(([def, fields]) => Object.entries(fields).map(([field, meta]) => ({ def, field, meta })));

  test.each(entries)('$def.$field exists with the right shape', ({ def, field, meta }) => {
    const shape = readDefinition(definitionFile(def)).properties.get(field);
    expect(shape).toBeDefined();
    expect(shape?.kind).toBe(meta.strategies.includes('merge') ? 'list' : 'ref');
  });
});

describe('readDefinition', () => {
  test('reads every compiled schema kubernetes-models ships', () => {
    const dirs = [path.join(modelsDir, '_schemas'), path.join(apimachineryDir, '_schemas')];
    const files = dirs.flatMap((dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => path.join(dir, f)));
    const withProperties = files.filter((file) => readDefinition(file).properties.size > 0);
    expect(files.length).toBeGreaterThan(800);
    expect(withProperties.length / files.length).toBeGreaterThan(0.9);
  });

  test('finds lists, maps and references', () => {
    const podSpec = readDefinition(definitionFile('IoK8sApiCoreV1PodSpec')).properties;
    expect(podSpec.get('containers')).toEqual({ kind: 'list', items: { kind: 'ref', def: 'IoK8sApiCoreV1Container' } });
    expect(podSpec.get('nodeSelector')).toEqual({ kind: 'map', values: { kind: 'scalar' } });
    expect(podSpec.get('affinity')).toEqual({ kind: 'ref', def: 'IoK8sApiCoreV1Affinity' });
    expect(podSpec.get('hostNetwork')).toEqual({ kind: 'scalar' });
  });
});

/**
 * Strategic-merge metadata lookup: for each field the patch walks into, its patch strategy, its
 * merge key and the schema of its value. The counterpart of strategicpatch.LookupPatchMeta.
 *
 * The type graph comes from kubernetes-models' compiled schemas (schemafile.ts), resolved lazily
 * and cached per definition; the metadata comes from the built-in table (mergekeys.ts). Lookups
 * are lenient where upstream errors: a field the schema does not know answers an opaque schema
 * and no metadata, so its maps merge and its lists are replaced.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinPatchMeta, NO_PATCH_META, type FieldPatchMeta } from './mergekeys';
import { readDefinition, type DefinitionShape, type TypeRef } from './schemafile';

export type { FieldPatchMeta } from './mergekeys';

export interface FieldLookup {
  /** Schema of the field's value; for a list, of its elements. */
  readonly schema: PatchSchema;
  readonly meta: FieldPatchMeta;
}

export interface PatchSchema {
  /** How upstream names the schema in errors (`struct`, `map`). */
  readonly name: string;
  /** Metadata and value schema of `field`. Never throws; unknown fields are opaque. */
  lookup(field: string): FieldLookup;
}

/** A schema that knows nothing: no metadata anywhere below it. */
export const OPAQUE_SCHEMA: PatchSchema = {
  name: 'interface',
  lookup: () => ({ schema: OPAQUE_SCHEMA, meta: NO_PATCH_META }),
};

/** A literal schema description: per field, optional metadata and the schema of its value. */
export interface SchemaSpec {
  readonly [field: string]: { readonly meta?: FieldPatchMeta; readonly schema?: SchemaSpec };
}

/** A PatchSchema from a literal description; fields not described are opaque. */
export function literalSchema(spec: SchemaSpec): PatchSchema {
  const schema: PatchSchema = {
    name: 'struct',
    lookup(field) {
      const entry = Object.hasOwn(spec, field) ? spec[field] : undefined;
      if (!entry) return { schema: OPAQUE_SCHEMA, meta: NO_PATCH_META };
      return { schema: entry.schema ? literalSchema(entry.schema) : OPAQUE_SCHEMA, meta: entry.meta ?? NO_PATCH_META };
    },
  };
  return schema;
}

/**
 * The schema of a built-in kind (`apps/v1`, `Deployment`), or undefined when kubernetes-models
 * has no such kind — which the caller treats as a custom resource. Cached, including misses.
 */
export function schemaForKind(apiVersion: string, kind: string): PatchSchema | undefined {
  const cacheKey = `${apiVersion}/${kind}`;
  if (!kindCache.has(cacheKey)) kindCache.set(cacheKey, loadKind(apiVersion, kind));
  return kindCache.get(cacheKey);
}

const kindCache = new Map<string, PatchSchema | undefined>();
const definitionCache = new Map<string, StructSchema>();

function loadKind(apiVersion: string, kind: string): PatchSchema | undefined {
  const modelsDir = kubernetesModelsDir();
  if (!modelsDir || !/^[A-Za-z0-9]+$/.test(kind) || !/^([a-z0-9][a-z0-9.-]*\/)?v[a-z0-9]+$/.test(apiVersion)) return undefined;
  const modelFile = path.join(modelsDir, apiVersion, `${kind}.js`);
  if (!fs.existsSync(modelFile)) return undefined;
  const match = /require\("([^"]*_schemas\/(IoK8s\w+)\.js)"\)/.exec(fs.readFileSync(modelFile, 'utf8'));
  if (!match) return undefined;
  return definition(match[2], path.join(path.dirname(modelFile), match[1]));
}

let modelsDirCache: string | null | undefined;

function kubernetesModelsDir(): string | undefined {
  if (modelsDirCache === undefined) {
    try {
      modelsDirCache = path.dirname(require.resolve('kubernetes-models/package.json'));
    } catch {
      modelsDirCache = null;
    }
  }
  return modelsDirCache ?? undefined;
}

function definition(name: string, file: string | undefined): PatchSchema {
  if (!file) return OPAQUE_SCHEMA;
  let schema = definitionCache.get(name);
  if (!schema) {
    schema = new StructSchema(name, file);
    definitionCache.set(name, schema);
  }
  return schema;
}

/** An object type (a Go struct); its compiled module is read on the first lookup. */
class StructSchema implements PatchSchema {
  readonly name = 'struct';
  private shape: DefinitionShape | undefined;

  constructor(
    readonly definitionName: string,
    private readonly file: string,
  ) {}

  lookup(field: string): FieldLookup {
    this.shape ??= readShape(this.file);
    const ref = this.shape.properties.get(field);
    return {
      schema: ref ? valueSchema(ref, this.shape) : OPAQUE_SCHEMA,
      meta: builtinPatchMeta(this.definitionName, field),
    };
  }
}

/** A `map[string]T`: every key holds a T and carries no metadata. */
class MapSchema implements PatchSchema {
  readonly name = 'map';

  constructor(
    private readonly values: TypeRef,
    private readonly owner: DefinitionShape,
  ) {}

  lookup(): FieldLookup {
    return { schema: valueSchema(this.values, this.owner), meta: NO_PATCH_META };
  }
}

/** The schema lookups continue with below a value of shape `ref`; lists yield their elements'. */
function valueSchema(ref: TypeRef, owner: DefinitionShape): PatchSchema {
  switch (ref.kind) {
    case 'ref':
      return definition(ref.def, owner.modules.get(ref.def));
    case 'list':
      return valueSchema(ref.items, owner);
    case 'map':
      return new MapSchema(ref.values, owner);
    default:
      return OPAQUE_SCHEMA;
  }
}

function readShape(file: string): DefinitionShape {
  try {
    return readDefinition(file);
  } catch {
    return { properties: new Map(), modules: new Map() };
  }
}

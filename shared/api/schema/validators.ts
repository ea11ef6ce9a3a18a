/**
 * The OpenAPI schemas kubernetes-models ships, compiled to validator functions (one
 * `_schemas/IoK8s…js` module per type). Found through the per-kind module
 * (`kubernetes-models/apps/v1/Deployment`), loaded on first use and cached, misses included.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

/** A compiled schema validator; it reads every property its schema declares on each object it visits. */
export type SchemaValidator = (data: unknown, ctx?: Record<string, unknown>) => boolean;

const load = createRequire(__filename);
const cache = new Map<string, SchemaValidator | undefined>();
const SCHEMA_REF = /require\("(\.{1,2}\/[^"]*_schemas\/IoK8s[A-Za-z0-9]+\.js)"\)/;

/** `kubernetes-models/apps/v1/Deployment` for (`apps/v1`, `Deployment`); undefined for malformed input. */
export function modelModule(apiVersion: string, kind: string): string | undefined {
  if (!/^([a-z0-9][a-z0-9.-]*\/)?v[0-9]+[a-z0-9]*$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

function resolveValidator(apiVersion: string, kind: string): SchemaValidator | undefined {
  const mod = modelModule(apiVersion, kind);
  if (!mod) return undefined;
  try {
    const file = load.resolve(mod);
    const ref = SCHEMA_REF.exec(readFileSync(file, 'utf8'));
    if (!ref) return undefined;
    const schema = load(resolve(dirname(file), ref[1])) as { validate?: SchemaValidator };
    return typeof schema.validate === 'function' ? schema.validate : undefined;
  } catch {
    return undefined;
  }
}

/** The validator for a kind, or undefined when kubernetes-models has no schema for it. */
export function validatorFor(apiVersion: string, kind: string): SchemaValidator | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!cache.has(key)) cache.set(key, resolveValidator(apiVersion, kind));
  return cache.get(key);
}

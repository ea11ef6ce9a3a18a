/**
 * Unknown-field detection as the apiserver's fieldValidation reports it (`unknown field
 * "spec.template.spec.containers[0].imagePullPolice"`), driven by the kind's OpenAPI schema.
 *
 * How: the compiled schema validator runs over a proxy of the object and every property it reads
 * is recorded. A validator reads all properties its schema declares, iterates every key of a map
 * (additionalProperties), and touches no key of a free-form value (x-kubernetes-preserve-unknown-fields,
 * RawExtension, FieldsV1) or of a scalar such as int-or-string. So a key is unknown exactly when its
 * object was visited and the key was never read; unvisited objects are left alone.
 */
import { validatorFor } from './validators';

interface Visit {
  /** Properties the validator read on this object. */
  read: Set<string>;
  /** True when the validator enumerated the keys: a map, every key allowed. */
  map: boolean;
}

function visitOf(visits: WeakMap<object, Visit>, target: object): Visit {
  let v = visits.get(target);
  if (!v) visits.set(target, (v = { read: new Set(), map: false }));
  return v;
}

/** Runs the validator over a recording proxy of `obj`; which object had which keys read. */
function probe(validate: (data: unknown) => boolean, obj: object): WeakMap<object, Visit> {
  const visits = new WeakMap<object, Visit>();
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    let p = proxies.get(value);
    if (!p) {
      p = new Proxy(value, {
        get(target, prop) {
          if (typeof prop === 'string') visitOf(visits, target).read.add(prop);
          return wrap(Reflect.get(target, prop));
        },
        ownKeys(target) {
          visitOf(visits, target).map = true;
          return Reflect.ownKeys(target);
        },
      });
      proxies.set(value, p);
    }
    return p;
  };
  validate(wrap(obj));
  return visits;
}

type OnUnknown = (parent: Record<string, unknown>, key: string, path: string) => void;

/** Walks `value` in document order, reporting keys of visited, non-map objects the validator never read. */
function walk(value: unknown, path: string, visits: WeakMap<object, Visit>, onUnknown: OnUnknown): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, visits, onUnknown));
    return;
  }
  const visit = visits.get(value);
  if (!visit) return;
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const childPath = path ? `${path}.${key}` : key;
    if (!visit.map && !visit.read.has(key)) onUnknown(obj, key, childPath);
    else walk(obj[key], childPath, visits, onUnknown);
  }
}

function scan(obj: unknown, apiVersion: string, kind: string, onUnknown: OnUnknown): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return;
  const validate = validatorFor(apiVersion, kind);
  if (!validate) return;
  walk(obj, '', probe(validate, obj), onUnknown);
}

/**
 * Paths of fields the kind's schema does not declare, in document order: `spec.foo`,
 * `spec.template.spec.containers[0].imagePullPolice`. Empty for kinds without a schema.
 */
export function unknownFields(obj: unknown, apiVersion: string, kind: string): string[] {
  const out: string[] = [];
  scan(obj, apiVersion, kind, (_parent, _key, path) => out.push(path));
  return out;
}

/** Removes the fields `unknownFields` reports, in place, as the decoder drops them; returns their paths. */
export function pruneUnknownFields(obj: unknown, apiVersion: string, kind: string): string[] {
  const removed: string[] = [];
  scan(obj, apiVersion, kind, (parent, key, path) => {
    delete parent[key];
    removed.push(path);
  });
  return removed;
}

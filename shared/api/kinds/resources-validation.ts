/** Container resource requirements (validateResourceRequirements): names, quantities, requests ≤ limits. */
import { Quantity, QuantityError } from '../quantity';
import type { FieldError } from '../status';
import { child, forbidden, goJSON, invalid, key, required } from '../validation/field';
import { isQualifiedName } from '../validation/names';
import { isObject } from './common';

const STANDARD_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu',
  'limits.memory', 'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets',
  'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers', 'configmaps',
]); // prettier-ignore
const CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

const isHugePages = (name: string) => name.startsWith('hugepages-');
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
/** Extended resources (`example.com/gpu`): not native, not `requests.`-prefixed; integral and never overcommitted. */
const isExtended = (name: string) => !isNative(name) && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
const overcommitAllowed = (name: string) => isNative(name) && !isHugePages(name);

/** validateContainerResourceName: qualified, and standard for containers unless prefixed. */
export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => invalid(path, name, msg));
  if (errs.length === 0 && !name.includes('/') && !STANDARD_RESOURCES.has(name) && !isHugePages(name)) {
    errs.push(invalid(path, name, 'must be a standard resource type or fully qualified'));
  }
  if (!name.includes('/')) {
    if (!CONTAINER_RESOURCES.has(name) && !isHugePages(name)) errs.push(invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && !isExtended(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** A parsed quantity, or the field error Kubernetes' decoder would give for it. */
export function parseQuantityField(value: unknown, path: string): Quantity | FieldError {
  try {
    return Quantity.parse(value as string | number);
  } catch (err) {
    const message = err instanceof QuantityError ? err.message : String(err);
    return invalid(path, typeof value === 'string' ? value : goJSON(value), message);
  }
}

/** ValidateResourceQuantityValue: non-negative, and whole for extended resources. */
function validateQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  if (q.sign() < 0) return [invalid(path, q.toString(), 'must be greater than or equal to 0')];
  if (isExtended(name) && q.scaledValue(-3) % 1000n !== 0n) return [invalid(path, q.toString(), 'must be an integer')];
  return [];
}

function parseList(list: unknown, path: string, errs: FieldError[]): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, value] of Object.entries(isObject(list) ? list : {})) {
    const p = key(path, name);
    errs.push(...validateContainerResourceName(name, p));
    const q = parseQuantityField(value, p);
    if (q instanceof Quantity) {
      errs.push(...validateQuantityValue(name, q, p));
      out.set(name, q);
    } else errs.push(q);
  }
  return out;
}

/** Errors of `resources` at `path` (`spec.containers[0].resources`). */
export function validateResourceRequirements(resources: unknown, path: string): FieldError[] {
  if (!isObject(resources)) return [];
  const errs: FieldError[] = [];
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  const limits = parseList(resources.limits, limPath, errs);
  const requests = new Map<string, Quantity>();
  for (const [name, value] of Object.entries(isObject(resources.requests) ? resources.requests : {})) {
    const p = key(reqPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const q = parseQuantityField(value, p);
    if (!(q instanceof Quantity)) {
      errs.push(q);
      continue;
    }
    errs.push(...validateQuantityValue(name, q, p));
    requests.set(name, q);
    const limit = limits.get(name);
    if (limit) {
      if (q.cmp(limit) !== 0 && !overcommitAllowed(name)) errs.push(invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${limit}`));
      else if (q.cmp(limit) > 0) errs.push(invalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${limit}`));
    } else if (!overcommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  const names = [...limits.keys(), ...requests.keys()];
  if (names.some(isHugePages) && !names.some((n) => n === 'cpu' || n === 'memory')) errs.push(forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}

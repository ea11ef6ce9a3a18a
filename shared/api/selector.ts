import { badRequest } from './status';
import type { KubeObject } from './types';

/**
 * Label and field selectors as the API accepts them in `labelSelector` / `fieldSelector`:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a` (labels); `path=v`, `path!=v` (fields).
 * Hand-written: the grammar is tiny and no maintained npm package implements Kubernetes' one.
 */

export type Requirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin'; values: string[] };

export type Selector = (obj: KubeObject) => boolean;

const everything: Selector = () => true;

/** Splits on commas that are not inside parentheses. */
function terms(input: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '' || out.length > 0) out.push(cur.trim());
  return out;
}

export function parseLabelRequirements(input: string | undefined): Requirement[] {
  if (!input || input.trim() === '') return [];
  return terms(input).map((term) => {
    let m = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) return { key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()).filter((v) => v !== '') };
    m = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s,()=!]*)$/.exec(term);
    if (m) return { key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] };
    m = /^!\s*([^\s!=()]+)$/.exec(term);
    if (m) return { key: m[1], op: 'notexists' };
    m = /^([^\s!=()]+)$/.exec(term);
    if (m) return { key: m[1], op: 'exists' };
    throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
  });
}

export function matchesRequirements(labels: Record<string, string> | undefined, reqs: Requirement[]): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
    }
  });
}

export function parseLabelSelector(input: string | undefined): Selector {
  const reqs = parseLabelRequirements(input);
  if (reqs.length === 0) return everything;
  return (obj) => matchesRequirements(obj.metadata.labels, reqs);
}

export interface FieldRequirement {
  path: string;
  value: string;
  negate: boolean;
}

export function parseFieldRequirements(input: string | undefined): FieldRequirement[] {
  if (!input || input.trim() === '') return [];
  return terms(input).map((term) => {
    const m = /^([A-Za-z0-9_.\-/]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
    return { path: m[1], value: m[3], negate: m[2] === '!=' };
  });
}

/** The string form of a field for selection; absent fields select as ''. */
export function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

export function parseFieldSelector(input: string | undefined): Selector {
  const reqs = parseFieldRequirements(input);
  if (reqs.length === 0) return everything;
  return (obj) => reqs.every((r) => (fieldValue(obj, r.path) === r.value) !== r.negate);
}

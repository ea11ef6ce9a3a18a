/**
 * Labels, annotations and label selectors (k8s.io/apimachinery/pkg/apis/meta/v1/validation and
 * k8s.io/apimachinery/pkg/labels): validation wording, matching and the selector text kubectl shows.
 */
import type { FieldError } from '../status';
import { GoRaw, asString, child, forbidden, goJSON, index, invalid, required, sortedMap, tooLong } from './field';
import { byteLength, isQualifiedName, maxLenError, regexError } from './names';

export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;
const LABEL_VALUE_FMT = '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?';
const labelValue = new RegExp(`^${LABEL_VALUE_FMT}$`);

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!labelValue.test(value)) {
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errs;
}

export function validateLabelName(name: string, field: string): FieldError[] {
  return isQualifiedName(name).map((msg) => invalid(field, name, msg));
}

/** Errors are reported at `field` itself (`metadata.labels`), not per key, as upstream does. */
export function validateLabels(labels: Record<string, unknown> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, field));
    errs.push(...isValidLabelValue(asString(v)).map((msg) => invalid(field, asString(v), msg)));
  }
  return errs;
}

/** Keys are qualified names (case-insensitive); keys plus values may total at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, unknown> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    errs.push(...isQualifiedName(k.toLowerCase()).map((msg) => invalid(field, k, msg)));
    total += byteLength(k) + byteLength(asString(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export function validateLabelSelector(selector: LabelSelector | undefined, field: string): FieldError[] {
  if (!selector) return [];
  const errs = validateLabels(selector.matchLabels, child(field, 'matchLabels'));
  (selector.matchExpressions ?? []).forEach((req, i) => {
    const path = index(child(field, 'matchExpressions'), i);
    const values = req.values ?? [];
    if (req.operator === 'In' || req.operator === 'NotIn') {
      if (values.length === 0) errs.push(required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalid(child(path, 'operator'), req.operator, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(req.key, child(path, 'key')));
    values.forEach((v, j) => errs.push(...isValidLabelValue(v).map((msg) => invalid(index(child(path, 'values'), j), v, msg))));
  });
  return errs;
}

interface Requirement {
  key: string;
  op: 'Equals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/**
 * metav1.LabelSelectorAsSelector: null for an unparsable selector; `nothing` for an absent one;
 * an empty list of requirements matches everything.
 */
function requirementsOf(selector: LabelSelector | undefined | null): Requirement[] | 'nothing' | null {
  if (!selector) return 'nothing';
  // Selectors come from stored objects, which are never mutated: parse each one once.
  if (!parsedSelectors.has(selector)) parsedSelectors.set(selector, parseRequirements(selector));
  return parsedSelectors.get(selector)!;
}

const parsedSelectors = new WeakMap<LabelSelector, Requirement[] | null>();

function parseRequirements(selector: LabelSelector): Requirement[] | null {
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) reqs.push({ key: k, op: 'Equals', values: [v] });
  for (const e of selector.matchExpressions ?? []) {
    const values = e.values ?? [];
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (values.length === 0) return null;
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (values.length > 0) return null;
    } else return null;
    reqs.push({ key: e.key, op: e.operator, values });
  }
  if (reqs.some((r) => isQualifiedName(r.key).length > 0 || r.values.some((v) => isValidLabelValue(v).length > 0))) return null;
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Whether `labels` satisfy the selector; an absent or unparsable selector matches nothing. */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  const reqs = requirementsOf(selector);
  if (reqs === null || reqs === 'nothing') return false;
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'Equals':
      case 'In':
        return has && r.values.includes(l[r.key]);
      case 'NotIn':
        return !has || !r.values.includes(l[r.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
    }
  });
}

/** Whether the selector selects everything (present with no requirements), as labels.Selector.Empty reports. */
export function selectorIsEmpty(selector: LabelSelector | undefined | null): boolean {
  const reqs = requirementsOf(selector);
  return Array.isArray(reqs) && reqs.length === 0;
}

/** labels.Selector.String(): `app=web,tier in (a,b),!legacy`; '' for none; undefined when unparsable. */
export function selectorString(selector: LabelSelector | undefined | null): string | undefined {
  const reqs = requirementsOf(selector);
  if (reqs === null) return undefined;
  if (reqs === 'nothing') return '';
  return reqs
    .map((r) => {
      const values = [...r.values].sort().join(',');
      switch (r.op) {
        case 'Equals':
          return `${r.key}=${values}`;
        case 'In':
          return `${r.key} in (${values})`;
        case 'NotIn':
          return `${r.key} notin (${values})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    })
    .join(',');
}

/** metav1.FormatLabelSelector: `<none>` when empty, `<error>` when unparsable. */
export function formatLabelSelector(selector: LabelSelector | undefined | null): string {
  const s = selectorString(selector);
  if (s === undefined) return '<error>';
  return s.length === 0 ? '<none>' : s;
}

/** A *metav1.LabelSelector as `Invalid value: ...` prints it: JSON with empty fields omitted, e.g. `{"matchLabels":{"app":"web"}}`. */
export function goLabelSelector(selector: LabelSelector | undefined | null): GoRaw {
  if (!selector || typeof selector !== 'object') return goJSON(null);
  const out: Record<string, unknown> = {};
  if (selector.matchLabels && Object.keys(selector.matchLabels).length) out.matchLabels = sortedMap(selector.matchLabels);
  if (Array.isArray(selector.matchExpressions) && selector.matchExpressions.length) {
    out.matchExpressions = selector.matchExpressions.map((e) => ({
      key: e?.key ?? '',
      operator: e?.operator ?? '',
      ...(e?.values?.length ? { values: e.values } : {}),
    }));
  }
  return goJSON(out);
}

/**
 * ValidatePodUpdate: a Pod's spec is immutable except container images, activeDeadlineSeconds
 * (only lowered), tolerations (only added), schedulingGates (only removed) and a negative
 * terminationGracePeriodSeconds becoming 1. Unlike upstream, spec.nodeName may also go from unset
 * to set, because the pods/binding subresource writes through this strategy (ResourceInfo has no
 * way to tell a binding from a user update).
 */
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { semanticEqual } from '../validation/equality';
import { asString, child, forbidden, inclusiveRangeError, index, invalid, required } from '../validation/field';
import { isObject, objectsOf } from './common';
import { validateTolerations } from './podspec-validation';

export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];
const MAX_INT32 = 2147483647;
const GO_NAMES: Record<string, string> = { dnsPolicy: 'DNSPolicy', dnsConfig: 'DNSConfig', hostPID: 'HostPID', hostIPC: 'HostIPC', os: 'OS' };

/** ValidateContainerUpdates: same count (else stop), every image present and untrimmed. */
function validateContainerUpdates(next: unknown, prev: unknown, path: string): { errors: FieldError[]; stop: boolean } {
  const a = objectsOf(next);
  if (a.length !== objectsOf(prev).length) return { errors: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errors = a.flatMap((c, i) => {
    const p = child(index(path, i), 'image');
    if (!c.image) return [required(p)];
    return c.image !== asString(c.image).trim() ? [invalid(p, c.image, 'must not have leading or trailing whitespace')] : [];
  });
  return { errors, stop: false };
}

/** activeDeadlineSeconds may be set or lowered, not raised or removed; `stop` ends validation as upstream does. */
function validateActiveDeadline(next: unknown, prev: unknown): { errors: FieldError[]; stop: boolean } {
  const path = 'spec.activeDeadlineSeconds';
  if (typeof next === 'number') {
    if (next < 0 || next > MAX_INT32) return { errors: [invalid(path, next, inclusiveRangeError(0, MAX_INT32))], stop: true };
    if (typeof prev === 'number' && prev < next) return { errors: [invalid(path, next, 'must be less than or equal to previous value')], stop: true };
    return { errors: [], stop: false };
  }
  return { errors: typeof prev === 'number' ? [invalid(path, null, 'must not update from a positive integer to nil value')] : [], stop: false };
}

function validateOnlyAddedTolerations(next: unknown, prev: unknown): FieldError[] {
  const candidates = objectsOf(next);
  for (const old of objectsOf(prev)) {
    const found = candidates.some((t) => semanticEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) return [forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, 'spec.tolerations');
}

function validateOnlyDeletedGates(next: unknown, prev: unknown): FieldError[] {
  const old = new Set(objectsOf(prev).map((g) => g.name));
  return objectsOf(next).flatMap((g, i) =>
    old.has(g.name) ? [] : [forbidden(child(index('spec.schedulingGates', i), 'name'), `only deletion is allowed, but found new scheduling gate '${g.name}'`)],
  );
}

/** A short rendering of what changed, in the spirit of the cmp.Diff upstream appends. */
function specDiff(prev: Record<string, any>, next: Record<string, any>): string {
  const keys = [...new Set([...Object.keys(prev), ...Object.keys(next)])];
  const changed = keys.filter((k) => !semanticEqual(prev[k], next[k]));
  const goName = (k: string) => GO_NAMES[k] ?? k.charAt(0).toUpperCase() + k.slice(1);
  const show = (v: unknown) => (v === undefined ? 'nil' : JSON.stringify(v));
  const lines = changed.flatMap((k) => [`- \t${goName(k)}: ${show(prev[k])},`, `+ \t${goName(k)}: ${show(next[k])},`]);
  const same = keys.length - changed.length;
  return ['  core.PodSpec{', ...(same ? [`  \t... // ${same} identical fields`] : []), ...lines, '  }'].join('\n');
}

/** The new spec with every field an update may change put back to its old value. */
function munge(next: Record<string, any>, prev: Record<string, any>): Record<string, any> {
  const m: Record<string, any> = structuredClone(next);
  for (const list of ['containers', 'initContainers']) {
    if (Array.isArray(m[list])) m[list] = objectsOf(m[list]).map((c, i) => ({ ...c, image: objectsOf(prev[list])[i]?.image }));
  }
  m.activeDeadlineSeconds = prev.activeDeadlineSeconds;
  // pods/binding writes through this same strategy: nodeName may go from unset to set (only there, upstream).
  if (!prev.nodeName) m.nodeName = prev.nodeName;
  m.schedulingGates = prev.schedulingGates;
  m.tolerations = prev.tolerations;
  if (typeof prev.terminationGracePeriodSeconds === 'number' && prev.terminationGracePeriodSeconds < 0 && m.terminationGracePeriodSeconds === 1) {
    m.terminationGracePeriodSeconds = prev.terminationGracePeriodSeconds;
  }
  if (objectsOf(prev.schedulingGates).length > 0 && isObject(m.nodeSelector)) {
    const old: Record<string, string> = prev.nodeSelector ?? {};
    if (Object.entries(old).every(([k, v]) => m.nodeSelector[k] === v)) m.nodeSelector = prev.nodeSelector;
  }
  for (const k of Object.keys(m)) if (m[k] === undefined) delete m[k];
  return m;
}

/** Spec rules of an update; metadata and the new object's own validity are checked by the caller. */
export function validatePodSpecUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const next: Record<string, any> = isObject(pod.spec) ? pod.spec : {};
  const prev: Record<string, any> = isObject(old.spec) ? old.spec : {};
  const errs: FieldError[] = [];
  for (const list of ['containers', 'initContainers']) {
    const r = validateContainerUpdates(next[list], prev[list], child('spec', list));
    errs.push(...r.errors);
    if (r.stop) return errs;
  }
  const deadline = validateActiveDeadline(next.activeDeadlineSeconds, prev.activeDeadlineSeconds);
  errs.push(...deadline.errors);
  if (deadline.stop) return errs;
  errs.push(...validateOnlyAddedTolerations(next.tolerations, prev.tolerations));
  errs.push(...validateOnlyDeletedGates(next.schedulingGates, prev.schedulingGates));
  if (semanticEqual(next, prev)) return errs;
  const munged = munge(next, prev);
  if (!semanticEqual(munged, prev)) {
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${specDiff(prev, munged)}`));
  }
  return errs;
}

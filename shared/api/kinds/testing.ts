/** Test helpers for kind files: run a kind's strategy the way the store does and print errors as the API would. */
import { invalid } from '../status';
import type { FieldError } from '../status';
import type { ResourceInfo } from '../resource';
import type { KubeObject } from '../types';

/** `field: detail` lines, as they appear inside an Invalid message. */
export function show(errors: FieldError[]): string[] {
  return errors.map((e) => `${e.field}: ${e.detail}`);
}

/** Defaults then validates a new object; the API's message, or 'OK'. */
export function create(info: ResourceInfo, obj: KubeObject): string {
  info.defaults(obj);
  const errs = info.validate(obj);
  return errs.length ? invalid(info.kind, info.group, obj.metadata?.name ?? '', errs).message : 'OK';
}

/** Defaults then validates an update of `old`; the API's message, or 'OK'. */
export function update(info: ResourceInfo, obj: KubeObject, old: KubeObject): string {
  info.defaults(obj);
  const errs = info.validateUpdate ? info.validateUpdate(obj, old) : info.validate(obj);
  return errs.length ? invalid(info.kind, info.group, obj.metadata?.name ?? '', errs).message : 'OK';
}

/** A deep copy, so table cases never share objects. */
export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Event (core v1): validation as the v1 API applies it and `kubectl get events` columns. */
import { translateTimestampSince } from '../age';
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { asString, dedupe, invalid, required } from '../validation/field';
import { byteLength, isDNS1123Subdomain, isQualifiedName, validatePathSegmentName } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { column, metaOf, nameColumn } from './common';

const LENGTH_LIMITS: [field: string, limit: number][] = [
  ['reportingInstance', 128],
  ['action', 128],
  ['reason', 128],
  ['message', 1024],
];

/**
 * legacyValidateEvent, all the v1 API applies: involvedObject.namespace must match, and events
 * that carry eventTime need the reporting fields (`reportingComponent` is reportingController inside).
 */
function validateLegacy(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = metaOf(obj).namespace ?? '';
  const involvedNs: string = obj.involvedObject?.namespace ?? '';
  const mismatch = () => invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!obj.eventTime) {
    if (involvedNs === '' ? ns !== '' && ns !== 'default' : ns !== involvedNs) errs.push(mismatch());
  } else {
    if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    const controller = asString(obj.reportingComponent);
    if (!controller) errs.push(required('reportingController'));
    errs.push(...isQualifiedName(controller).map((msg) => invalid('reportingController', controller, msg)));
    if (!obj.reportingInstance) errs.push(required('reportingInstance'));
    if (!obj.action) errs.push(required('action'));
    if (!obj.reason) errs.push(required('reason'));
    for (const [field, limit] of LENGTH_LIMITS) {
      if (byteLength(asString(obj[field])) > limit) errs.push(invalid(field, '', `can have at most ${limit} characters`));
    }
  }
  errs.push(...isDNS1123Subdomain(ns).map((msg) => invalid('namespace', ns, msg)));
  return errs;
}

/** Event-specific errors first; the generic metadata checks (path-segment names) only when those pass. */
function validate(obj: KubeObject): FieldError[] {
  const errs = validateLegacy(obj);
  return errs.length ? errs : validateObjectMeta(metaOf(obj), { namespaced: true, nameFn: validatePathSegmentName, kubeFinalizers: false });
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return dedupe([...validateObjectMetaUpdate(metaOf(obj), metaOf(old), 'metadata', false), ...validateLegacy(obj)]);
}

function source(obj: KubeObject): string {
  const component = obj.source?.component || obj.reportingComponent || '';
  const host = obj.source?.host || obj.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

/** LAST SEEN TYPE REASON OBJECT MESSAGE, then (wide) SUBOBJECT SOURCE FIRST SEEN COUNT NAME. */
function row(obj: KubeObject, now: Date): unknown[] {
  const first = translateTimestampSince(obj.firstTimestamp || obj.eventTime, now);
  let last = obj.lastTimestamp ? translateTimestampSince(obj.lastTimestamp, now) : first;
  let count: number = obj.count ?? 0;
  if (obj.series) {
    last = translateTimestampSince(obj.series.lastObservedTime, now);
    count = obj.series.count ?? 0;
  } else if (count === 0) count = 1;
  const kind = asString(obj.involvedObject?.kind ?? '').toLowerCase();
  const target = obj.involvedObject?.name ? `${kind}/${obj.involvedObject.name}` : kind;
  const message = asString(obj.message ?? '').trim();
  return [last, obj.type ?? '', obj.reason ?? '', target, obj.involvedObject?.fieldPath ?? '', source(obj), message, first, count, metaOf(obj).name ?? ''];
}

export const events: ResourceInfo = {
  resource: 'events',
  singular: 'event',
  kind: 'Event',
  listKind: 'EventList',
  group: '',
  version: 'v1',
  namespaced: true,
  shortNames: ['ev'],
  subresources: [],
  hasStatusSubresource: false,
  hasGeneration: false,
  defaults: () => {},
  validate,
  validateUpdate,
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    column('Object', 'string', 'The object that this event is about.'),
    column('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.', 1),
    column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    column('Count', 'string', 'The number of times this event has occurred.', 1),
    nameColumn(1),
  ],
  row,
};

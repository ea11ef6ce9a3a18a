/**
 * Load (sim.kubeq.io/v1alpha1): simulated traffic to a Service — a request-rate shape over
 * time (shared/load/shape.ts), what each request costs the pod that serves it, how many client
 * addresses send it, for how long, and what share becomes traced packets. The proxy role serves
 * it (workers/proxy/load.ts) and writes its status: offered, served, held and dropped rates, the
 * pods that served it, latency.
 */
import { quantityError } from '../quantity';
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { dedupe, invalid, required } from '../validation/field';
import { isDNS1035Label, nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { durationMs, rateErrors } from '../../load/shape';
import { ageCell, ageColumn, column, isObject, metaOf, nameColumn } from './common';

export const LOAD_DEFAULTS = { cpu: '10m', memory: '1Mi', latency: '20ms', clients: 10, sampleRate: 0 };
export const MAX_CLIENTS = 1000;

function defaults(obj: KubeObject): void {
  obj.spec ??= {};
  const spec = obj.spec;
  if (!isObject(spec)) return;
  if (isObject(spec.rate)) spec.rate.shape ??= 'Constant';
  spec.cost ??= {};
  if (isObject(spec.cost)) {
    spec.cost.cpu ??= LOAD_DEFAULTS.cpu;
    spec.cost.memory ??= LOAD_DEFAULTS.memory;
    spec.cost.latency ??= LOAD_DEFAULTS.latency;
  }
  spec.clients ??= LOAD_DEFAULTS.clients;
  spec.sampleRate ??= LOAD_DEFAULTS.sampleRate;
}

function validateSpec(obj: KubeObject): FieldError[] {
  const spec = obj.spec;
  if (!isObject(spec)) return [required('spec')];
  const errs: FieldError[] = [];
  if (!spec.service) errs.push(required('spec.service', 'the Service to send to'));
  else if (typeof spec.service !== 'string' || isDNS1035Label(spec.service).length) errs.push(invalid('spec.service', spec.service, 'must be the name of a Service in the namespace'));
  if (spec.port !== undefined && !(Number.isInteger(spec.port) && spec.port >= 1 && spec.port <= 65535) && !(typeof spec.port === 'string' && spec.port.length > 0)) {
    errs.push(invalid('spec.port', spec.port, 'must be a port number (1-65535) or the name of a Service port'));
  }
  for (const [path, value, detail] of rateErrors(spec.rate)) errs.push(detail === 'required' ? required(`spec.rate${path}`) : invalid(`spec.rate${path}`, value, detail));
  const cost = spec.cost ?? {};
  if (!isObject(cost)) errs.push(invalid('spec.cost', cost, 'must be an object'));
  else {
    for (const field of ['cpu', 'memory'] as const) {
      const bad = cost[field] === undefined ? undefined : quantityError(cost[field]);
      if (bad) errs.push(invalid(`spec.cost.${field}`, cost[field], bad));
    }
    if (cost.latency !== undefined && durationMs(cost.latency) === undefined) errs.push(invalid('spec.cost.latency', cost.latency, 'must be a duration (e.g. 20ms, or seconds)'));
  }
  if (spec.clients !== undefined && !(Number.isInteger(spec.clients) && spec.clients >= 1 && spec.clients <= MAX_CLIENTS)) errs.push(invalid('spec.clients', spec.clients, `must be an integer from 1 to ${MAX_CLIENTS}`));
  if (spec.sampleRate !== undefined && !(typeof spec.sampleRate === 'number' && spec.sampleRate >= 0 && spec.sampleRate <= 1)) errs.push(invalid('spec.sampleRate', spec.sampleRate, 'must be a number from 0 to 1'));
  if (spec.duration !== undefined && !((durationMs(spec.duration) ?? 0) > 0)) errs.push(invalid('spec.duration', spec.duration, 'must be a duration greater than 0 (e.g. 10m, or seconds)'));
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  return [...validateObjectMeta(metaOf(obj), { namespaced: true, nameFn: nameIsDNSSubdomain, kubeFinalizers: false }), ...validateSpec(obj)];
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return dedupe([...validateObjectMetaUpdate(metaOf(obj), metaOf(old), 'metadata', false), ...validate(obj)]);
}

/** `12.5/s`, `<none>` before the first sync. */
export function rpsCell(value: unknown): string {
  return typeof value === 'number' ? `${Math.round(value * 10) / 10}/s` : '<none>';
}

export const loads: ResourceInfo = {
  resource: 'loads',
  singular: 'load',
  kind: 'Load',
  listKind: 'LoadList',
  group: 'sim.kubeq.io',
  version: 'v1alpha1',
  namespaced: true,
  categories: ['kubeq'],
  subresources: ['status'],
  hasStatusSubresource: true,
  hasGeneration: true,
  defaults,
  validate,
  validateUpdate,
  columns: [
    nameColumn(),
    column('Service', 'string', 'The Service the load sends to.'),
    column('Shape', 'string', 'The request-rate shape.'),
    column('Offered', 'string', 'Requests per second sent at the last sync.'),
    column('Served', 'string', 'Requests per second served by ready endpoints at the last sync.'),
    column('Dropped', 'string', 'Requests per second refused: no ready endpoint.'),
    column('Endpoints', 'integer', 'Pods that served requests at the last sync.'),
    column('Phase', 'string', 'Running, or Completed after spec.duration.'),
    column('Latency', 'string', 'Mean request latency at the last sync.', 1),
    ageColumn(),
  ],
  row: (obj, now) => {
    const s = obj.status ?? {};
    return [
      metaOf(obj).name ?? '',
      obj.spec?.service ?? '',
      obj.spec?.rate?.shape ?? 'Constant',
      rpsCell(s.offeredRPS),
      rpsCell(s.servedRPS),
      rpsCell(s.droppedRPS),
      Array.isArray(s.servedBy) ? s.servedBy.length : 0,
      s.phase ?? 'Pending',
      typeof s.latencyMs === 'number' ? `${Math.round(s.latencyMs)}ms` : '<none>',
      ageCell(obj, now),
    ];
  },
};

/** Endpoints (core v1): defaults, validation (ValidateEndpoints) and `kubectl get endpoints` columns. */
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { asString, child, dedupe, index, invalid, notSupported, required } from '../validation/field';
import { isDNS1123Label, isValidPortNum, nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { ageCell, ageColumn, column, metaOf, nameColumn, objectsOf, setDefaultString } from './common';
import { isValidIP } from './service-validation';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** SetDefaults_Endpoints: every port's protocol TCP. */
function defaults(obj: KubeObject): void {
  for (const subset of objectsOf(obj.subsets)) {
    for (const port of objectsOf(subset.ports)) setDefaultString(port, 'protocol', 'TCP');
  }
}

/** A port of an Endpoints subset or an EndpointSlice (validateEndpointPort). */
export function validateEndpointPort(port: Record<string, any>, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = asString(port.name);
  if (requireName && !name) errs.push(required(child(path, 'name')));
  else if (name) errs.push(...isDNS1123Label(name).map((m) => invalid(child(path, 'name'), name, m)));
  errs.push(...isValidPortNum(port.port).map((m) => invalid(child(path, 'port'), port.port ?? 0, m)));
  if (!port.protocol) errs.push(required(child(path, 'protocol')));
  else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(child(path, 'protocol'), port.protocol, PROTOCOLS));
  return errs;
}

function validateSubsets(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  objectsOf(obj.subsets).forEach((subset, i) => {
    const path = index('subsets', i);
    const addresses = objectsOf(subset.addresses);
    const notReady = objectsOf(subset.notReadyAddresses);
    if (addresses.length === 0 && notReady.length === 0) errs.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
    for (const [field, list] of [['addresses', addresses], ['notReadyAddresses', notReady]] as const) {
      list.forEach((a, j) => {
        if (!isValidIP(a.ip)) errs.push(invalid(child(index(child(path, field), j), 'ip'), asString(a.ip), 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
      });
    }
    const ports = objectsOf(subset.ports);
    ports.forEach((p, j) => errs.push(...validateEndpointPort(p, ports.length > 1, index(child(path, 'ports'), j))));
  });
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  return [...validateObjectMeta(metaOf(obj), { namespaced: true, nameFn: nameIsDNSSubdomain }), ...validateSubsets(obj)];
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return dedupe([...validateObjectMetaUpdate(metaOf(obj), metaOf(old)), ...validateSubsets(obj)]);
}

/** `ip:port` of the ready addresses, at most 3 then `+ N more...`; `<none>` without subsets (formatEndpoints). */
export function formatEndpoints(obj: KubeObject): string {
  const subsets = objectsOf(obj.subsets);
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  const add = (entry: string) => {
    if (list.length === max) more = true;
    else list.push(entry);
  };
  for (const ss of subsets) {
    const addresses = objectsOf(ss.addresses);
    const ports = objectsOf(ss.ports);
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) add(asString(a.ip));
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) add(asString(a.ip).includes(':') ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`);
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpoints: ResourceInfo = {
  resource: 'endpoints',
  singular: 'endpoints',
  kind: 'Endpoints',
  listKind: 'EndpointsList',
  group: '',
  version: 'v1',
  namespaced: true,
  shortNames: ['ep'],
  subresources: [],
  hasStatusSubresource: false,
  hasGeneration: false,
  defaults,
  validate,
  validateUpdate,
  columns: [nameColumn(), column('Endpoints', 'string', 'Endpoints of the service'), ageColumn()],
  row: (obj, now) => [metaOf(obj).name ?? '', formatEndpoints(obj), ageCell(obj, now)],
};

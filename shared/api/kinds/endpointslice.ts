/** EndpointSlice (discovery.k8s.io/v1): defaults, validation (ValidateEndpointSlice) and `kubectl get endpointslices` columns. */
import ipaddr from 'ipaddr.js';
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { asString, child, dedupe, index, invalid, notSupported, required } from '../validation/field';
import { isDNS1123Subdomain, nameIsDNSSubdomain } from '../validation/names';
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { ageCell, ageColumn, column, metaOf, nameColumn, objectsOf, setDefault, setDefaultString } from './common';
import { validateEndpointPort } from './endpoints';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 100;
const MAX_ADDRESSES = 100;

/** SetDefaults_EndpointPort: name `""`, protocol TCP. */
function defaults(obj: KubeObject): void {
  for (const port of objectsOf(obj.ports)) {
    setDefault(port, 'name', '');
    setDefaultString(port, 'protocol', 'TCP');
  }
}

function addressErrors(addressType: string, address: string): string[] {
  if (addressType === 'IPv4') return ipaddr.IPv4.isValidFourPartDecimal(address) ? [] : ['must be a valid IPv4 address'];
  if (addressType === 'IPv6') return address.includes(':') && ipaddr.IPv6.isValid(address) ? [] : ['must be a valid IPv6 address'];
  return isDNS1123Subdomain(address);
}

/** `Too many: 1001: must have at most 1000 items` (FieldValueTooMany, which FieldError's type does not list yet). */
const tooMany = (path: string, n: number, max: number): FieldError => ({ field: path, type: 'FieldValueTooMany' as FieldError['type'], detail: `Too many: ${n}: must have at most ${max} items` });

function validateBody(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const addressType = asString(obj.addressType);
  if (!addressType) errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(notSupported('addressType', addressType, ADDRESS_TYPES));
  const eps = objectsOf(obj.endpoints);
  if (eps.length > MAX_ENDPOINTS) errs.push(tooMany('endpoints', eps.length, MAX_ENDPOINTS));
  eps.forEach((ep, i) => {
    const path = child(index('endpoints', i), 'addresses');
    const addresses: unknown[] = Array.isArray(ep.addresses) ? ep.addresses : [];
    if (addresses.length === 0) errs.push(required(path, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(path, addresses.length, MAX_ADDRESSES));
    addresses.forEach((a, j) => {
      if (ADDRESS_TYPES.includes(addressType)) errs.push(...addressErrors(addressType, asString(a)).map((m) => invalid(index(path, j), asString(a), m)));
    });
  });
  const ports = objectsOf(obj.ports);
  if (ports.length > MAX_PORTS) errs.push(tooMany('ports', ports.length, MAX_PORTS));
  ports.forEach((p, i) => errs.push(...validateEndpointPort({ ...p, port: p.port ?? 1 }, false, index('ports', i))));
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  return [...validateObjectMeta(metaOf(obj), { namespaced: true, nameFn: nameIsDNSSubdomain }), ...validateBody(obj)];
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return dedupe([...validateObjectMetaUpdate(metaOf(obj), metaOf(old)), ...validateBody(obj), ...validateImmutableField(obj.addressType, old.addressType, 'addressType')]);
}

/** Up to 3 items then `+ N more...`; `<unset>` for none (listWithMoreString). */
function listWithMore(items: string[]): string {
  const max = 3;
  if (items.length > max) return `${items.slice(0, max).join(',')} + ${items.length - max} more...`;
  return items.length ? items.join(',') : '<unset>';
}

/** PORTS: each port's number, else its name, else `*` (formatDiscoveryPorts). */
export function formatDiscoveryPorts(obj: KubeObject): string {
  return listWithMore(objectsOf(obj.ports).map((p) => (typeof p.port === 'number' ? String(p.port) : p.name ? asString(p.name) : '*')));
}

/** ENDPOINTS: every address of every endpoint (formatDiscoveryEndpoints). */
export function formatDiscoveryEndpoints(obj: KubeObject): string {
  return listWithMore(objectsOf(obj.endpoints).flatMap((ep) => (Array.isArray(ep.addresses) ? ep.addresses.map(asString) : [])));
}

export const endpointslices: ResourceInfo = {
  resource: 'endpointslices',
  singular: 'endpointslice',
  kind: 'EndpointSlice',
  listKind: 'EndpointSliceList',
  group: 'discovery.k8s.io',
  version: 'v1',
  namespaced: true,
  subresources: [],
  hasStatusSubresource: false,
  hasGeneration: true,
  defaults,
  validate,
  validateUpdate,
  columns: [
    nameColumn(),
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn(),
  ],
  row: (obj, now) => [metaOf(obj).name ?? '', asString(obj.addressType), formatDiscoveryPorts(obj), formatDiscoveryEndpoints(obj), ageCell(obj, now)],
};

import type { KubeObject } from '../types';
import { endpoints } from './endpoints';
import { endpointslices } from './endpointslice';
import { clone, show, update } from './testing';

const now = new Date('2024-05-01T12:00:00Z');
const meta = { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T11:00:00Z' };

const ep = (subsets: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { ...meta }, subsets });
const slice = (body: Record<string, unknown>): KubeObject => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { ...meta, name: 'web-abc12' }, addressType: 'IPv4', endpoints: [], ...body });
const addrs = (...ips: string[]) => ips.map((ip) => ({ ip }));

describe('Endpoints', () => {
  it('defaults port protocols to TCP', () => {
    const e = ep([{ addresses: addrs('10.244.1.5'), ports: [{ port: 8080 }] }]);
    endpoints.defaults(e);
    expect(e.subsets[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });

  it.each<[string, unknown[], string[]]>([
    ['valid', [{ addresses: addrs('10.244.1.5'), notReadyAddresses: addrs('10.244.2.5'), ports: [{ port: 8080 }] }], []],
    ['empty subsets', [], []],
    ['no addresses', [{ ports: [{ port: 80 }] }], ['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']],
    ['bad ip', [{ addresses: addrs('10.244.1'), ports: [{ port: 80 }] }], ['subsets[0].addresses[0].ip: Invalid value: "10.244.1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['unnamed ports', [{ addresses: addrs('10.244.1.5'), ports: [{ port: 80 }, { port: 81 }] }], ['subsets[0].ports[0].name: Required value', 'subsets[0].ports[1].name: Required value']],
  ])('validates %s', (_name, subsets, want) => {
    const e = ep(subsets);
    endpoints.defaults(e);
    expect(show(endpoints.validate(e))).toEqual(want);
  });

  it.each<[string, unknown[], string]>([
    ['none', [], '<none>'],
    ['one port', [{ addresses: addrs('10.244.1.5', '10.244.2.5'), ports: [{ port: 8080 }] }], '10.244.1.5:8080,10.244.2.5:8080'],
    ['more than three', [{ addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'), ports: [{ port: 80 }, { port: 81, name: 'b' }] }], '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 5 more...'],
    ['headless without ports', [{ addresses: addrs('10.0.0.1') }], '10.0.0.1'],
    ['only not ready', [{ notReadyAddresses: addrs('10.0.0.1'), ports: [{ port: 80 }] }], ''],
    ['IPv6', [{ addresses: addrs('fd00::1'), ports: [{ port: 80 }] }], '[fd00::1]:80'],
  ])('prints ENDPOINTS: %s', (_name, subsets, want) => {
    expect(endpoints.columns.map((c) => c.name)).toEqual(['Name', 'Endpoints', 'Age']);
    expect(endpoints.row(ep(subsets), now)).toEqual(['web', want, '60m']);
  });
});

describe('EndpointSlice', () => {
  it('defaults port names and protocols', () => {
    const s = slice({ ports: [{ port: 8080 }] });
    endpointslices.defaults(s);
    expect(s.ports).toEqual([{ port: 8080, name: '', protocol: 'TCP' }]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['valid', { endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }], ports: [{ name: 'http', port: 8080 }] }, []],
    ['no address type', { addressType: undefined }, ['addressType: Required value']],
    ['bad address type', { addressType: 'IPX' }, ['addressType: Unsupported value: "IPX": supported values: "FQDN", "IPv4", "IPv6"']],
    ['no addresses', { endpoints: [{ addresses: [] }] }, ['endpoints[0].addresses: Required value: must contain at least 1 address']],
    ['bad IPv4', { endpoints: [{ addresses: ['fd00::1'] }] }, ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address']],
    ['too many', { endpoints: Array.from({ length: 1001 }, () => ({ addresses: ['10.0.0.1'] })) }, ['endpoints: Too many: 1001: must have at most 1000 items']],
  ])('validates %s', (_name, body, want) => {
    const s = slice(body);
    endpointslices.defaults(s);
    expect(show(endpointslices.validate(s))).toEqual(want);
  });

  it('keeps addressType immutable', () => {
    const old = slice({});
    const next = clone(old);
    next.addressType = 'IPv6';
    expect(update(endpointslices, next, old)).toBe('EndpointSlice.discovery.k8s.io "web-abc12" is invalid: addressType: Invalid value: "IPv6": field is immutable');
  });

  it.each<[string, Record<string, unknown>, unknown[]]>([
    ['empty', {}, ['web-abc12', 'IPv4', '<unset>', '<unset>', '60m']],
    ['ports and endpoints', { ports: [{ port: 8080 }, { name: 'metrics' }, {}], endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }] }, ['web-abc12', 'IPv4', '8080,metrics,*', '10.0.0.1,10.0.0.2', '60m']],
    ['more than three', { endpoints: ['1', '2', '3', '4', '5'].map((n) => ({ addresses: [`10.0.0.${n}`] })) }, ['web-abc12', 'IPv4', '<unset>', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...', '60m']],
  ])('prints %s', (_name, body, want) => {
    expect(endpointslices.columns.map((c) => c.name)).toEqual(['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
    expect(endpointslices.row(slice(body), now)).toEqual(want);
  });
});

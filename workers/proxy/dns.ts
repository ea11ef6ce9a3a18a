/**
 * Cluster DNS records, as CoreDNS's kubernetes plugin serves them for `cluster.local` (the
 * Corefile kubeadm writes: `pods insecure`, ttl 5):
 *
 * - `<svc>.<ns>.svc.cluster.local`: A to the ClusterIP; a headless Service one A per ready
 *   endpoint (all with publishNotReadyAddresses); an ExternalName Service a CNAME;
 * - `<endpoint>.<svc>.<ns>.svc.cluster.local` for a headless Service's endpoints: the endpoint's
 *   hostname (a pod's `hostname` with `subdomain` = the Service) or its dashed address;
 * - `_<port>._<proto>.<svc>.<ns>.svc.cluster.local`: SRV for named ports (priority 0, weight
 *   100), to the Service's name, or to each endpoint's name for a headless Service;
 * - `a-b-c-d.<ns>.pod.cluster.local`: A to a.b.c.d;
 * - anything else in the zone: NXDOMAIN; a name that exists without records of the asked type:
 *   no answer (NODATA).
 *
 * Pure: a lookup over the cached Services and EndpointSlices. `searchNames` is the other half,
 * a pod's resolver: its resolv.conf search path with `ndots:5`.
 */
import type { KubeObject } from '../../shared/api/types';
import type { Indexer } from '../../shared/informer/indexer';
import { NAMESPACE_INDEX } from '../../shared/informer/indexers';

export const CLUSTER_DOMAIN = 'cluster.local';
/** CoreDNS kubernetes plugin's default TTL. */
export const TTL = 5;

export interface DnsData {
  service(namespace: string, name: string): KubeObject | undefined;
  /** The EndpointSlices labelled for the Service. */
  slices(namespace: string, service: string): KubeObject[];
  namespaceExists(namespace: string): boolean;
}

export type DnsRecord = { type: 'A'; name: string; ttl: number; data: string } | { type: 'CNAME'; name: string; ttl: number; data: string } | { type: 'SRV'; name: string; ttl: number; data: { priority: number; weight: number; port: number; target: string } };

export interface DnsAnswer {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED';
  answers: DnsRecord[];
  /** Records that help (the A records behind SRV targets). */
  additionals: DnsRecord[];
}

const nx = (): DnsAnswer => ({ rcode: 'NXDOMAIN', answers: [], additionals: [] });
const ok = (answers: DnsRecord[], additionals: DnsRecord[] = []): DnsAnswer => ({ rcode: 'NOERROR', answers, additionals });
const dashed = (ip: string) => ip.replace(/\./g, '-');
const isIPv4 = (s: string) => /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((o) => Number(o) <= 255);

/** A headless Service's endpoints DNS serves: ready ones (every one with publishNotReadyAddresses), each with its DNS label. */
function dnsEndpoints(data: DnsData, service: KubeObject): { label: string; ip: string; ports: any[] }[] {
  const all = !!service.spec?.publishNotReadyAddresses;
  const out: { label: string; ip: string; ports: any[] }[] = [];
  for (const slice of data.slices(service.metadata.namespace!, service.metadata.name!)) {
    for (const e of slice.endpoints ?? []) {
      if (!all && e.conditions?.ready === false) continue;
      for (const ip of e.addresses ?? []) out.push({ label: e.hostname ?? dashed(ip), ip, ports: slice.ports ?? [] });
    }
  }
  return out;
}

function serviceRecords(data: DnsData, service: KubeObject, fqdn: string, type: string): DnsAnswer {
  const spec = service.spec ?? {};
  if (spec.type === 'ExternalName') return type === 'A' || type === 'CNAME' || type === 'ANY' ? ok([{ type: 'CNAME', name: fqdn, ttl: TTL, data: spec.externalName }]) : ok([]);
  if (type !== 'A' && type !== 'ANY') return ok([]);
  if (spec.clusterIP && spec.clusterIP !== 'None') return ok([{ type: 'A', name: fqdn, ttl: TTL, data: spec.clusterIP }]);
  return ok(dnsEndpoints(data, service).map((e) => ({ type: 'A', name: fqdn, ttl: TTL, data: e.ip })));
}

function srvRecords(data: DnsData, service: KubeObject, fqdn: string, portName: string, proto: string): DnsAnswer {
  const port = (service.spec?.ports ?? []).find((p: any) => p.name === portName && (p.protocol ?? 'TCP').toLowerCase() === proto);
  if (!port) return nx();
  const svcName = `${service.metadata.name}.${service.metadata.namespace}.svc.${CLUSTER_DOMAIN}`;
  if (service.spec?.clusterIP && service.spec.clusterIP !== 'None') {
    return ok([{ type: 'SRV', name: fqdn, ttl: TTL, data: { priority: 0, weight: 100, port: port.port, target: svcName } }], [{ type: 'A', name: svcName, ttl: TTL, data: service.spec.clusterIP }]);
  }
  const answers: DnsRecord[] = [];
  const additionals: DnsRecord[] = [];
  for (const e of dnsEndpoints(data, service)) {
    const ep = e.ports.find((p: any) => p.name === portName && (p.protocol ?? 'TCP').toLowerCase() === proto);
    if (!ep) continue;
    const target = `${e.label}.${svcName}`;
    answers.push({ type: 'SRV', name: fqdn, ttl: TTL, data: { priority: 0, weight: 100, port: ep.port, target } });
    additionals.push({ type: 'A', name: target, ttl: TTL, data: e.ip });
  }
  return ok(answers, additionals);
}

/** Answers one question (`name` without the trailing dot, any case). */
export function lookup(data: DnsData, qname: string, type: string): DnsAnswer {
  const name = qname.toLowerCase().replace(/\.$/, '');
  if (name !== CLUSTER_DOMAIN && !name.endsWith(`.${CLUSTER_DOMAIN}`)) return { rcode: 'REFUSED', answers: [], additionals: [] };
  if (name === CLUSTER_DOMAIN) return ok([]);
  const labels = name.slice(0, -(CLUSTER_DOMAIN.length + 1)).split('.');
  const kind = labels.at(-1);
  if (kind !== 'svc' && kind !== 'pod') return nx();
  // svc.cluster.local and <ns>.svc.cluster.local exist (without records) while the namespace does.
  if (labels.length === 1) return ok([]);
  if (labels.length === 2) return data.namespaceExists(labels[0]) ? ok([]) : nx();
  if (kind === 'pod') {
    if (labels.length !== 3) return nx();
    const [ip, ns] = [labels[0].replace(/-/g, '.'), labels[1]];
    if (!isIPv4(ip) || !data.namespaceExists(ns)) return nx();
    return ok(type === 'A' || type === 'ANY' ? [{ type: 'A', name, ttl: TTL, data: ip }] : []);
  }
  const rest = labels.slice(0, -1);
  if (rest.length === 2) {
    const service = data.service(rest[1], rest[0]);
    return service ? serviceRecords(data, service, name, type) : nx();
  }
  if (rest.length === 4 && rest[0].startsWith('_') && rest[1].startsWith('_')) {
    const service = data.service(rest[3], rest[2]);
    if (!service || (type !== 'SRV' && type !== 'ANY')) return service ? ok([]) : nx();
    return srvRecords(data, service, name, rest[0].slice(1), rest[1].slice(1));
  }
  if (rest.length === 3) {
    const service = data.service(rest[2], rest[1]);
    if (!service || (service.spec?.clusterIP && service.spec.clusterIP !== 'None')) return nx();
    const matches = dnsEndpoints(data, service).filter((e) => e.label === rest[0]);
    if (!matches.length) return nx();
    return ok(type === 'A' || type === 'ANY' ? matches.map((e) => ({ type: 'A', name, ttl: TTL, data: e.ip })) : []);
  }
  return nx();
}

/** The names a pod in `namespace` asks for `name`, in order (resolv.conf: search <ns>.svc, svc, cluster.local; ndots:5). */
export function searchNames(name: string, namespace: string): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const search = [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN].map((s) => `${name}.${s}`);
  const dots = name.split('.').length - 1;
  return dots >= 5 ? [name, ...search] : [...search, name];
}

/** DNS data read from an informer cache holding services, endpointslices and namespaces. */
export function cacheDnsData(cache: Indexer): DnsData {
  return {
    service: (ns, name) => cache.get(`services/${ns}/${name}`),
    slices: (ns, service) => cache.byIndex(NAMESPACE_INDEX, ns, 'endpointslices').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service),
    namespaceExists: (ns) => !!cache.get(`namespaces/${ns}`),
  };
}

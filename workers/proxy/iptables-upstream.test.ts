/**
 * Upstream's own scenario (pkg/proxy/iptables/proxier_test.go, TestOverallIPTablesRules) run
 * with the settings of upstream's fake proxier: cluster CIDR 10.0.0.0/8, nfacct present, no
 * --random-fully. The assertions check the rules whose shapes are easiest to get wrong against
 * the lines upstream expects for that scenario.
 */
import { buildIptablesRules } from './iptables';
import { buildServicePorts } from './serviceports';
import type { EndpointSlice, Service } from './types';

const node = { name: 'test-node', ip: '192.168.0.2' };
const port = (nodePort?: number) => [{ name: 'p80', port: 80, protocol: 'TCP' as const, ...(nodePort ? { nodePort } : {}) }];
const svc = (ns: string, name: string, spec: Service['spec'], lb?: string): Service => ({
  metadata: { namespace: ns, name },
  spec,
  ...(lb ? { status: { loadBalancer: { ingress: [{ ip: lb }] } } } : {}),
});
const slice = (ns: string, name: string, eps: { ip: string; node?: string }[]): EndpointSlice => ({
  metadata: { namespace: ns, name: `${name}-1`, labels: { 'kubernetes.io/service-name': name } },
  addressType: 'IPv4',
  ports: [{ name: 'p80', port: 80, protocol: 'TCP' }],
  endpoints: eps.map((e) => ({ addresses: [e.ip], ...(e.node ? { nodeName: e.node } : {}) })),
});

const services: Service[] = [
  svc('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: port() }),
  svc('ns2', 'svc2', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '172.30.0.42', ports: port(3001), externalIPs: ['192.168.99.22'], healthCheckNodePort: 30000 }, '1.2.3.4'),
  svc('ns3', 'svc3', { type: 'NodePort', clusterIP: '172.30.0.43', ports: port(3003) }),
  svc('ns4', 'svc4', { type: 'NodePort', clusterIP: '172.30.0.44', externalIPs: ['192.168.99.33'], ports: port() }),
  svc('ns5', 'svc5', {
    type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', clusterIP: '172.30.0.45', ports: port(3002), healthCheckNodePort: 30000,
    loadBalancerSourceRanges: [' 203.0.113.0/25'], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
  }, '5.6.7.8'),
  svc('ns6', 'svc6', { type: 'ClusterIP', clusterIP: '172.30.0.46', ports: port() }),
];
const slices = [
  slice('ns1', 'svc1', [{ ip: '10.180.0.1' }]),
  slice('ns2', 'svc2', [{ ip: '10.180.0.2' }]),
  slice('ns3', 'svc3', [{ ip: '10.180.0.3' }]),
  slice('ns4', 'svc4', [{ ip: '10.180.0.4' }, { ip: '10.180.0.5', node: 'test-node' }]),
  slice('ns5', 'svc5', [{ ip: '10.180.0.3' }]),
];

describe("upstream's TestOverallIPTablesRules scenario", () => {
  const rules = buildIptablesRules(buildServicePorts(services, slices, node), node, { clusterCIDR: '10.0.0.0/8', nfacct: true, randomFully: false });
  const nat = rules.nat.rules;
  const filter = rules.filter.rules;
  const chain = (name: string) => nat.filter((r) => r.startsWith(`-A ${name} `));

  it('writes the filter table upstream expects', () => {
    expect(filter.filter((r) => r.startsWith('-A KUBE-EXTERNAL-SERVICES') || r.startsWith('-A KUBE-SERVICES') || r.startsWith('-A KUBE-NODEPORTS') || r.startsWith('-A KUBE-PROXY-FIREWALL'))).toEqual([
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP',
      '-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT',
      '-A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP',
      '-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT',
    ]);
    expect(filter).toContain('-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP');
  });

  it('short-circuits pod and LOCAL traffic in KUBE-EXT for Local policy without local endpoints', () => {
    expect(chain('KUBE-EXT-GNZBNJ2PO5MGZ6GT')).toEqual([
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
    ]);
    expect(rules.nat.chains).not.toContain('KUBE-SVL-GNZBNJ2PO5MGZ6GT');
  });

  it('writes the firewall chain and affinity rules of svc5', () => {
    expect(chain('KUBE-FW-NUKIZ6OKUXPJNT4C')).toEqual([
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"',
    ]);
    expect(chain('KUBE-SVC-NUKIZ6OKUXPJNT4C')).toEqual([
      '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN',
      '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN',
    ]);
    expect(chain('KUBE-SEP-I77PXRDZVX7PMWMN')[1]).toBe(
      '-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80',
    );
  });

  it('counts localhost NodePort traffic with nfacct before the plain NodePort rule', () => {
    expect(chain('KUBE-NODEPORTS').slice(0, 2)).toEqual([
      '-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3001 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
    ]);
  });

  it('routes external-IP traffic of a Cluster-policy service through a masquerading KUBE-EXT', () => {
    expect(chain('KUBE-EXT-4SW47YFZTEDKD3PK')).toEqual([
      '-A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK',
    ]);
    expect(chain('KUBE-SVC-4SW47YFZTEDKD3PK')[1]).toBe(
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC',
    );
  });

  it('declares the chains upstream declares', () => {
    const declared = new Set(rules.nat.chains);
    for (const c of ['KUBE-EXT-4SW47YFZTEDKD3PK', 'KUBE-EXT-GNZBNJ2PO5MGZ6GT', 'KUBE-EXT-NUKIZ6OKUXPJNT4C', 'KUBE-EXT-X27LE4BHSL4DOUIK', 'KUBE-FW-NUKIZ6OKUXPJNT4C',
      'KUBE-SEP-C6EBXVWJJZMIWKLZ', 'KUBE-SEP-I77PXRDZVX7PMWMN', 'KUBE-SEP-OYPFS5VJICHGATKP', 'KUBE-SEP-RS4RBKLTHTF2IUXJ', 'KUBE-SEP-SXIVWICOYRO3J4NJ',
      'KUBE-SEP-UKSFD7AGPMPPLUHC', 'KUBE-SVC-4SW47YFZTEDKD3PK', 'KUBE-SVC-GNZBNJ2PO5MGZ6GT', 'KUBE-SVC-NUKIZ6OKUXPJNT4C', 'KUBE-SVC-X27LE4BHSL4DOUIK', 'KUBE-SVC-XPGD46QRK7WJZT7O']) {
      expect(declared).toContain(c);
    }
    expect(declared.size).toBe(20); // the 16 above and KUBE-SERVICES, -NODEPORTS, -POSTROUTING, -MARK-MASQ
  });
});

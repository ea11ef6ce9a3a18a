import { buildIptablesRules } from './iptables';
import { buildIpvs } from './ipvs';
import { buildServicePorts } from './serviceports';
import { iptablesSyncCost, ipvsSyncCost } from './synccost';
import type { EndpointSlice, Service } from './types';

const node = { name: 'node-a', ip: '172.20.32.2' };

/** `n` ClusterIP services with `eps` endpoints each. */
function cluster(n: number, eps: number): { services: Service[]; slices: EndpointSlice[] } {
  const services: Service[] = [];
  const slices: EndpointSlice[] = [];
  for (let i = 0; i < n; i++) {
    const name = `svc-${i}`;
    services.push({ metadata: { namespace: 'load', name }, spec: { clusterIP: `10.96.${i >> 8}.${i & 255}`, ports: [{ name: 'http', port: 80 }] } });
    slices.push({
      metadata: { namespace: 'load', name: `${name}-1`, labels: { 'kubernetes.io/service-name': name } },
      ports: [{ name: 'http', port: 8080 }],
      endpoints: Array.from({ length: eps }, (_, e) => ({ addresses: [`10.244.${e}.${(i % 250) + 1}`], nodeName: `node-${e}` })),
    });
  }
  return { services, slices };
}

describe('sync cost model', () => {
  it('iptables: a full restore whose cost grows linearly with the rules', () => {
    const cost = (n: number) => {
      const c = cluster(n, 2);
      return iptablesSyncCost(buildIptablesRules(buildServicePorts(c.services, c.slices, node), node), 1);
    };
    const small = cost(100);
    const big = cost(400);
    expect(big.rulesWritten).toBe(big.totalRules);
    expect(big.totalRules - 9).toBe(4 * (small.totalRules - 9)); // 9 fixed rules, 8 per 2-endpoint service
    expect(big.simulatedMs / small.simulatedMs).toBeCloseTo(big.totalRules / small.totalRules);
    expect(small.simulatedMs).toBe(small.totalRules * 112.5);
  });

  it('ipvs: incremental, so one changed service costs the same at any cluster size', () => {
    const change = (n: number) => {
      const c = cluster(n, 2);
      const before = buildIpvs(buildServicePorts(c.services, c.slices, node), node);
      c.slices[0].endpoints?.push({ addresses: ['10.244.99.1'], nodeName: 'node-x' });
      const after = buildIpvs(buildServicePorts(c.services, c.slices, node), node);
      return ipvsSyncCost(before, after);
    };
    const small = change(100);
    const big = change(1000);
    expect(small.changedServices).toBe(1);
    expect(big.changedServices).toBe(1);
    expect(big.rulesWritten).toBe(small.rulesWritten);
    expect(big.simulatedMs).toBe(small.simulatedMs);
  });

  it('ipvs: the first sync writes everything', () => {
    const c = cluster(3, 2);
    const state = buildIpvs(buildServicePorts(c.services, c.slices, node), node);
    const r = ipvsSyncCost(null, state);
    // 3 virtual + 6 real servers, 3 bound addresses, 3 KUBE-CLUSTER-IP and 3 KUBE-IPVS-IPS entries
    expect(r.rulesWritten).toBe(9 + 3 + 3 + 3);
    expect(r.changedServices).toBe(3);
  });
});

import { buildIptablesRules } from './iptables';
import { compileRules, walkIptables, type RecentLists } from './iptables-walk';
import { seededRandom } from './random';
import { buildServicePorts } from './serviceports';
import { loadFixture } from './testing';
import type { EndpointSlice, Service } from './types';

const node = { name: 'node-a', ip: '172.20.32.2' };

function fourEndpointCluster(): { services: Service[]; slices: EndpointSlice[] } {
  const services: Service[] = [
    { metadata: { namespace: 'default', name: 'four' }, spec: { clusterIP: '10.96.0.70', ports: [{ name: 'http', port: 80 }] } },
  ];
  const slices: EndpointSlice[] = [
    {
      metadata: { namespace: 'default', name: 'four-1', labels: { 'kubernetes.io/service-name': 'four' } },
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [1, 2, 3, 4].map((i) => ({ addresses: [`10.244.${i}.4`], nodeName: `node-${i}` })),
    },
  ];
  return { services, slices };
}

describe('endpoint selection through the iptables rules', () => {
  it('spreads 10,000 connections over 4 endpoints at 25 % ± 2 % each', () => {
    const { services, slices } = fourEndpointCluster();
    const compiled = compileRules(buildIptablesRules(buildServicePorts(services, slices, node), node), [node.ip]);
    const ctx = { random: seededRandom(42), nowMs: 0, recent: new Map() as RecentLists };
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const r = walkIptables(compiled, { src: `10.244.9.${i % 250}`, dst: '10.96.0.70', protocol: 'TCP', dport: 80 }, ctx);
      expect(r.verdict).toBe('DNAT');
      counts.set(r.endpoint as string, (counts.get(r.endpoint as string) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['10.244.1.4:8080', '10.244.2.4:8080', '10.244.3.4:8080', '10.244.4.4:8080']);
    for (const n of counts.values()) expect(Math.abs(n / 10_000 - 0.25)).toBeLessThanOrEqual(0.02);
  });

  it('is reproducible for a seed', () => {
    const f = loadFixture();
    const compiled = compileRules(buildIptablesRules(buildServicePorts(f.services, f.endpointSlices, f.node), f.node), [f.node.ip]);
    const run = (): string[] => {
      const ctx = { random: seededRandom(7), nowMs: 0, recent: new Map() as RecentLists };
      return Array.from({ length: 20 }, () => walkIptables(compiled, { src: '10.244.9.9', dst: '10.96.0.20', protocol: 'tcp', dport: 80 }, ctx).endpoint as string);
    };
    expect(run()).toEqual(run());
  });

  describe('on the fixture cluster', () => {
    const f = loadFixture();
    const compiled = compileRules(buildIptablesRules(buildServicePorts(f.services, f.endpointSlices, f.node), f.node), [f.node.ip]);
    const ctx = (seed = 1) => ({ random: seededRandom(seed), nowMs: 0, recent: new Map() as RecentLists });

    it('keeps a ClientIP client on one endpoint within the timeout, and lets it go after', () => {
      const c = ctx(3);
      const to = { dst: '10.96.0.40', protocol: 'tcp', dport: 80 };
      const first = walkIptables(compiled, { src: '10.244.9.1', ...to }, c).endpoint;
      for (let i = 0; i < 50; i++) {
        c.nowMs += 60_000;
        expect(walkIptables(compiled, { src: '10.244.9.1', ...to }, c).endpoint).toBe(first);
      }
      const seen = new Set<string>();
      for (let i = 0; i < 50; i++) {
        c.nowMs += 10_801_000; // past the 10800 s timeout each time: a fresh random pick
        seen.add(walkIptables(compiled, { src: '10.244.9.1', ...to }, c).endpoint as string);
      }
      expect(seen.size).toBe(2);
    });

    it('rejects a connection to a service without endpoints, with the upstream reason', () => {
      const r = walkIptables(compiled, { src: '10.244.9.1', dst: '10.96.0.50', protocol: 'tcp', dport: 80 }, ctx());
      expect(r.verdict).toBe('REJECT');
      expect(r.matched.at(-1)).toContain('"default/empty:http has no endpoints"');
    });

    it('translates a NodePort on the node address and marks it for masquerade', () => {
      const r = walkIptables(compiled, { src: '192.0.2.7', dst: '172.20.32.2', protocol: 'tcp', dport: 30080 }, ctx());
      expect(r.verdict).toBe('DNAT');
      expect(['10.244.1.6:8080', '10.244.2.8:8080']).toContain(r.endpoint);
      expect(r.masquerade).toBe(true);
    });

    it('sends external LoadBalancer traffic with policy Local only to the local endpoint, unmasqueraded', () => {
      for (let seed = 1; seed <= 20; seed++) {
        const r = walkIptables(compiled, { src: '192.0.2.7', dst: '172.20.64.10', protocol: 'tcp', dport: 443 }, ctx(seed));
        expect(r.endpoint).toBe('10.244.1.8:8443');
        expect(r.masquerade).toBe(false);
      }
    });

    it('leaves pod-to-cluster-IP traffic unmasqueraded', () => {
      const r = walkIptables(compiled, { src: '10.244.1.9', dst: '10.96.0.20', protocol: 'tcp', dport: 80 }, ctx());
      expect(r.verdict).toBe('DNAT');
      expect(r.masquerade).toBe(false);
    });
  });
});

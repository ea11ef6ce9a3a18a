import { buildIptablesRules } from './iptables';
import { iptablesSave, saveTable } from './iptables-save';
import { buildServicePorts } from './serviceports';
import { golden, loadFixture } from './testing';

describe('iptables rules for the fixture cluster', () => {
  const f = loadFixture();
  const rules = buildIptablesRules(buildServicePorts(f.services, f.endpointSlices, f.node), f.node);

  it('matches the golden iptables-save output', () => {
    const text = iptablesSave(rules);
    expect(text).toBe(golden('iptables-save.golden', text));
  });

  it('gives endpoint i of n the probability 1/(n-i), the last none', () => {
    const nat = saveTable('nat', rules.nat);
    const web = nat.split('\n').filter((l) => l.includes('"default/web:http -> '));
    expect(web).toHaveLength(3);
    expect(web[0]).toContain('--probability 0.3333333333 ');
    expect(web[1]).toContain('--probability 0.5000000000 ');
    expect(web[2]).not.toContain('statistic');
  });

  it('rejects a service without endpoints in the filter table, with no nat chain', () => {
    expect(rules.filter.rules).toContain(
      '-A KUBE-SERVICES -m comment --comment "default/empty:http has no endpoints" -m tcp -p tcp -d 10.96.0.50 --dport 80 -j REJECT',
    );
    expect(rules.nat.rules.join('\n')).not.toContain('default/empty');
  });

  it('writes nothing for a headless service', () => {
    expect(iptablesSave(rules)).not.toContain('headless');
  });
});

describe('large clusters', () => {
  it('drops per-endpoint comments above 1000 endpoints, as upstream largeClusterMode', () => {
    const node = { name: 'node-a', ip: '172.20.32.2' };
    const services = [{ metadata: { namespace: 'big', name: 'many' }, spec: { clusterIP: '10.96.1.1', ports: [{ name: 'http', port: 80 }] } }];
    const slices = [1001, 0].map((n, s) => ({
      metadata: { namespace: 'big', name: `many-${s}`, labels: { 'kubernetes.io/service-name': 'many' } },
      ports: [{ name: 'http', port: 8080 }],
      endpoints: Array.from({ length: n }, (_, i) => ({ addresses: [`10.244.${i >> 8}.${i & 255}`] })),
    }));
    const nat = buildIptablesRules(buildServicePorts(services, slices, node), node).nat.rules;
    const sep = nat.filter((r) => r.startsWith('-A KUBE-SEP-'));
    expect(sep).toHaveLength(2002);
    expect(sep.some((r) => r.includes('--comment'))).toBe(false);
    expect(nat.filter((r) => r.startsWith('-A KUBE-SVC-') && r.includes('-> '))).toEqual([]);
    expect(nat.find((r) => r.includes('--probability 0.0009990010'))).toBeDefined(); // 1/1001
  });
});

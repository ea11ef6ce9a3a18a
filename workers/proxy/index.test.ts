import { computeProxyRules } from './index';
import { loadFixture, TESTDATA } from './testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('computeProxyRules', () => {
  const f = loadFixture();
  const input = { services: f.services, endpointSlices: f.endpointSlices, node: f.node };

  it('defaults to iptables mode and prints iptables-save', () => {
    const r = computeProxyRules(input);
    expect(r.mode).toBe('iptables');
    expect(r.text).toBe(readFileSync(join(TESTDATA, 'iptables-save.golden'), 'utf8'));
  });

  it('prints ipvsadm, kube-ipvs0 and ipsets in ipvs mode', () => {
    const r = computeProxyRules(input, { mode: 'ipvs', ipvs: { scheduler: 'sh' } });
    expect(r.mode).toBe('ipvs');
    expect(r.text).toContain('TCP  10.96.0.20:80 sh\n');
    expect(r.text).toContain('kube-ipvs0');
    expect(r.text).toContain('add KUBE-CLUSTER-IP 10.96.0.20,tcp:80');
  });
});

import { iptablesSave } from './iptables-save';
import { buildIpvs } from './ipvs';
import { buildIpvsIptablesRules, IPVS_MODE_JUMPS } from './ipvs-iptables';
import { ipsetEntries, ipvsadmList, kubeIpvs0, msort } from './ipvsadm';
import { buildServicePorts } from './serviceports';
import { golden, loadFixture } from './testing';

describe('IPVS state for the fixture cluster', () => {
  const f = loadFixture();
  const state = buildIpvs(buildServicePorts(f.services, f.endpointSlices, f.node), f.node);

  it('matches the golden ipvsadm -Ln output', () => {
    const text = ipvsadmList(state);
    expect(text).toBe(golden('ipvsadm.golden', text));
  });

  it('matches the golden kube-ipvs0 addresses', () => {
    const text = kubeIpvs0(state);
    expect(text).toBe(golden('kube-ipvs0.golden', text));
  });

  it('matches the golden ipset entries', () => {
    const text = ipsetEntries(state);
    expect(text).toBe(golden('ipset.golden', text));
  });

  it('keeps a virtual server without real servers for a service without endpoints', () => {
    const empty = state.virtualServers.find((v) => v.servicePort === 'default/empty:http');
    expect(empty?.realServers).toEqual([]);
  });
});

describe('msort', () => {
  it('is stable', () => {
    const items = [{ k: 1, i: 0 }, { k: 0, i: 1 }, { k: 1, i: 2 }, { k: 0, i: 3 }];
    expect(msort(items, (a, b) => a.k - b.k).map((x) => x.i)).toEqual([1, 3, 0, 2]);
  });
});

describe("the IPVS proxier's iptables rules", () => {
  const f = loadFixture();
  const state = buildIpvs(buildServicePorts(f.services, f.endpointSlices, f.node), f.node);

  it('match the golden iptables-save output', () => {
    const text = iptablesSave(buildIpvsIptablesRules(state), IPVS_MODE_JUMPS);
    expect(text).toBe(golden('ipvs-iptables-save.golden', text));
  });

  it('stay the same in number however many services there are', () => {
    const count = (n: number) => {
      const services = Array.from({ length: n }, (_, i) => ({
        metadata: { namespace: 'load', name: `s${i}` },
        spec: { clusterIP: `10.96.1.${i + 1}`, ports: [{ name: 'http', port: 80 }] },
      }));
      const r = buildIpvsIptablesRules(buildIpvs(buildServicePorts(services, [], f.node), f.node));
      return r.nat.rules.length + r.filter.rules.length;
    };
    expect(count(200)).toBe(count(2));
  });
});

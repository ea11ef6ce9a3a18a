import { buildIpvs } from './ipvs';
import { closeConnection, findVirtualServer, newIpvsRuntime, pickRealServer } from './ipvs-select';
import { ipvsadmList } from './ipvsadm';
import { buildServicePorts } from './serviceports';
import { loadFixture } from './testing';

describe('IPVS real server selection', () => {
  const f = loadFixture();
  const state = buildIpvs(buildServicePorts(f.services, f.endpointSlices, f.node), f.node);

  it('round-robins a cluster IP and shows the counts in ipvsadm', () => {
    const rt = newIpvsRuntime();
    const vs = findVirtualServer(state, 'tcp', '10.96.0.20', 80);
    if (!vs) throw new Error('no virtual server');
    const picks = Array.from({ length: 4 }, (_, i) => pickRealServer(vs, `10.244.9.${i}`, rt, 0).realServer?.address);
    expect(picks).toEqual(['10.244.1.5', '10.244.2.7', '10.244.3.9', '10.244.1.5']);
    closeConnection(vs, vs.realServers[0], rt);
    expect(ipvsadmList(state, rt.conns)).toContain('  -> 10.244.1.5:8080              Masq    1      1          1         \n');
  });

  it('keeps a ClientIP client on its real server until the persistence timeout', () => {
    const rt = newIpvsRuntime();
    const vs = findVirtualServer(state, 'TCP', '10.96.0.40', 80);
    if (!vs) throw new Error('no virtual server');
    const first = pickRealServer(vs, '10.244.9.1', rt, 0);
    pickRealServer(vs, '10.244.9.2', rt, 0); // rr moves on for another client
    const again = pickRealServer(vs, '10.244.9.1', rt, 10_799_000);
    expect(again.realServer).toEqual(first.realServer);
    expect(again.reason).toBe('persistent template');
    const later = pickRealServer(vs, '10.244.9.1', rt, 10_799_000 + 10_800_001);
    expect(later.reason).toBe('rr');
  });

  it('has no real server for a service without endpoints', () => {
    const vs = findVirtualServer(state, 'TCP', '10.96.0.50', 80);
    if (!vs) throw new Error('no virtual server');
    expect(pickRealServer(vs, '10.244.9.1', newIpvsRuntime(), 0).realServer).toBeNull();
  });
});

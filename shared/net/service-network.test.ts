import { serviceNetwork } from './service-network';

describe('service network', () => {
  const net = serviceNetwork();

  it('resolves upstream defaults', () => {
    expect([net.apiServerIP, net.dnsIP, net.clusterIPs.text, net.nodePorts.text, net.loadBalancerIPs.text]).toEqual(['10.96.0.1', '10.96.0.10', '10.96.0.0/12', '30000-32767', '172.20.64.0/24']);
    expect([net.clusterIPs.size, net.clusterIPs.dynamicFrom, [...net.clusterIPs.reserved]]).toEqual([1048574, 256, [9]]);
    expect([net.nodePorts.size, net.nodePorts.dynamicFrom]).toEqual([2768, 86]);
    expect([net.loadBalancerIPs.size, net.loadBalancerIPs.dynamicFrom, net.loadBalancerIPs.valueAt(0)]).toEqual([254, 0, '172.20.64.1']);
  });

  it.each<[string, string, number | undefined]>([
    ['first host', '10.96.0.1', 0],
    ['DNS', '10.96.0.10', 9],
    ['dynamic band', '10.96.1.1', 256],
    ['last host', '10.111.255.254', 1048573],
    ['network address', '10.96.0.0', undefined],
    ['broadcast', '10.111.255.255', undefined],
    ['outside', '10.112.0.1', undefined],
    ['not an address', '10.96.1', undefined],
    ['IPv6', 'fd00::1', undefined],
  ])('cluster IP offset of %s', (_name, ip, offset) => {
    expect(net.clusterIPs.offsetOf(ip)).toBe(offset);
    if (offset !== undefined) expect(net.clusterIPs.valueAt(offset)).toBe(ip);
  });

  it.each<[string, number | undefined]>([
    ['30000', 0],
    ['32767', 2767],
    ['29999', undefined],
    ['32768', undefined],
    ['x', undefined],
  ])('NodePort offset of %s', (port, offset) => expect(net.nodePorts.offsetOf(port)).toBe(offset));

  it('takes other ranges and refuses bad ones', () => {
    const custom = serviceNetwork({ serviceCIDR: '10.0.0.0/24', nodePortRange: '31000-31009', loadBalancerPool: '192.168.50.0/30' });
    expect([custom.apiServerIP, custom.dnsIP, custom.clusterIPs.dynamicFrom, custom.nodePorts.dynamicFrom, custom.loadBalancerIPs.size]).toEqual(['10.0.0.1', '10.0.0.10', 16, 0, 2]);
    expect(() => serviceNetwork({ serviceCIDR: '10.96.0.0' })).toThrow('KUBEQ_SERVICE_CIDR="10.96.0.0" is not an IPv4 CIDR');
    expect(() => serviceNetwork({ serviceCIDR: '10.96.0.0/29' })).toThrow('is too small');
    expect(() => serviceNetwork({ nodePortRange: '32767-30000' })).toThrow('KUBEQ_SERVICE_NODE_PORT_RANGE="32767-30000" is not a port range like 30000-32767');
    expect(() => serviceNetwork({ loadBalancerPool: 'pool' })).toThrow('KUBEQ_LB_POOL="pool" is not an IPv4 CIDR');
  });
});

import { clusterPolicyChain, endpointChain, externalChain, firewallChain } from './chainnames';

// Expected names are copied from upstream's own test expectations
// (pkg/proxy/iptables/proxier_test.go, TestOverallIPTablesRules), not computed by this code.
describe('chain names', () => {
  it.each([
    ['ns1/svc1:p80', 'KUBE-SVC-XPGD46QRK7WJZT7O'],
    ['ns2/svc2:p80', 'KUBE-SVC-GNZBNJ2PO5MGZ6GT'],
    ['ns3/svc3:p80', 'KUBE-SVC-X27LE4BHSL4DOUIK'],
    ['ns4/svc4:p80', 'KUBE-SVC-4SW47YFZTEDKD3PK'],
    ['ns5/svc5:p80', 'KUBE-SVC-NUKIZ6OKUXPJNT4C'],
  ])('KUBE-SVC of %s', (spn, chain) => {
    expect(clusterPolicyChain(spn, 'TCP')).toBe(chain);
  });

  it('shares the hash between SVC, EXT and FW chains', () => {
    expect(externalChain('ns2/svc2:p80', 'TCP')).toBe('KUBE-EXT-GNZBNJ2PO5MGZ6GT');
    expect(firewallChain('ns5/svc5:p80', 'TCP')).toBe('KUBE-FW-NUKIZ6OKUXPJNT4C');
  });

  it.each([
    ['ns1/svc1:p80', '10.180.0.1:80', 'KUBE-SEP-SXIVWICOYRO3J4NJ'],
    ['ns2/svc2:p80', '10.180.0.2:80', 'KUBE-SEP-RS4RBKLTHTF2IUXJ'],
    ['ns3/svc3:p80', '10.180.0.3:80', 'KUBE-SEP-OYPFS5VJICHGATKP'],
    ['ns4/svc4:p80', '10.180.0.4:80', 'KUBE-SEP-UKSFD7AGPMPPLUHC'],
    ['ns4/svc4:p80', '10.180.0.5:80', 'KUBE-SEP-C6EBXVWJJZMIWKLZ'],
    ['ns5/svc5:p80', '10.180.0.3:80', 'KUBE-SEP-I77PXRDZVX7PMWMN'],
  ])('KUBE-SEP of %s -> %s', (spn, ep, chain) => {
    expect(endpointChain(spn, 'TCP', ep)).toBe(chain);
  });
});

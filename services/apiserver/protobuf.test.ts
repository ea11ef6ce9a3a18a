import { decodeProtobufObject, encodeProtobufObject } from './protobuf';

const hpa = {
  apiVersion: 'autoscaling/v1',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, creationTimestamp: '2026-01-02T03:04:05Z' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 60 },
};

test('an autoscaling/v1 HPA in the k8s protobuf envelope decodes to its JSON form', () => {
  expect(decodeProtobufObject(encodeProtobufObject(hpa))).toEqual(hpa);
});

test('what kubectl autoscale sends: no status, no labels', () => {
  const bare = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, maxReplicas: 3 } };
  expect(decodeProtobufObject(encodeProtobufObject(bare))).toEqual(bare);
});

test('bad bodies get 400 and kinds without a message 415, never a crash', () => {
  expect(() => decodeProtobufObject(Buffer.from('{"kind":"Pod"}'))).toThrow(expect.objectContaining({ code: 400, message: expect.stringMatching(/k8s magic prefix/) }));
  const truncated = encodeProtobufObject(hpa).subarray(0, 20);
  expect(() => decodeProtobufObject(truncated)).toThrow(expect.objectContaining({ code: 400 }));
  // A Pod envelope: the typeMeta names a kind the server has no message for.
  const pod = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), Buffer.from([0x0a, 0x09, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x03, 0x50, 0x6f, 0x64])]);
  expect(() => decodeProtobufObject(pod)).toThrow(expect.objectContaining({ code: 415, message: expect.stringMatching(/send Pod as application\/json/) }));
  for (let i = 0; i < 200; i++) {
    const noise = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), Buffer.from(Array.from({ length: 40 }, (_, j) => (i * 31 + j * 17) & 0xff))]);
    try {
      decodeProtobufObject(noise);
    } catch (err) {
      expect([400, 415]).toContain((err as { code: number }).code);
    }
  }
});

test('IntOrString fields (a Service target port, a PDB bound) and bytes (Secret data) come back as JSON has them', () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 }, { port: 81, targetPort: 8081 }] } };
  expect(decodeProtobufObject(encodeProtobufObject(svc))).toEqual(svc);
  const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { maxUnavailable: '25%', selector: { matchLabels: { app: 'web' } } } };
  expect(decodeProtobufObject(encodeProtobufObject(pdb))).toEqual(pdb);
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { password: Buffer.from('s3cret').toString('base64') } };
  expect(decodeProtobufObject(encodeProtobufObject(secret))).toEqual(secret);
});

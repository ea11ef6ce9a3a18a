import type { KubeObject } from '../types';
import { pods } from './pod';
import { defaultPullPolicy, podQOSClass } from './podspec-defaults';
import { clone, create, show } from './testing';

function pod(spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', ...meta }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], ...spec } };
}

describe('Pod defaults', () => {
  it('fills what the apiserver fills', () => {
    const p = pod();
    pods.defaults(p);
    expect(p.spec).toEqual({
      containers: [
        { name: 'app', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
      ],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    });
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['registry.k8s.io/pause:3.9', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['nginx@sha256:abc', 'IfNotPresent'],
    ['Nginx', 'IfNotPresent'],
  ])('pull policy for %s is %s', (image, want) => expect(defaultPullPolicy(image)).toBe(want));

  it('defaults ports, probes, env field refs, volumes and resources', () => {
    const p = pod({
      containers: [
        {
          name: 'app',
          image: 'nginx',
          ports: [{ containerPort: 80 }],
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          readinessProbe: { httpGet: { port: 80 } },
          livenessProbe: { grpc: { port: 9000 }, periodSeconds: 5 },
          resources: { limits: { cpu: 0.5, memory: '1024Mi' } },
          volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
        },
      ],
      volumes: [{ name: 'cache' }, { name: 'cfg', configMap: { name: 'cfg' } }, { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }],
    });
    pods.defaults(p);
    const c = p.spec.containers[0];
    expect(c.imagePullPolicy).toBe('Always');
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(c.env[0].valueFrom.fieldRef).toEqual({ fieldPath: 'metadata.name', apiVersion: 'v1' });
    expect(c.readinessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.livenessProbe).toEqual({ grpc: { port: 9000, service: '' }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 });
    expect(c.resources).toEqual({ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
    expect(p.spec.volumes).toEqual([
      { name: 'cache', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } },
      { name: 'tok', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 3600 } }] } },
    ]);
    expect(p.status.qosClass).toBe('Guaranteed');
  });

  it('is idempotent', () => {
    const p = pod({ containers: [{ name: 'app', image: 'nginx', resources: { limits: { cpu: '1' } } }] });
    pods.defaults(p);
    const once = clone(p);
    pods.defaults(p);
    expect(p).toEqual(once);
  });

  it('mirrors container ports as host ports under hostNetwork', () => {
    const p = pod({ hostNetwork: true, containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 8080 }] }] });
    pods.defaults(p);
    expect(p.spec.containers[0].ports[0].hostPort).toBe(8080);
  });

  it.each([
    [[{ resources: {} }], 'BestEffort'],
    [[{ resources: { requests: { cpu: '100m' } } }], 'Burstable'],
    [[{ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } } }], 'Guaranteed'],
    [[{ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } } }], 'Burstable'],
    [[{ resources: { limits: { cpu: '1', memory: '1Gi' } } }, { resources: {} }], 'Burstable'],
  ])('QoS of %j is %s', (containers, want) => expect(podQOSClass({ containers })).toBe(want));

  it('gives bound pods their grace period', () => {
    expect(pods.defaultGracePeriodSeconds!(pod({ terminationGracePeriodSeconds: 30 }))).toBe(0);
    expect(pods.defaultGracePeriodSeconds!(pod({ nodeName: 'n1', terminationGracePeriodSeconds: 45 }))).toBe(45);
  });
});

describe('Pod validation', () => {
  it.each<[string, KubeObject, string[]]>([
    ['a valid pod', pod(), []],
    ['no name', pod({}, { name: undefined }), ['metadata.name: Required value: name or generateName is required']],
    ['bad name', pod({}, { name: 'Web_1' }), [expect.stringContaining('metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain')]],
    ['no containers', pod({ containers: [] }), ['spec.containers: Required value']],
    [
      'container name and image',
      pod({ containers: [{ name: 'App' }, { name: 'app', image: 'x' }, { name: 'app', image: 'y' }] }),
      [
        expect.stringContaining('spec.containers[0].name: Invalid value: "App": a lowercase RFC 1123 label must consist of'),
        'spec.containers[0].image: Required value',
        'spec.containers[2].name: Duplicate value: "app"',
      ],
    ],
    [
      'requests above limits',
      pod({ containers: [{ name: 'app', image: 'x', resources: { limits: { cpu: '500m' }, requests: { cpu: '1' } } }] }),
      ['spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m'],
    ],
    [
      'bad quantity',
      pod({ containers: [{ name: 'app', image: 'x', resources: { limits: { memory: '1Gb' } } }] }),
      [
        "spec.containers[0].resources.limits[memory]: Invalid value: \"1Gb\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        // requests default to limits, so the bad value is reported twice, as upstream would
        "spec.containers[0].resources.requests[memory]: Invalid value: \"1Gb\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      ],
    ],
    [
      'negative quantity',
      pod({ containers: [{ name: 'app', image: 'x', resources: { requests: { cpu: '-1' } } }] }),
      ['spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0'],
    ],
    [
      'unknown resource',
      pod({ containers: [{ name: 'app', image: 'x', resources: { requests: { gpu: '1' } } }] }),
      [
        'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
        'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      ],
    ],
    [
      'extended resource requests',
      pod({ containers: [{ name: 'app', image: 'x', resources: { limits: { 'example.com/gpu': '2' }, requests: { 'example.com/gpu': '1' } } }] }),
      ['spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2'],
    ],
    [
      'ports',
      pod({ containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 70000 }, { name: 'HTTP', containerPort: 80, protocol: 'HTTP' }, {}] }] }),
      [
        'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.containers[0].ports[1].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.containers[0].ports[1].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
        'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        'spec.containers[0].ports[2].containerPort: Required value',
      ],
    ],
    [
      'host port conflict',
      pod({ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }, { name: 'b', image: 'x', ports: [{ containerPort: 81, hostPort: 8080 }] }] }),
      ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
    ],
    [
      'restart and dns policy',
      pod({ restartPolicy: 'Sometimes', dnsPolicy: 'Cluster' }),
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"', 'spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    ],
    [
      'probes',
      pod({ containers: [{ name: 'app', image: 'x', livenessProbe: { successThreshold: 2 }, readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } }] }),
      [
        'spec.containers[0].livenessProbe: Required value: must specify a handler type',
        'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
        'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
      ],
    ],
    [
      'volume mounts',
      pod({ containers: [{ name: 'app', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }, { name: 'data', mountPath: '/d' }] }], volumes: [{ name: 'Data' }] }),
      [
        expect.stringContaining('spec.volumes[0].name: Invalid value: "Data": a lowercase RFC 1123 label'),
        'spec.containers[0].volumeMounts[0].name: Not found: "data"',
        'spec.containers[0].volumeMounts[1].name: Not found: "data"',
        'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique',
      ],
    ],
    [
      'two volume sources',
      pod({ volumes: [{ name: 'v', emptyDir: {}, downwardAPI: {} }] }),
      ['spec.volumes[0].downwarAPI: Forbidden: may not specify more than 1 volume type'],
    ],
    [
      'init containers',
      pod({ initContainers: [{ name: 'app', image: 'x', livenessProbe: { exec: { command: ['x'] } } }] }),
      ['spec.initContainers[0].name: Duplicate value: "app"', 'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always'],
    ],
    [
      'env',
      pod({ containers: [{ name: 'app', image: 'x', env: [{ name: 'A=B' }, { name: 'B', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] }),
      [
        'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
        'spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      ],
    ],
    [
      'tolerations',
      pod({ tolerations: [{ operator: 'Equal', value: 'x' }, { key: 'a', operator: 'Exists', value: 'y' }, { key: 'b', effect: 'NoSchedule', tolerationSeconds: 5 }] }),
      [
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
        "spec.tolerations[1].operator: Invalid value: \"y\": value must be empty when `operator` is 'Exists'",
        "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
      ],
    ],
    ['active deadline', pod({ activeDeadlineSeconds: 0 }), ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']],
    ['node name', pod({ nodeName: 'Node_1' }), [expect.stringContaining('spec.nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain')]],
    ['image whitespace', pod({ containers: [{ name: 'app', image: ' nginx' }] }), ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace']],
  ])('%s', (_name, obj, want) => {
    pods.defaults(obj);
    expect(show(pods.validate(obj))).toEqual(want);
  });

  it('words the whole error as the apiserver does', () => {
    expect(create(pods, pod({ containers: [{ name: 'app' }] }))).toBe('Pod "web" is invalid: spec.containers[0].image: Required value');
  });
});

import type { KubeObject } from '../types';
import { events } from './event';
import { show } from './testing';

const now = new Date('2024-05-01T12:00:00Z');

function event(extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.17c1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{app}' },
    reason: 'Pulled',
    message: 'Successfully pulled image "nginx"  ',
    type: 'Normal',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2024-05-01T11:00:00Z',
    lastTimestamp: '2024-05-01T11:58:00Z',
    count: 4,
    ...extra,
  };
}

describe('Event', () => {
  it.each<[string, KubeObject, string[]]>([
    ['valid', event(), []],
    ['namespace mismatch', event({ involvedObject: { kind: 'Pod', name: 'web', namespace: 'other' } }), ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']],
    ['cluster object in default', event({ involvedObject: { kind: 'Node', name: 'node-1' } }), []],
    [
      'new-style without reporting fields',
      event({ eventTime: '2024-05-01T11:00:00.000000Z', reason: '' }),
      [
        'reportingController: Required value',
        'reportingController: Invalid value: "": name part must be non-empty',
        expect.stringMatching(/^reportingController: Invalid value: "": name part must consist of alphanumeric characters/),
        'reportingInstance: Required value',
        'action: Required value',
        'reason: Required value',
      ],
    ],
    ['bad name', event({ metadata: { name: 'a/b', namespace: 'default' } }), ["metadata.name: Invalid value: \"a/b\": may not contain '/'"]],
  ])('%s', (_name, obj, want) => expect(show(events.validate(obj))).toEqual(want));

  it('prints LAST SEEN TYPE REASON OBJECT MESSAGE and the wide columns', () => {
    expect(events.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Last Seen', 0], ['Type', 0], ['Reason', 0], ['Object', 0], ['Subobject', 1], ['Source', 1], ['Message', 0], ['First Seen', 1], ['Count', 1], ['Name', 1],
    ]); // prettier-ignore
    expect(events.row(event(), now)).toEqual(['2m', 'Normal', 'Pulled', 'pod/web', 'spec.containers{app}', 'kubelet, node-1', 'Successfully pulled image "nginx"', '60m', 4, 'web.17c1']);
  });

  it('falls back to eventTime, series and reporting fields', () => {
    const e = event({ firstTimestamp: undefined, lastTimestamp: undefined, count: undefined, source: {}, eventTime: '2024-05-01T11:59:30.000000Z', reportingComponent: 'scheduler', series: { count: 7, lastObservedTime: '2024-05-01T11:59:50.000000Z' } });
    expect(events.row(e, now)).toEqual(['10s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{app}', 'scheduler', 'Successfully pulled image "nginx"', '30s', 7, 'web.17c1']);
  });
});

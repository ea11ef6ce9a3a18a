import { context, trace, TraceFlags } from '@opentelemetry/api';
import { contextFromTraceparent, currentTraceparent, linkFromTraceparent, traceIdOf } from './propagation';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('propagation (no SDK needed)', () => {
  test('traceparent → context → traceparent round trip', () => {
    const ctx = contextFromTraceparent(TP, context.active());
    const sc = trace.getSpanContext(ctx);
    expect(sc).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', isRemote: true, traceFlags: TraceFlags.SAMPLED });
    expect(currentTraceparent(ctx)).toBe(TP);
  });

  test.each([undefined, '', 'nonsense', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'])(
    'empty or malformed %p: no context, no link, no trace id',
    (tp) => {
      const base = context.active();
      expect(trace.getSpanContext(contextFromTraceparent(tp, base))).toBeUndefined();
      expect(linkFromTraceparent(tp)).toBeUndefined();
      expect(traceIdOf(tp)).toBe('');
    },
  );

  test('linkFromTraceparent names the span', () => {
    expect(linkFromTraceparent(TP)?.context).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
  });

  test('traceIdOf', () => {
    expect(traceIdOf(TP)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});

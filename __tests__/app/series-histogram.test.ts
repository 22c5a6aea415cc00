import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { seriesHistogram } from '../../app/series-histogram.js';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.5, 10];

/** The same observations through prom-client's own Histogram and through seriesHistogram: both texts. */
async function bothTexts(
  help: string,
  labelNames: readonly string[],
  observations: readonly { labels: Record<string, string>; value: number }[],
): Promise<{ promClient: string; ours: string }> {
  const registry = new Registry();
  const reference = new Histogram({ name: 'latency_seconds', help, labelNames, buckets: BUCKETS, registers: [registry] });
  const histogram = seriesHistogram({ name: 'latency_seconds', help, buckets: BUCKETS });
  for (const { labels, value } of observations) {
    reference.observe(labels, value);
    histogram.series(labels).observe(value);
  }
  // The registry ends its text with a newline; the exposition leaves that to whoever joins it.
  return { promClient: await registry.metrics(), ours: `${histogram.exposition()}\n` };
}

describe('seriesHistogram', () => {
  it('writes what prom-client writes for the same observations: bounds hit exactly, values past the last bound, label sets in first-seen order', async () => {
    const mcp = { route: '/mcp', mcp_method: 'tools/call' };
    const health = { route: '/health', mcp_method: '' };
    const { promClient, ours } = await bothTexts('HTTP request latency in seconds', ['route', 'mcp_method'], [
      { labels: mcp, value: 0.0004 },
      { labels: health, value: 0.001 },
      { labels: mcp, value: 0.0025 },
      { labels: mcp, value: 20 },
      { labels: { ...mcp }, value: 0.1 + 0.2 },
    ]);
    expect(ours).toBe(promClient);
    expect(ours).toContain('latency_seconds_bucket{le="0.001",route="/mcp",mcp_method="tools/call"} 1\n');
    expect(ours).toContain('latency_seconds_bucket{le="+Inf",route="/mcp",mcp_method="tools/call"} 4\n');
    expect(ours).toContain('latency_seconds_count{route="/health",mcp_method=""} 1\n');
  });

  it('escapes label values and help text as prom-client does (backslash, newline, double quote)', async () => {
    const { promClient, ours } = await bothTexts('a \\ help\nwith a newline', ['route'], [{ labels: { route: 'a"b\\c\nd' }, value: 0.003 }]);
    expect(ours).toBe(promClient);
    expect(ours).toContain('route="a\\"b\\\\c\\nd"');
  });

  it('writes a histogram without labels, and one never observed, as prom-client does', async () => {
    const unlabelled = await bothTexts('no labels', [], [{ labels: {}, value: 0.007 }]);
    expect(unlabelled.ours).toBe(unlabelled.promClient);
    expect(unlabelled.ours).toContain('latency_seconds_sum 0.007\n');
    const unobserved = await bothTexts('labelled, never observed', ['route'], []);
    expect(unobserved.ours).toBe(unobserved.promClient);
  });

  it('agrees with prom-client on generated observations', async () => {
    const labels = fc.record({ route: fc.constantFrom('/mcp', '/health', '/metrics'), mcp_method: fc.constantFrom('', 'ping', 'tools/call', 'other') });
    const value = fc.oneof(fc.constantFrom(...BUCKETS), fc.double({ min: 0, max: 30, noNaN: true }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ labels, value }), { maxLength: 60 }), async (observations) => {
        const { promClient, ours } = await bothTexts('generated', ['route', 'mcp_method'], observations);
        expect(ours).toBe(promClient);
      }),
      { numRuns: 200 },
    );
  });

  it('hands back one series per label set: a second handle adds to the same counts', () => {
    const histogram = seriesHistogram({ name: 'h', help: 'h', buckets: [1] });
    histogram.series({ route: '/mcp' }).observe(0.5);
    histogram.series({ route: '/mcp' }).observe(2);
    expect(histogram.exposition()).toBe(
      ['# HELP h h', '# TYPE h histogram', 'h_bucket{le="1",route="/mcp"} 1', 'h_bucket{le="+Inf",route="/mcp"} 2', 'h_sum{route="/mcp"} 2.5', 'h_count{route="/mcp"} 2'].join('\n'),
    );
  });

  it('refuses buckets that are not finite and ascending, naming the bucket', () => {
    expect(() => seriesHistogram({ name: 'h', help: 'h', buckets: [0.1, 0.05] })).toThrow('Histogram h: buckets must be finite and ascending; bucket 1 is 0.05 after 0.1');
    expect(() => seriesHistogram({ name: 'h', help: 'h', buckets: [1, 1] })).toThrow(/bucket 1 is 1 after 1/);
    expect(() => seriesHistogram({ name: 'h', help: 'h', buckets: [Infinity] })).toThrow(/ascending; bucket 0 is Infinity$/);
  });
});

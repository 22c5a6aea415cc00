import { afterEach, describe, expect, it, vi } from 'vitest';
import { batchedLineWriter } from '../../app/http/line-writer.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('batchedLineWriter', () => {
  it('writes the lines of one window in one write, in order, once the window has passed', () => {
    vi.useFakeTimers();
    const chunks: string[] = [];
    const lines = batchedLineWriter({ sink: (chunk) => chunks.push(chunk), maxDelayMs: 10 });
    lines.write('a');
    vi.advanceTimersByTime(5);
    lines.write('b');
    expect(chunks).toEqual([]);
    vi.advanceTimersByTime(5);
    expect(chunks).toEqual(['a\nb\n']);
    lines.write('c');
    vi.advanceTimersByTime(10);
    expect(chunks).toEqual(['a\nb\n', 'c\n']);
  });

  it('writes at once past the size limit, and flush writes what is queued', () => {
    vi.useFakeTimers();
    const chunks: string[] = [];
    const lines = batchedLineWriter({ sink: (chunk) => chunks.push(chunk), maxBufferedBytes: 8 });
    lines.write('1234');
    lines.write('5678');
    expect(chunks).toEqual(['1234\n5678\n']);
    lines.write('tail');
    lines.flush();
    expect(chunks).toEqual(['1234\n5678\n', 'tail\n']);
    vi.advanceTimersByTime(100);
    expect(chunks).toHaveLength(2);
  });

  it('does not keep the process alive while lines wait', () => {
    vi.useFakeTimers();
    const lines = batchedLineWriter({ sink: () => undefined });
    const unref = vi.spyOn(globalThis, 'setTimeout');
    lines.write('x');
    expect(unref).toHaveBeenCalledTimes(1);
    expect((unref.mock.results[0]!.value as NodeJS.Timeout).hasRef()).toBe(false);
  });
});

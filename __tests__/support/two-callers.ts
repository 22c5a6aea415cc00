import { createHash } from 'node:crypto';
import type { AuthSettings } from '../../app/auth/settings.js';

/** Token mode with two named tokens: `team-a` (token `token-a`) and `team-b` (token `token-b`). */
export const TWO_TOKENS: AuthSettings = {
  mode: 'token',
  tokens: (['a', 'b'] as const).map((team) => ({ name: `team-${team}`, digest: createHash('sha256').update(`token-${team}`).digest() })),
};

/** Each request shape once per caller of {@link TWO_TOKENS}, named `<shape>, <token>`. */
export function forEachCaller<T extends { readonly headers: Record<string, string> }>(shapes: ReadonlyArray<readonly [string, T]>): Array<readonly [string, T]> {
  return shapes.flatMap(([name, request]) => (['token-a', 'token-b'] as const).map((token) => [`${name}, ${token}`, { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }] as const));
}

/** The audit lines logged from `from` on, without what differs between two runs of the same request (time, durations, request id). */
export function auditedLines(lines: readonly string[], from: number): unknown[] {
  return lines
    .slice(from)
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.type === 'audit')
    .map(({ time: _time, durationMs: _duration, requestId: _id, httpRequest: { latency: _latency, ...httpRequest }, ...entry }) => ({ ...entry, httpRequest }));
}

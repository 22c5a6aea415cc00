/** What `JSON.stringify` escapes in a string: `"`, `\`, control characters, and surrogates (a pair is left to it as well). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(value)` for a string; one with nothing to escape (nearly every one logged) skips
 * the call. For the log lines written by template, one per request.
 */
export function jsonString(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

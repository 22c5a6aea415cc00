import type { ConfiguredValue } from './server-list.js';

/** A secret a server's config names that the bridge's environment does not hold. */
export class MissingSecretError extends Error {
  override name = 'MissingSecretError';
}

/**
 * Resolves a server's configured values (its environment, its headers): plain values as they are,
 * `{"secret": "NAME"}` from the bridge's own environment variable `NAME` (where the platform put
 * the secret: Cloud Run's secret variables, the Lambda's init). Throws {@link MissingSecretError}
 * naming the secret and where it was asked for.
 */
export function resolveConfiguredValues(
  values: Readonly<Record<string, ConfiguredValue>>,
  environment: Readonly<Record<string, string | undefined>>,
  where: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => {
      if (typeof value === 'string') return [key, value];
      const secret = environment[value.secret];
      if (secret === undefined || secret === '') {
        throw new MissingSecretError(`${where}.${key}: the secret ${value.secret} is not set (the bridge reads it from its environment variable ${value.secret})`);
      }
      return [key, secret];
    }),
  );
}

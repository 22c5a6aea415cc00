/** Reads one secret's string value by ARN. */
export type SecretReader = (secretArn: string) => Promise<string>;

/**
 * The region of a secret's ARN (`arn:aws:secretsmanager:<region>:…`): the secrets live in the home
 * region, and a function in another region must call that region's endpoint.
 */
export function secretRegion(secretArn: string): string | undefined {
  return /^arn:[\w-]+:secretsmanager:([a-z0-9-]+):/.exec(secretArn)?.[1];
}

/** Secrets Manager through the AWS SDK that the Lambda Node.js runtime ships (not bundled). */
const secretsManager: SecretReader = async (secretArn) => {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const region = secretRegion(secretArn);
  const client = new SecretsManagerClient(region === undefined ? {} : { region });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (SecretString === undefined) throw new Error(`secret ${secretArn} has no string value`);
  return SecretString;
};

/**
 * Resolves `<NAME>_SECRET_ARN` variables into `<NAME>` at cold start: the stacks pass
 * secrets to the Lambda by reference only. A variable already set wins.
 */
export async function withSecrets(
  env: Record<string, string | undefined>,
  read: SecretReader = secretsManager,
): Promise<Record<string, string | undefined>> {
  const resolved = { ...env };
  const references = Object.entries(env).filter(([name, value]) => name.endsWith('_SECRET_ARN') && value);
  await Promise.all(
    references.map(async ([name, arn]) => {
      const target = name.slice(0, -'_SECRET_ARN'.length);
      if (resolved[target] === undefined) resolved[target] = (await read(arn!)).trim();
    }),
  );
  return resolved;
}

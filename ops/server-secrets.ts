import { awsSecretName, googleSecretId, serverSecret } from '../stacks/bridge-environment.js';
import type { EnvironmentConfig } from '../stacks/config.js';
import { resourceName } from '../stacks/naming.js';
import { serverSecrets } from '../stacks/server-packaging.js';
import type { Aws } from './clouds/aws.js';
import type { Gcloud } from './clouds/gcloud.js';

/** The secrets an environment's servers name, each with its two stored names and the command that sets it. */
export function namedServerSecrets(env: EnvironmentConfig) {
  const service = resourceName(env.name);
  return serverSecrets(env.servers ?? []).map((secret) => {
    const stored = serverSecret(secret);
    return { ...secret, google: googleSecretId(service, stored), aws: awsSecretName(service, stored), setBy: `npm run secret -- ${env.name} ${secret.server} ${secret.name}` };
  });
}

/**
 * Which of the servers' secrets hold no value on a cloud, each as one sentence naming the secret,
 * where it is missing and the command that sets it. A server whose secret is missing would fail its
 * start on that cloud, and `/health` with it.
 */
export async function missingServerSecrets(env: EnvironmentConfig, clouds: { readonly gcloud: Gcloud; readonly aws: Aws }): Promise<string[]> {
  const missing: string[] = [];
  for (const secret of namedServerSecrets(env)) {
    const where = [
      ...((await clouds.gcloud.secretVersions(secret.google)).length === 0 ? [`Secret Manager (${secret.google})`] : []),
      ...((await clouds.aws.secretValue(secret.aws)) === undefined ? [`Secrets Manager (${secret.aws})`] : []),
    ];
    if (where.length > 0) missing.push(`${secret.name} of servers.${secret.server} has no value in ${where.join(' nor ')}: set it with ${secret.setBy}`);
  }
  return missing;
}

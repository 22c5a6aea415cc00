import { GcsBackend, LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { EnvironmentConfig } from './config.js';
import type { StackKind } from './naming.js';

/**
 * Gives a stack its own state, keyed by environment and stack. The gcp stack keeps
 * its state in GCS and the aws and edge stacks in S3 (encrypted, S3-native locking),
 * so that each cloud's stack plans and applies while the other cloud is down.
 */
export function useRemoteState(stack: TerraformStack, env: EnvironmentConfig, kind: StackKind): void {
  const state = env.state;
  if (state.backend === 'local') {
    new LocalBackend(stack, { path: `terraform.${env.name}-${kind}.tfstate` });
    return;
  }
  if (kind === 'gcp') {
    new GcsBackend(stack, { bucket: state.gcs.bucket, prefix: `${env.name}/${kind}` });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: state.s3.bucket,
    key: `${env.name}/${kind}.tfstate`,
    region: state.s3.region,
    encrypt: true,
  });
  // S3-native locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no typed field for it.
  backend.addOverride('use_lockfile', true);
}

import { GcsBackend, LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { EnvironmentConfig } from './config.js';
import { stackId, type StackKind } from './naming.js';

/** The stacks whose state lives on Google Cloud (the others' lives on AWS). */
const ON_GOOGLE: ReadonlySet<StackKind> = new Set(['gcp', 'bootstrap-gcp']);

/**
 * A stack's local state file, at the project root: synth rewrites `cdktf.out/`, so a state file
 * inside a stack's folder there would be lost (terraform runs in `cdktf.out/stacks/<stack>/`).
 */
export function localStatePath(stack: string): string {
  return `../../../terraform.${stack}.tfstate`;
}

/**
 * Gives a stack its own state, keyed by environment and stack. The Google stacks keep their
 * state in GCS and the AWS stacks in S3 (encrypted, S3-native locking), so that each cloud's
 * stacks plan and apply while the other cloud is down.
 *
 * @param local - keep the state on the local disk whatever the config says (a bootstrap stack
 *   before the bucket it creates exists)
 */
export function useRemoteState(stack: TerraformStack, env: EnvironmentConfig, kind: StackKind | `aws-${string}`, local = false): void {
  const state = env.state;
  if (state.backend === 'local' || local) {
    new LocalBackend(stack, { path: localStatePath(stackId(env.name, kind)) });
    return;
  }
  if (ON_GOOGLE.has(kind as StackKind)) {
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

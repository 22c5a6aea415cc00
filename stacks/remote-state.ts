import { GcsBackend, LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { EnvironmentConfig } from './config.js';
import { stackId, type AwsStackKind, type StackKind } from './naming.js';

/** The stacks whose state lives on Google Cloud (the others' lives on AWS). */
const ON_GOOGLE: ReadonlySet<StackKind> = new Set(['gcp', 'bootstrap-gcp']);

/** A stack's local state file, relative to the project root: `terraform.<stack>.tfstate`. */
export function localStateFile(stack: string): string {
  return `terraform.${stack}.tfstate`;
}

/**
 * A stack's local state file as its backend names it: at the project root, reached from the
 * stack's folder (synth rewrites `cdktf.out/`, so a state file inside a stack's folder there would
 * be lost; terraform runs in `cdktf.out/stacks/<stack>/`).
 */
export function localStatePath(stack: string): string {
  return `../../../${localStateFile(stack)}`;
}

/** Where a stack keeps its Terraform state (the default workspace's, the only one cdktf uses). */
export type StateLocation =
  | {
      /** Terraform's backend. */
      readonly backend: 'local';
      /** The state file, relative to the project root. */
      readonly file: string;
    }
  | {
      /** Terraform's backend. */
      readonly backend: 'gcs';
      /** The GCS bucket (`state.gcs.bucket`). */
      readonly bucket: string;
      /** The backend's prefix: `<env>/<kind>`. */
      readonly prefix: string;
      /** The state object: the GCS backend keeps a workspace's state in `<prefix>/<workspace>.tfstate`. */
      readonly object: string;
    }
  | {
      /** Terraform's backend. */
      readonly backend: 's3';
      /** The S3 bucket (`state.s3.bucket`). */
      readonly bucket: string;
      /** The state object (the S3-native lock file is `<key>.tflock` beside it). */
      readonly key: string;
      /** The bucket's region (`state.s3.region`). */
      readonly region: string;
    };

/** A state location in words: `s3://bucket/key`, `gs://bucket/object`, or the local file. */
export function describeLocation(location: StateLocation): string {
  switch (location.backend) {
    case 'local':
      return location.file;
    case 'gcs':
      return `gs://${location.bucket}/${location.object}`;
    case 's3':
      return `s3://${location.bucket}/${location.key}`;
  }
}

/**
 * Where a stack's state lives, keyed by environment and stack: the Google stacks' in GCS, the AWS
 * stacks' in S3, all of them on the local disk with `state.backend` local.
 *
 * @param local - on the local disk whatever the config says (a bootstrap stack before the bucket
 *   it creates exists, or after its state moved back to tear the bucket down)
 */
export function stateLocation(env: EnvironmentConfig, kind: StackKind | AwsStackKind, local = false): StateLocation {
  const state = env.state;
  if (state.backend === 'local' || local) return { backend: 'local', file: localStateFile(stackId(env.name, kind)) };
  if (ON_GOOGLE.has(kind as StackKind)) {
    const prefix = `${env.name}/${kind}`;
    return { backend: 'gcs', bucket: state.gcs.bucket, prefix, object: `${prefix}/default.tfstate` };
  }
  return { backend: 's3', bucket: state.s3.bucket, key: `${env.name}/${kind}.tfstate`, region: state.s3.region };
}

/**
 * Gives a stack its own state, where {@link stateLocation} says. The Google stacks keep their
 * state in GCS and the AWS stacks in S3 (encrypted, S3-native locking), so that each cloud's
 * stacks plan and apply while the other cloud is down.
 *
 * @param local - keep the state on the local disk whatever the config says (a bootstrap stack
 *   before the bucket it creates exists)
 */
export function useRemoteState(stack: TerraformStack, env: EnvironmentConfig, kind: StackKind | AwsStackKind, local = false): void {
  const location = stateLocation(env, kind, local);
  switch (location.backend) {
    case 'local':
      new LocalBackend(stack, { path: localStatePath(stackId(env.name, kind)) });
      return;
    case 'gcs':
      new GcsBackend(stack, { bucket: location.bucket, prefix: location.prefix });
      return;
    case 's3': {
      const backend = new S3Backend(stack, { bucket: location.bucket, key: location.key, region: location.region, encrypt: true });
      // S3-native locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no typed field for it.
      backend.addOverride('use_lockfile', true);
    }
  }
}

import type { TerraformStack } from 'cdktf';

/**
 * Resources an earlier release kept in the serving stacks and bootstrap now holds: the Artifact
 * Registry repository (so an image can exist before the service) and the secrets' containers (so
 * a stored value outlives any change of the serving stacks). A Terraform `removed` block with
 * `destroy = false` lets the next apply of an older deployment forget them instead of deleting
 * the images and the token digests; importing them into the bootstrap stacks is a step of the
 * README's upgrade path.
 */
export const MOVED_TO_BOOTSTRAP = {
  gcp: ['google_artifact_registry_repository.bridge_repository_F3EB99B6', 'google_secret_manager_secret.bridge_secret-MCP_TOKEN_SHA256_23095D1B'],
  aws: ['aws_secretsmanager_secret.bridge_secret-MCP_TOKEN_SHA256_23095D1B'],
  // Not a move to bootstrap, the same mechanism: a further AWS region's copy of the failover name's
  // certificate validation record, which the home region's stack alone owns now. Forgotten, not
  // deleted: deleting it would take the record the home region's certificate renews with.
  'aws-further-region': ['aws_route53_record.http-api_certificate-validation-record_4B97E9F2'],
  // The token digests' secret under its former name (`<service>/token-sha256`, which ends in a
  // hyphen and six characters): renaming it in place would delete it while the running Lambdas still
  // read it. Forgotten instead; npm run deploy copies its digests to the new name and, once every
  // Lambda reads that, schedules the former's deletion.
  'bootstrap-aws': ['aws_secretsmanager_secret.secret-MCP_TOKEN_SHA256'],
} as const;

/** Adds the `removed` blocks of one kind of {@link MOVED_TO_BOOTSTRAP} to its stack (Terraform ≥ 1.7). */
export function forgetMovedResources(stack: TerraformStack, kind: keyof typeof MOVED_TO_BOOTSTRAP): void {
  stack.addOverride(
    'removed',
    MOVED_TO_BOOTSTRAP[kind].map((from) => ({ from, lifecycle: { destroy: false } })),
  );
}

import { TerraformResource } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { TAG_ATTRIBUTE, tagMapOf } from '../../stacks/tagging.js';
import { EXAMPLE_ENVIRONMENT_NAMES, synthEnvironment, type Synthesized } from '../support/synth.js';

const environments = Object.fromEntries(EXAMPLE_ENVIRONMENT_NAMES.map((name) => [name, synthEnvironment(name)]));
const kinds = { bootstrapGcp: 'bootstrap-gcp', bootstrapAws: 'bootstrap-aws', gcp: 'gcp', aws: 'aws', edge: 'edge' } as const;
const everyStack = EXAMPLE_ENVIRONMENT_NAMES.flatMap((env) =>
  Object.entries(kinds).map(([key, kind]) => [`${env}-${kind}`, environments[env]![key as keyof typeof kinds]] as const),
);

/** Every resource of a synthesized stack, keyed by its construct path. */
function byPath(synthesized: Synthesized): Map<string, any> {
  const found = new Map<string, any>();
  for (const ofType of Object.values(synthesized.resource)) {
    for (const resource of Object.values(ofType)) found.set(resource['//'].metadata.path, resource);
  }
  return found;
}

describe('rules every stack of every environment keeps', () => {
  it.each(everyStack)('%s has its own state, keyed by environment and stack', (id, stack) => {
    const [env, ...rest] = id.split('-');
    const kind = rest.join('-');
    const backend = stack.terraform.backend;
    if (kind.endsWith('gcp')) {
      expect(backend).toEqual({ gcs: { bucket: `example-mcp-${env}-tfstate`, prefix: `${env}/${kind}` } });
    } else {
      expect(backend).toEqual({
        s3: { bucket: `example-mcp-${env}-tfstate`, key: `${env}/${kind}.tfstate`, region: 'eu-west-1', encrypt: true, use_lockfile: true },
      });
    }
  });

  it.each(everyStack)('%s pins its provider versions exactly', (_id, stack) => {
    const providers = Object.entries(stack.terraform.required_providers as Record<string, { version: string }>);
    expect(providers.length).toBeGreaterThan(0);
    for (const [, { version }] of providers) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each(everyStack)('%s has no credentials in provider blocks', (_id, stack) => {
    const forbidden = ['access_key', 'secret_key', 'token', 'credentials', 'access_token', 'profile', 'shared_credentials_files'];
    for (const blocks of Object.values(stack.provider)) {
      for (const block of blocks) for (const key of forbidden) expect(block).not.toHaveProperty(key);
    }
  });

  it.each(EXAMPLE_ENVIRONMENT_NAMES)('%s: every resource that takes labels or tags carries service, environment and managed-by', (env) => {
    const synthesized = environments[env]!;
    let checked = 0;
    for (const kind of Object.keys(kinds) as Array<keyof typeof kinds>) {
      const emitted = byPath(synthesized[kind]);
      for (const resource of synthesized.stacks[kind].node.findAll()) {
        if (!(resource instanceof TerraformResource)) continue;
        const map = tagMapOf(resource);
        if (map === undefined) continue;
        const field = TAG_ATTRIBUTE[map];
        const json = emitted.get(resource.node.path);
        expect(json?.[field], resource.node.path).toMatchObject({ service: 'mcp-bridge', environment: env, 'managed-by': 'cdktf' });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('labels a GCP notification channel through user_labels, leaving its e-mail config alone', () => {
    const channel = Object.values(environments.staging!.gcp.resource.google_monitoring_notification_channel!)[0];
    expect(channel.labels).toEqual({ email_address: 'platform-alerts@example.com' });
    expect(channel.user_labels).toMatchObject({ service: 'mcp-bridge' });
  });

  it.each(everyStack)('%s matches its snapshot', (_id, stack) => {
    expect(stack).toMatchSnapshot();
  });
});

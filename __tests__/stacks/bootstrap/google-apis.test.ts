// A fresh Google project's first bootstrap apply: every resource waits for the API it goes through
// (without it Terraform creates them in parallel with the enabling: 403 "API has not been used").
import { describe, expect, it } from 'vitest';
import { GOOGLE_API_OF_RESOURCE, GOOGLE_APIS, googleApiOf } from '../../../stacks/bootstrap/google-apis.js';
import { stacksOf, synthEveryExample } from '../../support/synth.js';

const examples = synthEveryExample();

describe.each(examples.map((example) => [`${example.file}: ${example.env.name}`, example] as const))('GIVEN %s', (_name, { synthesized }) => {
  it('THEN every Google resource type any of its stacks emits has its API in the table, and bootstrap enables that API', () => {
    for (const [id, stack] of stacksOf(synthesized)) {
      for (const type of Object.keys(stack.resource).filter((key) => key.startsWith('google_') && key !== 'google_project_service')) {
        expect(GOOGLE_API_OF_RESOURCE, `${id}: ${type}`).toHaveProperty(type);
        expect(GOOGLE_APIS, `${id}: ${type}`).toContain(googleApiOf(type));
      }
    }
  });

  it('THEN every resource of the bootstrap stack depends on the enabling of its own API', () => {
    const stack = synthesized.bootstrapGcp;
    const enabling = Object.fromEntries(Object.entries(stack.resource.google_project_service!).map(([key, value]) => [value.service, `google_project_service.${key}`]));
    const checked: string[] = [];
    for (const [type, byName] of Object.entries(stack.resource).filter(([type]) => type.startsWith('google_') && type !== 'google_project_service')) {
      for (const [name, resource] of Object.entries(byName)) {
        expect(resource.depends_on ?? [], `${type}.${name}`).toContain(enabling[googleApiOf(type)]);
        checked.push(type);
      }
    }
    // The identities, their bindings and the buckets are among them (they waited for nothing before).
    expect(new Set(checked)).toEqual(new Set(['google_artifact_registry_repository', 'google_iam_workload_identity_pool', 'google_iam_workload_identity_pool_provider', 'google_logging_project_bucket_config', 'google_logging_project_sink', 'google_project_iam_member', 'google_secret_manager_secret', 'google_service_account', 'google_service_account_iam_member', 'google_storage_bucket', 'google_storage_bucket_iam_member']));
  });
});

describe('googleApiOf', () => {
  it('names a type it does not know, and where to add it', () => {
    expect(() => googleApiOf('google_redis_instance')).toThrow('google_redis_instance: no API known for this Google resource type: add it to GOOGLE_API_OF_RESOURCE');
  });
});

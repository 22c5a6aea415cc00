// An environment whose servers need the release image (stacks/examples/own-servers.json): both
// clouds run the one digest, the Lambda runs it as an image through the runtime interface client,
// bootstrap holds the ECR repository and the servers' secrets; without such servers, the zip Lambda stays.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEnvironments } from '../../stacks/config.js';
import { only, resources, synthEnvironment } from '../support/synth.js';

const own = parseEnvironments(JSON.parse(readFileSync('stacks/examples/own-servers.json', 'utf8')))[0]!;
const synthesized = synthEnvironment('own', own);
const synthesizeStaging = () => synthEnvironment('staging');
/** A stack's data sources of one type. */
function dataSources(stack: unknown, type: string): any[] {
  return Object.values((stack as { data?: Record<string, Record<string, unknown>> }).data?.[type] ?? {});
}

const digest = own.image.slice(own.image.indexOf('@') + 1);

describe('GIVEN stacks/examples/own-servers.json (an npm stdio server and a Python one with a secret)', () => {
  it('THEN Cloud Run and the Lambda name the same image digest', () => {
    const service = only(synthesized.gcp, 'google_cloud_run_v2_service');
    const lambda = only(synthesized.aws, 'aws_lambda_function');
    expect(service.template.containers[0].image).toBe(own.image);
    expect(lambda.image_uri).toBe(`\${data.aws_ecr_repository.release-image.repository_url}@${digest}`);
    expect(dataSources(synthesized.aws, 'aws_ecr_repository').map((repository) => repository.name)).toEqual(['mcp-bridge-own']);
  });

  it('THEN the Lambda runs the image on x86_64 through the runtime interface client, with no zip, handler or runtime', () => {
    const lambda = only(synthesized.aws, 'aws_lambda_function');
    expect(lambda).toMatchObject({ package_type: 'Image', architectures: ['x86_64'], image_config: { entry_point: ['node', '/var/task/node_modules/aws-lambda-ric/index.mjs'], command: ['index.handler'], working_directory: '/app' } });
    for (const field of ['filename', 'handler', 'runtime', 'source_code_hash']) expect(lambda).not.toHaveProperty(field);
  });

  it('THEN bootstrap holds the ECR repository, with a pull policy for this Lambda alone, and both clouds hold the secret', () => {
    expect(only(synthesized.bootstrapAws, 'aws_ecr_repository')).toMatchObject({ name: 'mcp-bridge-own', image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: { scan_on_push: true } });
    expect(only(synthesized.bootstrapAws, 'aws_ecr_repository_policy').repository).toMatch(/^\$\{aws_ecr_repository\.[\w-]+\.name\}$/);
    const documents = dataSources(synthesized.bootstrapAws, 'aws_iam_policy_document').filter((document) => document.statement?.[0]?.sid === 'LambdaPullsReleaseImage');
    expect(documents).toHaveLength(1);
    expect(documents[0].statement[0]).toMatchObject({ principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }], actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] });
    expect(documents[0].statement[0].condition[0].values[0]).toMatch(/^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:lambda:eu-west-1:\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:function:mcp-bridge-own\*$/);
    expect(resources(synthesized.bootstrapAws, 'aws_secretsmanager_secret').map((secret) => secret.name)).toContain('mcp-bridge-own/servers/notes/NOTES_API_KEY');
    expect(resources(synthesized.bootstrapGcp, 'google_secret_manager_secret').map((secret) => secret.secret_id)).toContain('mcp-bridge-own-server-notes-NOTES_API_KEY');
  });

  it('THEN Cloud Run mounts the secret as its variable (latest version, read at instance start) and the Lambda gets its ARN to read at init', () => {
    const service = only(synthesized.gcp, 'google_cloud_run_v2_service');
    const env = service.template.containers[0].env;
    // Cloud Run checks the revision's access to each secret when it creates it: the service waits for every accessor binding.
    const accessors = Object.entries(synthesized.gcp.resource.google_secret_manager_secret_iam_member!).map(([id]) => `google_secret_manager_secret_iam_member.${id}`);
    expect(accessors).toHaveLength(2);
    expect([...service.depends_on].sort()).toEqual(accessors.sort());
    expect(env).toContainEqual({ name: 'NOTES_API_KEY', value_source: { secret_key_ref: { secret: 'mcp-bridge-own-server-notes-NOTES_API_KEY', version: 'latest' } } });
    const variables = only(synthesized.aws, 'aws_lambda_function').environment.variables;
    expect(variables.NOTES_API_KEY_SECRET_ARN).toMatch(/^\$\{data\.aws_secretsmanager_secret\.[\w-]+\.arn\}$/);
    expect(JSON.parse(variables.MCP_SERVERS).servers.notes.stdio.env.NOTES_API_KEY).toEqual({ secret: 'NOTES_API_KEY' });
  });
});

describe('GIVEN a switch between the zip and the image', () => {
  it('THEN the image runs in a function of its own name, created with its alias and permission before the old ones go', () => {
    const lambda = only(synthesized.aws, 'aws_lambda_function');
    expect(lambda.function_name).toBe('mcp-bridge-own-image');
    expect(only(synthesizeStaging().aws, 'aws_lambda_function').function_name).toBe('mcp-bridge-staging');
    for (const type of ['aws_lambda_function', 'aws_lambda_alias', 'aws_lambda_permission']) expect(only(synthesized.aws, type).lifecycle).toEqual({ create_before_destroy: true });
    // The role and its policy keep the service's names: IAM does not change under the switch.
    expect(only(synthesized.aws, 'aws_iam_role').name).toBe('mcp-bridge-own');
    expect(only(synthesized.aws, 'aws_iam_role_policy').name).toBe('mcp-bridge-own-runtime');
    expect(resources(synthesized.aws, 'aws_cloudwatch_log_group').map((group) => group.name)).toContain('/aws/lambda/mcp-bridge-own-image');
  });
});

describe('GIVEN an environment with the built-in tools alone', () => {
  const staging = synthEnvironment('staging');
  it('THEN the Lambda stays the zip on arm64, and bootstrap makes no image repository', () => {
    expect(only(staging.aws, 'aws_lambda_function')).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], handler: 'index.handler' });
    expect(only(staging.aws, 'aws_lambda_function')).not.toHaveProperty('package_type');
    expect(resources(staging.bootstrapAws, 'aws_ecr_repository')).toEqual([]);
    expect(dataSources(staging.aws, 'aws_ecr_repository')).toEqual([]);
  });
});

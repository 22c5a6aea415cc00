import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnvironments } from '../../stacks/config.js';
import { exampleConfig, only, resources, synthEnvironment } from '../support/synth.js';

/** Applies a change to the example config's environment and returns the parse error's message. */
function errorFor(env: 'staging' | 'production', change: (config: Record<string, any>) => void): string {
  const config = exampleConfig();
  change(config[env]);
  try {
    parseEnvironments(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('environments config', () => {
  it('accepts the example config, filling defaults', () => {
    const [staging, production] = parseEnvironments(exampleConfig());
    expect(staging).toMatchObject({ name: 'staging', deletionProtection: false, cloudRun: { invokers: ['allUsers'] } });
    expect(production).toMatchObject({ name: 'production', deletionProtection: true });
  });

  it.each<[string, 'staging' | 'production', (c: Record<string, any>) => void, RegExp]>([
    ['an image by tag', 'staging', (c) => (c.image = 'europe-west1-docker.pkg.dev/example-mcp-staging/mcp/bridge:latest'), /staging: image: must be an Artifact Registry image pinned by digest/],
    ['a gcr.io image', 'staging', (c) => (c.image = `gcr.io/example-mcp-staging/bridge@sha256:${'a'.repeat(64)}`), /staging: image: .*no gcr\.io/],
    ['a short digest', 'staging', (c) => (c.image = c.image.replace(/0{64}$/, 'abc')), /staging: image:/],
    ['a domain outside the zone', 'staging', (c) => (c.domainName = 'mcp.other.org'), /staging: domainName: must be inside hostedZone.name/],
    ['an uppercase domain', 'staging', (c) => (c.domainName = 'MCP.example.com'), /staging: domainName: must be a lowercase DNS name/],
    ['a bad hosted zone id', 'staging', (c) => (c.hostedZone.id = 'example.com'), /staging: hostedZone\.id: must be a Route 53 hosted zone id/],
    ['a bad GCP project', 'staging', (c) => (c.gcp.project = 'Bad_Project'), /staging: gcp\.project: must be a GCP project id/],
    ['a bad GCP region', 'staging', (c) => (c.gcp.region = 'europe'), /staging: gcp\.region: must be a GCP region/],
    ['a bad AWS region', 'staging', (c) => (c.aws.region = 'ireland'), /staging: aws\.region: must be an AWS region/],
    ['min above max instances', 'staging', (c) => (c.cloudRun.minInstances = 9), /staging: cloudRun\.minInstances: minInstances must not exceed maxInstances/],
    ['a bad cpu', 'staging', (c) => (c.cloudRun.cpu = '3'), /staging: cloudRun\.cpu:/],
    ['too little memory', 'staging', (c) => (c.cloudRun.memoryMiB = 128), /staging: cloudRun\.memoryMiB:/],
    ['a bad invoker', 'staging', (c) => (c.cloudRun.invokers = ['everyone']), /staging: cloudRun\.invokers\.0: must be an IAM member/],
    ['a Lambda timeout past API Gateway', 'staging', (c) => (c.lambda.timeoutSeconds = 60), /staging: lambda\.timeoutSeconds:/],
    ['a health-check interval Route 53 refuses', 'staging', (c) => (c.healthCheck.intervalSeconds = 15), /staging: healthCheck\.intervalSeconds:/],
    ['fewer than 3 checker regions', 'staging', (c) => (c.healthCheck.regions = ['us-east-1', 'eu-west-1']), /staging: healthCheck\.regions: Route 53 needs at least 3 checker regions/],
    ['an unknown checker region', 'staging', (c) => (c.healthCheck.regions = ['us-east-1', 'eu-west-1', 'mars-1']), /staging: healthCheck\.regions\.2:/],
    ['a bad failure threshold', 'staging', (c) => (c.healthCheck.failureThreshold = 11), /staging: healthCheck\.failureThreshold:/],
    ['no alert address', 'staging', (c) => (c.alerts.emails = []), /staging: alerts\.emails: list at least one address/],
    ['a bad alert address', 'staging', (c) => (c.alerts.emails = ['not-an-address']), /staging: alerts\.emails\.0:/],
    ['a retention CloudWatch refuses', 'staging', (c) => (c.logRetentionDays = 10), /staging: logRetentionDays:/],
    ['an unknown state backend', 'staging', (c) => (c.state = { backend: 'consul' }), /staging: state\.backend:/],
    ['remote state without a GCS bucket', 'staging', (c) => delete c.state.gcs, /staging: state\.gcs:/],
    ['an unknown auth mode', 'staging', (c) => (c.auth = { mode: 'basic' }), /staging: auth\.mode:/],
    ['oauth without an issuer', 'staging', (c) => (c.auth = { mode: 'oauth' }), /staging: auth\.issuer:/],
    ['production on local state', 'production', (c) => (c.state = { backend: 'local' }), /production: state\.backend: the production tier must use remote state/],
    ['production without auth', 'production', (c) => (c.auth = { mode: 'none' }), /production: auth\.mode: the production tier must not be "none"/],
    ['staging in the production tier on local state', 'staging', (c) => Object.assign(c, { tier: 'production', state: { backend: 'local' } }), /staging: state\.backend: the production tier must use remote state/],
    ['an unknown tier', 'staging', (c) => (c.tier = 'prod'), /staging: tier: Invalid option: expected one of "production"\|"non-production"/],
    ['no servers in servers', 'staging', (c) => (c.servers = {}), /staging: servers: name at least one server/],
    ['a server name with "_"', 'staging', (c) => (c.servers = { my_tools: { builtin: {} } }), /staging: servers\.my_tools: a server name is 1-20 lowercase letters/],
    ['an http server without a URL', 'staging', (c) => (c.servers = { search: { http: {} } }), /staging: servers\.search\.http\.url:/],
    ['a stdio server without its packaging', 'staging', (c) => (c.servers = { memory: { stdio: { command: 'mcp-server-memory' } } }), /staging: servers\.memory\.stdio\.package: a deployed stdio server names what the image installs[\s\S]*staging: servers\.memory\.stdio\.runtime: a deployed stdio server names its runtime/],
    ['a contract acknowledgement that is not a fingerprint', 'staging', (c) => (c.contract = { acknowledged: { builtin: 'yes' } }), /staging: contract\.acknowledged\.builtin: must be a contract fingerprint, sha256:<64 hex>/],
    ['a contract acknowledgement of a server that does not exist', 'staging', (c) => (c.contract = { acknowledged: { memory: `sha256:${'a'.repeat(64)}` } }), /staging: contract\.acknowledged\.memory: no such server \(the servers are builtin\)/],
    ['access rules without a default', 'staging', (c) => (c.access = { grants: [] }), /staging: access\.default: one of "allow" or "deny"/],
    ['a grant of a server that does not exist', 'staging', (c) => (c.access = { default: 'deny', grants: [{ server: 'search', tokens: ['team-a'] }] }), /staging: access\.grants\.0\.server: no server "search" \(the servers: builtin\)/],
    ['a grant of a built-in tool that does not exist', 'staging', (c) => (c.access = { default: 'deny', grants: [{ server: 'builtin', tools: ['health'], tokens: ['team-a'] }] }), /staging: access\.grants\.0\.tools\.0: server "builtin" has no tool "health" \(its tools: process_data, health_check\)/],
    ['scopes in token mode', 'staging', (c) => (c.access = { default: 'deny', grants: [{ server: 'builtin', scopes: ['mcp:tools'] }] }), /staging: access\.grants\.0: auth mode token knows callers by tokens/],
    ['tokens in oauth mode', 'staging', (c) => Object.assign(c, { auth: { mode: 'oauth', issuer: 'https://login.example.com' }, access: { default: 'deny', grants: [{ server: 'builtin', tokens: ['team-a'] }] } }), /staging: access\.grants\.0: auth mode oauth knows callers by scopes/],
    ['access rules without auth', 'staging', (c) => Object.assign(c, { auth: { mode: 'none' }, access: { default: 'allow' } }), /staging: access: access rules need to know the caller/],
    ['production allowing what no grant names', 'production', (c) => (c.access = { default: 'allow', grants: [] }), /production: access\.default: the production tier must deny what no grant names/],
    ['an audit retention Cloud Logging refuses', 'staging', (c) => (c.audit = { retentionDays: 3653 }), /staging: audit\.retentionDays:/],
  ])('rejects %s, naming the environment and field', (_name, env, change, message) => {
    expect(errorFor(env, change)).toMatch(message);
  });

  it('lets staging use local state and no auth', () => {
    const config = exampleConfig();
    config.staging.state = { backend: 'local' };
    config.staging.auth = { mode: 'none' };
    expect(parseEnvironments(config)[0]).toMatchObject({ state: { backend: 'local' }, auth: { mode: 'none' } });
  });

  it('reports every problem at once', () => {
    const config = exampleConfig();
    config.staging.gcp.region = 'nowhere';
    config.production.alerts.emails = [];
    expect(() => parseEnvironments(config)).toThrowError(/staging: gcp\.region[\s\S]*production: alerts\.emails/);
  });

  it('takes any number of environments, named by their keys; the tier, not the name, turns on the production rules', () => {
    const config = exampleConfig();
    config.dev = { ...structuredClone(config.staging), domainName: 'mcp.dev.example.com', state: { backend: 'local' }, auth: { mode: 'none' } };
    config['prod-eu'] = { ...structuredClone(config.production), domainName: 'mcp.eu.example.com', tier: 'production' };
    config.production.tier = 'non-production';
    config.production.deletionProtection = false;
    const environments = parseEnvironments(config);
    expect(environments.map((env) => [env.name, env.tier, env.deletionProtection])).toEqual([
      ['staging', 'non-production', false],
      ['production', 'non-production', false],
      ['dev', 'non-production', false],
      ['prod-eu', 'production', true],
    ]);
  });

  it('lets production turn deletion protection off (the reviewed step before npm run destroy), and keeps its other rules', () => {
    const config = exampleConfig();
    config.production.deletionProtection = false;
    const production = parseEnvironments(config).find((env) => env.name === 'production')!;
    expect(production).toMatchObject({ tier: 'production', deletionProtection: false });
    // The stacks synthesize with it (the policy check follows the config), and the service's protection is off.
    expect(only(synthEnvironment('production', production).gcp, 'google_cloud_run_v2_service').deletion_protection).toBe(false);
    expect(errorFor('production', (c) => Object.assign(c, { deletionProtection: false, state: { backend: 'local' } }))).toMatch(/production: state\.backend: the production tier must use remote state/);
    expect(errorFor('production', (c) => Object.assign(c, { deletionProtection: false, auth: { mode: 'none' } }))).toMatch(/production: auth\.mode: the production tier must not be "none"/);
  });

  it('hands both clouds the same server list (MCP_SERVERS) and routes each server\'s path; nothing of it without servers', () => {
    const config = exampleConfig();
    config.staging.servers = { tools: { builtin: {} }, search: { http: { url: 'https://search.internal.example.com/mcp', headers: { 'X-Team': 'search' } } } };
    const staging = parseEnvironments(config).find((env) => env.name === 'staging')!;
    const synthesized = synthEnvironment('staging', staging);
    const cloudRunEnv = Object.fromEntries(only(synthesized.gcp, 'google_cloud_run_v2_service').template.containers[0].env.map((variable: { name: string; value?: string }) => [variable.name, variable.value]));
    const lambdaEnv = only(synthesized.awsRegions[0]!, 'aws_lambda_function').environment.variables;
    expect(JSON.parse(cloudRunEnv.MCP_SERVERS)).toEqual({
      servers: { tools: { builtin: {} }, search: { http: { url: 'https://search.internal.example.com/mcp', headers: { 'X-Team': 'search' }, startTimeoutMs: 10_000, maxInFlight: 32 } } },
    });
    expect(lambdaEnv.MCP_SERVERS).toBe(cloudRunEnv.MCP_SERVERS);
    // Each server's own endpoint is public on both clouds, next to /mcp and /health.
    const pathRules = resources(synthesized.gcp, 'google_compute_url_map').find((map) => map.path_matcher !== undefined).path_matcher[0].path_rule.map((rule: { paths: string[] }) => rule.paths[0]);
    expect(pathRules).toEqual(['/mcp', '/health', '/servers/tools/mcp', '/servers/search/mcp']);
    const routes = resources(synthesized.awsRegions[0]!, 'aws_apigatewayv2_route').map((route: any) => route.route_key);
    expect(routes.sort()).toEqual(['ANY /mcp', 'ANY /servers/search/mcp', 'ANY /servers/tools/mcp', 'GET /health']);

    const without = synthEnvironment('staging');
    expect(only(without.gcp, 'google_cloud_run_v2_service').template.containers[0].env.map((variable: { name: string }) => variable.name)).not.toContain('MCP_SERVERS');
    expect(only(without.awsRegions[0]!, 'aws_lambda_function').environment.variables).not.toHaveProperty('MCP_SERVERS');
    expect(resources(without.awsRegions[0]!, 'aws_apigatewayv2_route').map((route: any) => route.route_key).sort()).toEqual(['ANY /mcp', 'GET /health']);
  });

  it('hands both clouds the same access rules (MCP_ACCESS); nothing of them without rules', () => {
    const config = exampleConfig();
    const access = { default: 'deny', grants: [{ server: 'builtin', tools: ['health_check'], tokens: ['team-a'] }] };
    config.production.access = access;
    const production = parseEnvironments(config).find((env) => env.name === 'production')!;
    const synthesized = synthEnvironment('production', production);
    const cloudRunEnv = Object.fromEntries(only(synthesized.gcp, 'google_cloud_run_v2_service').template.containers[0].env.map((variable: { name: string; value?: string }) => [variable.name, variable.value]));
    expect(JSON.parse(cloudRunEnv.MCP_ACCESS)).toEqual(access);
    expect(only(synthesized.awsRegions[0]!, 'aws_lambda_function').environment.variables.MCP_ACCESS).toBe(cloudRunEnv.MCP_ACCESS);
    expect(only(synthEnvironment('staging').awsRegions[0]!, 'aws_lambda_function').environment.variables).not.toHaveProperty('MCP_ACCESS');
  });

  it('keeps the production rules for an environment named production without a tier', () => {
    expect(parseEnvironments(exampleConfig()).find((env) => env.name === 'production')).toMatchObject({ tier: 'production', deletionProtection: true });
  });

  it.each([['QA'], ['qa_1'], ['a-very-long-name'], ['-qa'], ['qa-']])('refuses the environment name %j, naming the rule', (name) => {
    const config = exampleConfig();
    config[name] = config.staging;
    expect(() => parseEnvironments(config)).toThrowError(new RegExp(`${name.replace(/[-_]/g, '\\$&')}: \\(name\\): must be 1-12 lowercase letters, digits or hyphens`));
  });

  it('refuses a file without environments', () => {
    expect(() => parseEnvironments({})).toThrowError(/\(file\): no environment: add at least one/);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEnvironments } from '../../stacks/config.js';
import { exampleConfig, only, resources, synthEnvironment, type SynthesizedEnvironment } from '../support/synth.js';

const GCP_REGIONS = ['europe-west1', 'us-central1', 'asia-northeast1'];
const AWS_REGIONS = ['eu-west-1', 'us-east-1', 'ap-northeast-1'];

/** Staging with the first `gcp` GCP regions and `aws` AWS regions (one region stays `region`, as before). */
function stagingIn(gcp: number, aws: number, change: (staging: Record<string, any>) => void = () => undefined): SynthesizedEnvironment {
  const config = exampleConfig();
  config.staging.gcp = gcp === 1 ? { project: 'example-mcp-staging', region: GCP_REGIONS[0] } : { project: 'example-mcp-staging', regions: GCP_REGIONS.slice(0, gcp) };
  config.staging.aws = aws === 1 ? { region: AWS_REGIONS[0] } : { regions: AWS_REGIONS.slice(0, aws) };
  change(config.staging);
  return synthEnvironment('staging', parseEnvironments(config).find((env) => env.name === 'staging'));
}

/** Every resource address of the environment, `<stack>:<type>.<name>`. */
function addresses(environment: SynthesizedEnvironment): string[] {
  const stacks = [environment.bootstrapGcp, environment.bootstrapAws, environment.gcp, ...environment.awsRegions, environment.edge];
  return stacks.flatMap((stack) =>
    Object.entries(stack.resource).flatMap(([type, ofType]) => Object.keys(ofType).map((name) => `${(stack as any)['//'].metadata.stackName}:${type}.${name}`)),
  );
}

describe.each([1, 2, 3])('GIVEN %i region(s) on each cloud', (count) => {
  const environment = stagingIn(count, count);

  it('THEN GCP runs a service per region, each behind a NEG of its region, all backends of the one backend service and address', () => {
    const services = resources(environment.gcp, 'google_cloud_run_v2_service');
    expect(services.map((service) => [service.name, service.location]).sort()).toEqual(GCP_REGIONS.slice(0, count).map((region) => ['mcp-bridge-staging', region]).sort());
    const negs = resources(environment.gcp, 'google_compute_region_network_endpoint_group');
    expect(negs.map((neg) => neg.name).sort()).toEqual(GCP_REGIONS.slice(0, count).map((region) => `mcp-bridge-staging-${region}-neg`).sort());
    expect(only(environment.gcp, 'google_compute_backend_service').backend).toHaveLength(count);
    only(environment.gcp, 'google_compute_global_address');
    only(environment.gcp, 'google_certificate_manager_certificate');
    // One identity for every region; per-region alerts, alerting the same channels.
    only(environment.gcp, 'google_service_account');
    const policies = resources(environment.gcp, 'google_monitoring_alert_policy');
    expect(policies).toHaveLength(3 * count);
    for (const region of GCP_REGIONS.slice(0, count)) {
      expect(policies.filter((policy) => policy.conditions[0].condition_threshold.filter.includes(`resource.labels.location = "${region}"`))).toHaveLength(3);
    }
    expect(resources(environment.gcp, 'google_monitoring_notification_channel')).toHaveLength(1);
  });

  it('THEN AWS has a stack per region, each with its Lambda, API, custom domain and alarm topic', () => {
    expect(environment.awsRegions.map((stack) => (stack as any)['//'].metadata.stackName)).toEqual(
      AWS_REGIONS.slice(0, count).map((region, index) => (index === 0 ? 'staging-aws' : `staging-aws-${region}`)),
    );
    for (const [index, stack] of environment.awsRegions.entries()) {
      const region = AWS_REGIONS[index]!;
      expect(stack.provider.aws!.find((provider) => provider.alias === undefined)!.region).toBe(region);
      expect(only(stack, 'aws_lambda_function').function_name).toBe('mcp-bridge-staging');
      expect(only(stack, 'aws_iam_role').name).toBe(index === 0 ? 'mcp-bridge-staging' : `mcp-bridge-staging-${region}`);
      expect(only(stack, 'aws_sns_topic').name).toBe('mcp-bridge-staging-alarms');
      const domains = resources(stack, 'aws_apigatewayv2_domain_name').map((domain) => domain.domain_name);
      expect(domains).toEqual(count === 1 ? ['mcp.staging.example.com'] : ['mcp.staging.example.com', `${region}.mcp.staging.example.com`]);
      // The secret is the home region's: every region's function reads the same token digests.
      const secret = Object.values(stack.data!.aws_secretsmanager_secret!)[0] as any;
      expect(secret.name).toBe('mcp-bridge-staging/token-digests');
      if (index > 0) expect(secret.provider).toBe('aws.home');
    }
  });

  it('THEN one stack, the home region\'s, owns the failover name\'s certificate validation record (ACM gives every region the same one): the others validate on it and never write or delete it', () => {
    // The validation records iterate over their certificate's domain_validation_options: which certificate says which name.
    const failoverRecords = environment.awsRegions.map((stack) =>
      Object.values(stack.resource.aws_route53_record ?? {}).filter((record: any) => String(record.for_each).includes('http-api_certificate_') && !String(record.for_each).includes('regional')),
    );
    expect(failoverRecords.map((records) => records.length)).toEqual(environment.awsRegions.map((_stack, index) => (index === 0 ? 1 : 0)));
    for (const stack of environment.awsRegions.slice(1)) {
      const validations = resources(stack, 'aws_acm_certificate_validation');
      // Its failover-name certificate waits for the home region's record; its regional one has a record of its own.
      expect(validations.filter((validation) => validation.validation_record_fqdns === undefined)).toHaveLength(1);
      expect(validations.filter((validation) => validation.validation_record_fqdns !== undefined)).toHaveLength(1);
      // An older deployment's copy of the record is forgotten by the next apply, not deleted.
      expect((stack as any).removed).toEqual([{ from: Object.keys(environment.awsRegions[0]!.resource.aws_route53_record!).find((key) => key.startsWith('http-api_certificate-validation-record'))!, lifecycle: { destroy: false } }].map((block) => ({ ...block, from: `aws_route53_record.${block.from}` })));
    }
  });

  it('THEN the SECONDARY answer is the one API with one region, and a latency-routed, health-checked set with several', () => {
    const records = resources(environment.edge, 'aws_route53_record');
    const secondary = records.find((record) => record.failover_routing_policy?.type === 'SECONDARY')!;
    expect(secondary.set_identifier).toBe('secondary-aws');
    const checks = resources(environment.edge, 'aws_route53_health_check');
    const latency = records.filter((record) => record.latency_routing_policy !== undefined);
    if (count === 1) {
      expect(secondary.alias.name).toMatch(/cross-stack-output-aws_apigatewayv2_domain_name/);
      expect(latency).toEqual([]);
      expect(checks).toHaveLength(1);
      return;
    }
    expect(secondary.alias).toEqual({ name: 'aws.mcp.staging.example.com', zone_id: 'Z0EXAMPLE00000000STG', evaluate_target_health: true });
    expect(latency.map((record) => [record.name, record.set_identifier, record.latency_routing_policy.region]).sort()).toEqual(
      AWS_REGIONS.slice(0, count).map((region) => ['aws.mcp.staging.example.com', `aws-${region}`, region]).sort(),
    );
    expect(checks).toHaveLength(1 + count);
    for (const region of AWS_REGIONS.slice(0, count)) {
      const check = checks.find((candidate) => candidate.fqdn === `${region}.mcp.staging.example.com`)!;
      expect(check).toMatchObject({ type: 'HTTPS', resource_path: '/health', enable_sni: true, reference_name: `aws-${region}`, lifecycle: { create_before_destroy: true } });
      expect(latency.find((record) => record.set_identifier === `aws-${region}`)!.health_check_id).toMatch(/aws_route53_health_check\.failover_aws-[\w-]+-health/);
    }
    expect(resources(environment.edge, 'aws_cloudwatch_metric_alarm').map((alarm) => alarm.alarm_name).sort()).toEqual(
      ['mcp-bridge-staging-failover-alarms-primary-unhealthy', ...AWS_REGIONS.slice(0, count).map((region) => `mcp-bridge-staging-failover-alarms-aws-${region}-unhealthy`)].sort(),
    );
  });
});

describe('adding and removing regions', () => {
  const one = addresses(stagingIn(1, 1));
  const two = addresses(stagingIn(2, 2));

  it('adding a region on each cloud only adds: every address of the single-region setup stays', () => {
    expect(two).toEqual(expect.arrayContaining(one));
    expect(two.length).toBeGreaterThan(one.length);
  });

  it('removing the added regions takes away only what they added', () => {
    expect(two.filter((address) => !one.includes(address)).every((address) => /us-central1|us-east-1|regional|aws-eu-west-1|latency|staging-aws-us-east-1:/.test(address))).toBe(true);
  });
});

describe('region config rules', () => {
  it.each<[string, (staging: Record<string, any>) => void, RegExp]>([
    ['a region listed twice', (s) => (s.gcp = { project: 'example-mcp-staging', regions: ['europe-west1', 'europe-west1'] }), /staging: gcp\.regions: must not list a region twice/],
    ['no region', (s) => (s.aws = { regions: [] }), /staging: aws\.regions: list at least one region/],
    ['region and regions both', (s) => (s.aws = { region: 'eu-west-1', regions: ['eu-west-1'] }), /staging: aws\.regions: set region or regions, not both and not neither/],
    ['neither region nor regions', (s) => (s.gcp = { project: 'example-mcp-staging' }), /staging: gcp\.regions: set region or regions, not both and not neither/],
    ['a bad region', (s) => (s.gcp = { project: 'example-mcp-staging', regions: ['europe-west1', 'mars'] }), /staging: gcp\.regions\.1: must be a GCP region/],
    [
      'one previous revision for several regions',
      (s) => Object.assign(s, { gcp: { project: 'example-mcp-staging', regions: ['europe-west1', 'us-central1'] }, canaryPercent: 10, previousRevision: 'mcp-bridge-staging-0123456789', lambdaStableVersion: 3 }),
      /staging: previousRevision: gcp has 2 regions: give one per region, as \{"europe-west1": …, "us-central1": …\}/,
    ],
    [
      'Lambda versions for other regions than the config\'s',
      (s) => Object.assign(s, { aws: { regions: ['eu-west-1', 'us-east-1'] }, canaryPercent: 10, previousRevision: 'mcp-bridge-staging-0123456789', lambdaStableVersion: { 'eu-west-1': 3 } }),
      /staging: lambdaStableVersion: must name exactly the aws regions \(eu-west-1, us-east-1\), got eu-west-1/,
    ],
  ])('refuses %s, naming the field', (_name, change, message) => {
    const config = exampleConfig();
    change(config.staging);
    expect(() => parseEnvironments(config)).toThrowError(message);
  });

  it('fails synth on a region whose name makes a derived name too long: a regional name past ACM\'s 64', () => {
    const domainName = `mcp.${'a'.repeat(38)}.example.com`;
    expect(() => stagingIn(1, 3, (s) => (s.domainName = domainName))).toThrowError(
      new RegExp(`staging: domainName: aws_acm_certificate\\.domain_name "ap-northeast-1\\.${domainName.replace(/\./g, '\\.')}" \\(69 characters\\) breaks the provider's rule: at most 64`),
    );
    expect(() => stagingIn(1, 1, (s) => (s.domainName = domainName))).not.toThrow();
  });

  it('splits a canary in every region with that region\'s previous revision and Lambda version', () => {
    const environment = stagingIn(2, 2, (s) =>
      Object.assign(s, {
        canaryPercent: 10,
        previousRevision: { 'europe-west1': 'mcp-bridge-staging-1111111111', 'us-central1': 'mcp-bridge-staging-2222222222' },
        lambdaStableVersion: { 'eu-west-1': 3, 'us-east-1': 7 },
      }),
    );
    const services = resources(environment.gcp, 'google_cloud_run_v2_service');
    expect(Object.fromEntries(services.map((service) => [service.location, service.traffic[0].revision]))).toEqual({
      'europe-west1': 'mcp-bridge-staging-1111111111',
      'us-central1': 'mcp-bridge-staging-2222222222',
    });
    for (const service of services) expect(service.traffic.map((target: any) => target.percent)).toEqual([90, 10]);
    expect(environment.awsRegions.map((stack) => only(stack, 'aws_lambda_alias').function_version)).toEqual(['3', '7']);
  });
});

describe('the example with three environments, two GCP regions and two AWS regions', () => {
  const config = JSON.parse(readFileSync('stacks/examples/global.json', 'utf8'));
  const environments = parseEnvironments(config);

  it('passes every config rule, with any names and a tier', () => {
    expect(environments.map((env) => [env.name, env.tier, env.gcp.regions.length, env.aws.regions.length])).toEqual([
      ['dev', 'non-production', 1, 1],
      ['staging', 'non-production', 2, 2],
      ['production', 'production', 2, 2],
    ]);
  });

  it.each(['dev', 'staging', 'production'])('%s synthesizes and passes every policy and provider limit', (name) => {
    const environment = synthEnvironment(name, environments.find((env) => env.name === name));
    expect(environment.awsRegions).toHaveLength(name === 'dev' ? 1 : 2);
  });
});

import { describe, expect, it } from 'vitest';
import { exampleEnvironments, only, resources, synthEnvironment } from '../support/synth.js';

const stacks = synthEnvironment('production');
const edge = stacks.edge;
const remote = (stack: string) => new RegExp(`data\\.terraform_remote_state\\.cross-stack-reference-input-production-${stack}\\.outputs\\.`);

describe('GIVEN the example config, WHEN the edge stack is synthesized', () => {
  it('THEN the health check probes the primary over HTTPS on its IP, with the failover name as Host and SNI', () => {
    expect(only(edge, 'aws_route53_health_check')).toMatchObject({
      type: 'HTTPS',
      port: 443,
      ip_address: expect.stringMatching(remote('gcp')),
      fqdn: 'mcp.example.com',
      enable_sni: true,
      resource_path: '/health',
      request_interval: 10,
      failure_threshold: 3,
      regions: ['us-east-1', 'eu-west-1', 'ap-southeast-1'],
      invert_healthcheck: false,
    });
  });

  it('THEN PRIMARY and SECONDARY A records share the name; the primary has a short TTL and the health check', () => {
    const records = resources(edge, 'aws_route53_record').filter((record) => record.failover_routing_policy);
    const primary = records.find((record) => record.failover_routing_policy.type === 'PRIMARY');
    const secondary = records.find((record) => record.failover_routing_policy.type === 'SECONDARY');
    expect(primary).toMatchObject({
      name: 'mcp.example.com',
      type: 'A',
      records: [expect.stringMatching(remote('gcp'))],
      health_check_id: expect.stringMatching(/aws_route53_health_check/),
    });
    expect(primary.ttl).toBeLessThanOrEqual(60);
    expect(secondary).toMatchObject({
      name: 'mcp.example.com',
      type: 'A',
      alias: {
        name: expect.stringMatching(remote('aws')),
        zone_id: expect.stringMatching(remote('aws')),
        evaluate_target_health: true,
      },
    });
    expect(primary.set_identifier).not.toBe(secondary.set_identifier);
  });

  it('THEN the Certificate Manager DNS-authorization CNAME comes from the gcp stack', () => {
    const cname = resources(edge, 'aws_route53_record').find((record) => !record.failover_routing_policy);
    expect(cname).toMatchObject({
      zone_id: 'Z0EXAMPLE00000000PRD',
      name: expect.stringMatching(remote('gcp')),
      type: expect.stringMatching(remote('gcp')),
      records: [expect.stringMatching(remote('gcp'))],
    });
  });

  it('THEN the HealthCheckStatus alarm and its topic live in us-east-1', () => {
    const usEast1 = edge.provider.aws!.find((provider) => provider.alias === 'us-east-1');
    expect(usEast1).toMatchObject({ region: 'us-east-1' });
    const alarm = only(edge, 'aws_cloudwatch_metric_alarm');
    expect(alarm).toMatchObject({
      namespace: 'AWS/Route53',
      metric_name: 'HealthCheckStatus',
      dimensions: { HealthCheckId: expect.stringMatching(/aws_route53_health_check/) },
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      provider: 'aws.us-east-1',
      alarm_actions: [expect.stringMatching(/aws_sns_topic/)],
    });
    expect(only(edge, 'aws_sns_topic').provider).toBe('aws.us-east-1');
    for (const subscription of resources(edge, 'aws_sns_topic_subscription')) expect(subscription.provider).toBe('aws.us-east-1');
  });

  it('THEN the other stacks export what the edge reads through cdktf cross-stack outputs, and what a deploy waits on', () => {
    const gcpOutputs = Object.keys(stacks.gcp.output ?? {});
    const awsOutputs = Object.keys(stacks.aws.output ?? {});
    expect(gcpOutputs.filter((name) => name.startsWith('cross-stack-output-'))).toHaveLength(4);
    expect(gcpOutputs.filter((name) => !name.startsWith('cross-stack-output-')).sort()).toEqual(['certificate-name', 'dashboard-url', 'revision']);
    // The API's domain (the SECONDARY target) and its id (the dashboard's 5xx chart).
    expect(awsOutputs).toHaveLength(3);
    expect(stacks.edge.output).toMatchObject({ 'primary-health-check-id': { value: expect.stringMatching(/^\$\{aws_route53_health_check\.[\w-]+\.id\}$/) } });
    expect(Object.keys(edge.data!.terraform_remote_state!).sort()).toEqual([
      'cross-stack-reference-input-production-aws',
      'cross-stack-reference-input-production-gcp',
    ]);
  });

  it('THEN neither cloud stack references the other, so each applies while the other cloud is down', () => {
    expect(stacks.gcp.data?.terraform_remote_state).toBeUndefined();
    expect(stacks.aws.data?.terraform_remote_state).toBeUndefined();
    expect(Object.keys(stacks.gcp.provider)).toEqual(['google']);
    expect(Object.keys(stacks.aws.provider)).toEqual(['aws']);
  });
});

describe('GIVEN failoverDrill is on, WHEN the edge stack is synthesized', () => {
  it('THEN the primary health check is inverted, so Route 53 answers with the secondary', () => {
    const production = exampleEnvironments().find((env) => env.name === 'production')!;
    const drill = synthEnvironment('production', { ...production, failoverDrill: true }).edge;
    expect(only(drill, 'aws_route53_health_check').invert_healthcheck).toBe(true);
  });
});

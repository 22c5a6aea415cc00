import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { synthEnvironment } from '../support/synth.js';

// The same invariants through cdktf's own matchers on `Testing.synth` output of a single stack.
const { stacks } = synthEnvironment('production');
const gcp = Testing.synth(stacks.gcp);
const aws = Testing.synth(stacks.aws);

describe("cdktf's matchers on single-stack synth", () => {
  it('finds the Cloud Run service with always-on CPU and deletion protection', () => {
    expect(
      Testing.toHaveResourceWithProperties(gcp, 'google_cloud_run_v2_service', {
        deletion_protection: true,
        ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
      }),
    ).toBe(true);
    expect(Testing.toHaveResource(gcp, 'google_compute_managed_ssl_certificate')).toBe(false);
  });

  it('finds the Lambda on arm64 Node 22', () => {
    expect(
      Testing.toHaveResourceWithProperties(aws, 'aws_lambda_function', { runtime: 'nodejs22.x', architectures: ['arm64'] }),
    ).toBe(true);
    expect(Testing.toHaveResourceWithProperties(aws, 'aws_lambda_function', { runtime: 'nodejs18.x' })).toBe(false);
  });

  it('finds the regional custom domain at TLS 1.2', () => {
    expect(
      Testing.toHaveResourceWithProperties(aws, 'aws_apigatewayv2_domain_name', {
        domain_name_configuration: { endpoint_type: 'REGIONAL', security_policy: 'TLS_1_2' },
      }),
    ).toBe(true);
  });
});

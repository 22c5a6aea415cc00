import { ApiGatewayDomainName } from '@cdktf/provider-aws/lib/api-gateway-domain-name/index.js';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service/index.js';
import { ComputeSslPolicy } from '@cdktf/provider-google/lib/compute-ssl-policy/index.js';
import { ComputeTargetHttpsProxy } from '@cdktf/provider-google/lib/compute-target-https-proxy/index.js';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { standardTags } from '../../stacks/naming.js';
import { PolicyAspect } from '../../stacks/policy/policy-aspect.js';
import { StandardTagsAspect } from '../../stacks/tagging.js';

/** Synthesizes a stack holding what `build` adds, with the standard tagging and policy aspects. */
function synthWith(build: (stack: TerraformStack) => void, options: { environment?: 'staging' | 'production'; tag?: boolean; deletionProtection?: boolean } = {}) {
  const { environment = 'staging', tag = true, deletionProtection } = options;
  const app = Testing.app();
  const stack = new TerraformStack(app, 'policy-test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new GoogleProvider(stack, 'google', { project: 'p-123456', region: 'europe-west1' });
  build(stack);
  if (tag) Aspects.of(stack).add(new StandardTagsAspect(standardTags(environment)));
  Aspects.of(stack).add(
    new PolicyAspect({ environment, production: environment === 'production', ...(deletionProtection === undefined ? {} : { deletionProtection }), requiredTags: Object.keys(standardTags(environment)) }),
  );
  return () => app.synth();
}

const service = (stack: TerraformStack, extra: Record<string, unknown> = {}, env: Array<{ name: string; value?: string }> = []) =>
  new CloudRunV2Service(stack, 'service', {
    name: 'svc',
    location: 'europe-west1',
    deletionProtection: false,
    template: { containers: [{ image: 'img', env }] },
    ...extra,
  });

describe('policy checks on the emitted Terraform', () => {
  it('pass a compliant stack', () => {
    expect(
      synthWith((stack) => {
        new CloudwatchLogGroup(stack, 'logs', { name: 'ok', retentionInDays: 30 });
        new DataAwsIamPolicyDocument(stack, 'doc', { statement: [{ actions: ['logs:PutLogEvents'], resources: ['arn:aws:logs:*:1:log-group:x'] }] });
      }),
    ).not.toThrow();
  });

  it('fail on a wildcard IAM action', () => {
    expect(
      synthWith((stack) => {
        new DataAwsIamPolicyDocument(stack, 'doc', { statement: [{ actions: ['s3:*'], resources: ['arn:aws:s3:::bucket'] }] });
      }),
    ).toThrow(/policy-test\/doc: IAM action "s3:\*" is a wildcard/);
  });

  it('fail on a write action on Resource "*", in a data document or an inline JSON policy', () => {
    expect(
      synthWith((stack) => {
        new DataAwsIamPolicyDocument(stack, 'doc', { statement: [{ actions: ['s3:PutObject'], resources: ['*'] }] });
      }),
    ).toThrow(/IAM action "s3:PutObject" on Resource "\*"/);
    expect(
      synthWith((stack) => {
        new IamPolicy(stack, 'policy', {
          name: 'p',
          policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:TerminateInstances', Resource: '*' }] }),
        });
      }),
    ).toThrow(/IAM action "ec2:TerminateInstances" on Resource "\*"/);
  });

  it('allow read-only actions on Resource "*"', () => {
    expect(
      synthWith((stack) => {
        new DataAwsIamPolicyDocument(stack, 'doc', { statement: [{ actions: ['ec2:DescribeInstances'], resources: ['*'] }] });
      }),
    ).not.toThrow();
  });

  it('fail on a secret as a plain environment value, on Lambda and on Cloud Run', () => {
    expect(
      synthWith((stack) => {
        new LambdaFunction(stack, 'fn', {
          functionName: 'f',
          role: 'arn:aws:iam::1:role/r',
          environment: { variables: { API_TOKEN: 'hunter2' } },
        });
      }),
    ).toThrow(/environment variable API_TOKEN holds a plain value/);
    expect(synthWith((stack) => void service(stack, {}, [{ name: 'DB_PASSWORD', value: 'hunter2' }]))).toThrow(
      /environment variable DB_PASSWORD holds a plain value; use value_source/,
    );
  });

  it('fail on a log group without retention', () => {
    expect(synthWith((stack) => void new CloudwatchLogGroup(stack, 'logs', { name: 'forever' }))).toThrow(
      /policy-test\/logs: log group without retention_in_days/,
    );
  });

  it('fail on a production Cloud Run service without deletion protection, but not in staging', () => {
    expect(synthWith((stack) => void service(stack), { environment: 'production' })).toThrow(
      /production Cloud Run service without deletion_protection/,
    );
    expect(synthWith((stack) => void service(stack), { environment: 'staging' })).not.toThrow();
  });

  it('pass a production Cloud Run service without deletion protection once the config turned it off (the step before npm run destroy)', () => {
    expect(synthWith((stack) => void service(stack), { environment: 'production', deletionProtection: false })).not.toThrow();
  });

  it('fail on TLS below 1.2', () => {
    expect(synthWith((stack) => void new ComputeSslPolicy(stack, 'tls', { name: 't', minTlsVersion: 'TLS_1_0' }))).toThrow(
      /min_tls_version TLS_1_0 is below TLS 1.2/,
    );
    expect(synthWith((stack) => void new ComputeTargetHttpsProxy(stack, 'proxy', { name: 'p', urlMap: 'm' }))).toThrow(
      /HTTPS proxy without an SSL policy/,
    );
    expect(
      synthWith((stack) => void new ApiGatewayDomainName(stack, 'domain', { domainName: 'a.example.com', securityPolicy: 'TLS_1_0' })),
    ).toThrow(/security_policy TLS_1_0 is below TLS 1.2/);
  });

  it('fail on a resource missing the standard tags, naming them', () => {
    expect(synthWith((stack) => void new CloudwatchLogGroup(stack, 'logs', { name: 'x', retentionInDays: 7 }), { tag: false })).toThrow(
      /policy-test\/logs: missing tags service, environment, managed-by/,
    );
  });

  it('list every violation at once', () => {
    expect(
      synthWith((stack) => {
        new CloudwatchLogGroup(stack, 'logs', { name: 'forever' });
        new ComputeSslPolicy(stack, 'tls', { name: 't', minTlsVersion: 'TLS_1_1' });
      }),
    ).toThrow(/log group without retention[\s\S]*TLS_1_1 is below TLS 1.2|TLS_1_1 is below TLS 1.2[\s\S]*log group without retention/);
  });
});

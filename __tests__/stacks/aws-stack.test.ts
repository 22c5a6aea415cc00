import { describe, expect, it } from 'vitest';
import { only, resources, synthEnvironment } from '../support/synth.js';

const staging = synthEnvironment('staging').aws;
const production = synthEnvironment('production').aws;

describe('GIVEN the example config, WHEN the aws stack is synthesized', () => {
  it('THEN the Lambda runs Node 22 on arm64 from the bundle asset, hashed, sized from config', () => {
    const fn = only(staging, 'aws_lambda_function');
    expect(fn).toMatchObject({
      function_name: 'mcp-bridge-staging',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      memory_size: 1024,
      timeout: 29,
      reserved_concurrent_executions: 20,
      filename: expect.stringMatching(/^assets\/bridge_bundle_[\w]+\/[A-F0-9]+\/lambda\.zip$/),
      source_code_hash: expect.stringMatching(/^\$\{filebase64sha256\("assets\/bridge_bundle_.*lambda\.zip"\)\}$/),
    });
    expect(only(production, 'aws_lambda_function').reserved_concurrent_executions).toBe(100);
  });

  it('THEN the function\'s audit lines are counted as ToolCalls by Server, Tool and Outcome', () => {
    const [filter] = resources(staging, 'aws_cloudwatch_log_metric_filter');
    expect(filter).toMatchObject({
      name: 'tool-calls',
      log_group_name: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.name\}$/),
      pattern: '{ ($.type = "audit") && ($.server = "*") }',
      metric_transformation: { namespace: 'MCPBridge/staging', name: 'ToolCalls', value: '1', unit: 'Count', dimensions: { Server: '$.server', Tool: '$.tool', Outcome: '$.outcome' } },
    });
  });

  it('THEN its log groups have retention (the function\'s, which holds the audit lines, the audit\'s) and the role may write only to its own', () => {
    expect(resources(staging, 'aws_cloudwatch_log_group').map((group) => [group.name, group.retention_in_days])).toEqual([
      ['/aws/lambda/mcp-bridge-staging', 400],
      ['/aws/apigateway/mcp-bridge-staging', 14],
    ]);
    const policy = Object.values(staging.data!.aws_iam_policy_document!).find((doc: any) =>
      doc.statement.some((statement: any) => statement.sid === 'WriteOwnLogs'),
    ) as any;
    for (const statement of policy.statement) {
      expect(statement.resources).not.toContain('*');
      for (const action of statement.actions) expect(action).not.toMatch(/\*/);
    }
    expect(policy.statement[0]).toEqual({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.bridge_logs_[\w]+\.arn\}:\*$/)],
    });
    expect(policy.statement[1]).toEqual({
      sid: 'ReadOwnSecrets',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [expect.stringMatching(/^\$\{data\.aws_secretsmanager_secret\./)],
    });
  });

  it('THEN the token digests are referenced from Secrets Manager, never set as a plain value', () => {
    const variables = only(staging, 'aws_lambda_function').environment.variables;
    expect(variables.MCP_TOKEN_SHA256).toBeUndefined();
    // Looked up by the name bootstrap gave it: the secret outlives any change of this stack.
    expect(variables.MCP_TOKEN_SHA256_SECRET_ARN).toMatch(/^\$\{data\.aws_secretsmanager_secret\.[\w-]+\.arn\}$/);
    expect(Object.values(staging.data!.aws_secretsmanager_secret!).map((secret: any) => secret.name)).toEqual(['mcp-bridge-staging/token-digests']);
    expect(staging.resource.aws_secretsmanager_secret).toBeUndefined();
    expect(variables).toMatchObject({ MCP_ALLOWED_HOSTS: 'mcp.staging.example.com', MCP_AUTH_MODE: 'token' });
    // Source maps would cost every cold start 10 to 25 ms; the zip carries none.
    expect(variables.NODE_OPTIONS).toBeUndefined();
  });

  it('THEN an HTTP API serves exactly /mcp and /health through a regional custom domain at TLS 1.2', () => {
    expect(only(staging, 'aws_apigatewayv2_api')).toMatchObject({ protocol_type: 'HTTP', disable_execute_api_endpoint: true });
    expect(resources(staging, 'aws_apigatewayv2_route').map((route) => route.route_key).sort()).toEqual(['ANY /mcp', 'GET /health']);
    expect(only(staging, 'aws_apigatewayv2_integration')).toMatchObject({
      integration_type: 'AWS_PROXY',
      payload_format_version: '2.0',
      integration_uri: expect.stringMatching(/aws_lambda_alias\.[\w-]+\.invoke_arn/),
    });
    expect(only(staging, 'aws_apigatewayv2_domain_name')).toMatchObject({
      domain_name: 'mcp.staging.example.com',
      domain_name_configuration: {
        endpoint_type: 'REGIONAL',
        security_policy: 'TLS_1_2',
        certificate_arn: expect.stringMatching(/aws_acm_certificate_validation/),
      },
    });
    const mapping = only(staging, 'aws_apigatewayv2_api_mapping');
    expect(mapping.api_mapping_key).toBeUndefined();
    expect(only(staging, 'aws_apigatewayv2_stage')).toMatchObject({ name: '$default', auto_deploy: true });
    expect(only(staging, 'aws_lambda_permission')).toMatchObject({
      principal: 'apigateway.amazonaws.com',
      source_arn: expect.stringMatching(/execution_arn\}\/\*\/\*$/),
    });
  });

  it('THEN the ACM certificate is validated by DNS records in the hosted zone', () => {
    expect(only(staging, 'aws_acm_certificate')).toMatchObject({ domain_name: 'mcp.staging.example.com', validation_method: 'DNS' });
    const record = only(staging, 'aws_route53_record');
    expect(record).toMatchObject({ zone_id: 'Z0EXAMPLE00000000STG', for_each: expect.stringContaining('domain_validation_options') });
    expect(only(staging, 'aws_acm_certificate_validation').validation_record_fqdns).toMatch(/aws_route53_record\..*fqdn/);
  });

  it('THEN CloudWatch alarms on Errors, Throttles, p99 Duration and API 5xx notify an SNS topic with the e-mails', () => {
    const alarms = resources(staging, 'aws_cloudwatch_metric_alarm');
    expect(alarms.map((alarm) => [alarm.namespace, alarm.metric_name]).sort()).toEqual([
      ['AWS/ApiGateway', '5xx'],
      ['AWS/Lambda', 'Duration'],
      ['AWS/Lambda', 'Errors'],
      ['AWS/Lambda', 'Throttles'],
    ]);
    expect(alarms.find((alarm) => alarm.metric_name === 'Duration')).toMatchObject({ extended_statistic: 'p99', threshold: 3000 });
    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\./)]);
    expect(resources(production, 'aws_sns_topic_subscription').map((sub) => [sub.protocol, sub.endpoint])).toEqual([
      ['email', 'platform-alerts@example.com'],
      ['email', 'oncall@example.com'],
    ]);
  });
});

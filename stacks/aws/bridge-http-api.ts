import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate/index.js';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation/index.js';
import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api/index.js';
import { Apigatewayv2ApiMapping } from '@cdktf/provider-aws/lib/apigatewayv2-api-mapping/index.js';
import { Apigatewayv2DomainName } from '@cdktf/provider-aws/lib/apigatewayv2-domain-name/index.js';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration/index.js';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route/index.js';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage/index.js';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { LambdaAlias } from '@cdktf/provider-aws/lib/lambda-alias/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';

/** The public routes, the same on both clouds. Anything else is API Gateway's 404. */
export const PUBLIC_ROUTES = ['ANY /mcp', 'GET /health'] as const;

/** Props of {@link BridgeHttpApi}. */
export interface BridgeHttpApiProps {
  /** Prefix of every resource name. */
  readonly name: string;
  /** The function alias every route invokes. */
  readonly alias: LambdaAlias;
  /** The custom domain: the failover name. */
  readonly domainName: string;
  /**
   * A second custom domain for this region alone (`<region>.<domainName>`), on the same
   * certificate, with its alias record: what a region's Route 53 health check probes when the
   * secondary spans several regions.
   * @default - none
   */
  readonly regionalDomainName?: string;
  /** The Route 53 hosted zone that validates the ACM certificate. */
  readonly hostedZoneId: string;
  /**
   * Whether this region writes the DNS validation record of the failover name's certificate. ACM
   * gives every region's certificate for one name the same record, so exactly one stack may own it
   * (the home region's): a further region's certificate validates on that record, and destroying a
   * further region's stack leaves it in place for the others' renewals.
   * @default true
   */
  readonly ownsFailoverNameValidation?: boolean;
  /**
   * Further MCP paths routed to the function (`ANY`): each configured server's `/servers/<name>/mcp`.
   * @default - none: `/mcp` and `/health` alone
   */
  readonly serverPaths?: readonly string[];
  /** Days CloudWatch keeps the access logs. */
  readonly logRetentionDays: number;
  /**
   * Steady-state request rate limit of the stage, per second.
   * @default 500
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst limit of the stage.
   * @default 1000
   */
  readonly throttlingBurstLimit?: number;
}

/**
 * An API Gateway HTTP API (payload 2.0) in front of the function's alias, reachable only
 * through a regional custom domain (TLS 1.2, ACM certificate validated in Route 53)
 * mapped at the root, so the public paths are exactly `/mcp`, `/health` and the servers' paths.
 */
export class BridgeHttpApi extends Construct {
  /** The API, for its metrics. */
  readonly api: Apigatewayv2Api;
  /** The stage, for its metrics. */
  readonly stage: Apigatewayv2Stage;
  /** The custom domain: its regional target is the SECONDARY failover record's alias. */
  readonly domain: Apigatewayv2DomainName;

  constructor(scope: Construct, id: string, props: BridgeHttpApiProps) {
    super(scope, id);

    this.api = new Apigatewayv2Api(this, 'api', {
      name: props.name,
      protocolType: 'HTTP',
      description: 'MCP bridge: POST /mcp and GET /health',
      disableExecuteApiEndpoint: true,
    });
    const integration = new Apigatewayv2Integration(this, 'integration', {
      apiId: this.api.id,
      integrationType: 'AWS_PROXY',
      integrationUri: props.alias.invokeArn,
      payloadFormatVersion: '2.0',
      timeoutMilliseconds: 30_000,
    });
    for (const routeKey of [...PUBLIC_ROUTES, ...(props.serverPaths ?? []).map((path) => `ANY ${path}`)]) {
      new Apigatewayv2Route(this, `route-${routeKey.replace(/\W+/g, '-').toLowerCase()}`, {
        apiId: this.api.id,
        routeKey,
        target: `integrations/${integration.id}`,
      });
    }

    const accessLogs = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${props.name}`,
      retentionInDays: props.logRetentionDays,
    });
    this.stage = new Apigatewayv2Stage(this, 'stage', {
      apiId: this.api.id,
      name: '$default',
      autoDeploy: true,
      defaultRouteSettings: {
        throttlingRateLimit: props.throttlingRateLimit ?? 500,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 1000,
      },
      accessLogSettings: {
        destinationArn: accessLogs.arn,
        format: JSON.stringify({
          requestId: '$context.requestId',
          routeKey: '$context.routeKey',
          status: '$context.status',
          latencyMs: '$context.responseLatency',
          integrationError: '$context.integrationErrorMessage',
        }),
      },
    });
    new LambdaPermission(this, 'invoke', {
      // A new function (the zip ↔ image switch) gets its permission before the old one loses its own.
      lifecycle: { createBeforeDestroy: true },
      statementId: 'AllowHttpApiInvoke',
      action: 'lambda:InvokeFunction',
      functionName: props.alias.functionName,
      qualifier: props.alias.name,
      principal: 'apigateway.amazonaws.com',
      sourceArn: `${this.api.executionArn}/*/*`,
    });

    const certificateArn = this.#validatedCertificate('certificate', props.domainName, props.hostedZoneId, props.ownsFailoverNameValidation ?? true);

    this.domain = new Apigatewayv2DomainName(this, 'domain', {
      domainName: props.domainName,
      domainNameConfiguration: {
        certificateArn,
        endpointType: 'REGIONAL',
        securityPolicy: 'TLS_1_2',
      },
    });
    new Apigatewayv2ApiMapping(this, 'mapping', {
      apiId: this.api.id,
      domainName: this.domain.id,
      stage: this.stage.id,
    });

    if (props.regionalDomainName !== undefined) {
      // A certificate of its own: adding a region must not replace the failover name's certificate.
      const regional = new Apigatewayv2DomainName(this, 'regional-domain', {
        domainName: props.regionalDomainName,
        domainNameConfiguration: {
          certificateArn: this.#validatedCertificate('regional-certificate', props.regionalDomainName, props.hostedZoneId),
          endpointType: 'REGIONAL',
          securityPolicy: 'TLS_1_2',
        },
      });
      new Apigatewayv2ApiMapping(this, 'regional-mapping', { apiId: this.api.id, domainName: regional.id, stage: this.stage.id });
      new Route53Record(this, 'regional-record', {
        zoneId: props.hostedZoneId,
        name: props.regionalDomainName,
        type: 'A',
        alias: {
          name: regional.domainNameConfiguration.targetDomainName,
          zoneId: regional.domainNameConfiguration.hostedZoneId,
          evaluateTargetHealth: false,
        },
      });
    }
  }

  /** An ACM certificate for one name, DNS-validated in the hosted zone; resolves to its ARN once issued. */
  #validatedCertificate(id: string, domainName: string, hostedZoneId: string, writesRecord = true): string {
    const certificate = new AcmCertificate(this, id, {
      domainName,
      validationMethod: 'DNS',
      lifecycle: { createBeforeDestroy: true },
    });
    if (!writesRecord) {
      // The record is the home region's; ACM issues this certificate once it is there (the home region deploys first).
      return new AcmCertificateValidation(this, `${id}-validation`, { certificateArn: certificate.arn }).certificateArn;
    }
    const validation = TerraformIterator.fromComplexList(certificate.domainValidationOptions, 'domain_name');
    const validationRecords = new Route53Record(this, `${id}-validation-record`, {
      forEach: validation,
      zoneId: hostedZoneId,
      name: validation.getString('resource_record_name'),
      type: validation.getString('resource_record_type'),
      records: [validation.getString('resource_record_value')],
      ttl: 300,
      allowOverwrite: true,
    });
    return new AcmCertificateValidation(this, `${id}-validation`, {
      certificateArn: certificate.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(validationRecords).pluckProperty('fqdn')),
    }).certificateArn;
  }
}

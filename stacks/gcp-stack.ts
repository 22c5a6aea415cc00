import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { bridgeEnvironment } from './bridge-environment.js';
import type { EnvironmentConfig } from './config.js';
import { CloudRunAlerts } from './gcp/alerts.js';
import { CloudRunBridge } from './gcp/cloud-run-service.js';
import { GlobalHttpsLoadBalancer } from './gcp/load-balancer.js';
import { resourceName } from './naming.js';
import { canaryOf } from './release.js';
import { forgetMovedResources } from './moved-to-bootstrap.js';
import { useRemoteState } from './remote-state.js';

/** Props of {@link GcpStack}. */
export interface GcpStackProps {
  /** The environment to build. */
  readonly env: EnvironmentConfig;
}

/**
 * `<env>-gcp`: the primary. Cloud Run service, its load balancer and certificate,
 * and its alerts. References nothing on AWS, so it plans and applies while AWS is down.
 */
export class GcpStack extends TerraformStack {
  /** The load balancer's IP: the PRIMARY failover record and the health check's target. */
  readonly loadBalancer: GlobalHttpsLoadBalancer;
  /** The Cloud Run service and what it runs as. */
  readonly bridge: CloudRunBridge;

  constructor(scope: Construct, id: string, props: GcpStackProps) {
    super(scope, id);
    const { env } = props;
    useRemoteState(this, env, 'gcp');
    forgetMovedResources(this, 'gcp');
    new GoogleProvider(this, 'google', { project: env.gcp.project, region: env.gcp.region });

    const name = resourceName(env.name);
    const canary = canaryOf(env);
    this.bridge = new CloudRunBridge(this, 'bridge', {
      name,
      project: env.gcp.project,
      region: env.gcp.region,
      image: env.image,
      ...env.cloudRun,
      deletionProtection: env.deletionProtection,
      bridgeEnvironment: bridgeEnvironment(env, { region: env.gcp.region }),
      ...(canary === undefined ? {} : { canary }),
    });
    this.loadBalancer = new GlobalHttpsLoadBalancer(this, 'load-balancer', {
      name,
      project: env.gcp.project,
      service: this.bridge.service,
      domainName: env.domainName,
    });
    // What `npm run deploy` waits on, and what a canary names as its previous revision.
    new TerraformOutput(this, 'certificate-name', { value: this.loadBalancer.certificateName });
    new TerraformOutput(this, 'revision', { value: this.bridge.revision });
    new CloudRunAlerts(this, 'alerts', {
      project: env.gcp.project,
      service: this.bridge.service,
      maxInstances: env.cloudRun.maxInstances,
      emails: env.alerts.emails,
      latencyP99Ms: env.alerts.latencyP99Ms,
    });
  }
}

import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { Fn, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { bridgeEnvironment, serverPaths } from './bridge-environment.js';
import type { EnvironmentConfig } from './config.js';
import { CloudRunAlerts } from './gcp/alerts.js';
import { CloudRunDashboard } from './gcp/dashboard.js';
import { ToolCallMetric } from './gcp/tool-call-metric.js';
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
 * `<env>-gcp`: the primary. A Cloud Run service per region, the one global load balancer in front
 * of them all (a serverless NEG per region) and its certificate, and per-region alerts.
 * References nothing on AWS, so it plans and applies while AWS is down.
 */
export class GcpStack extends TerraformStack {
  /** The load balancer's IP: the PRIMARY failover record and the health check's target. */
  readonly loadBalancer: GlobalHttpsLoadBalancer;
  /** The home region's Cloud Run service and what it runs as. */
  readonly bridge: CloudRunBridge;
  /** Every region's Cloud Run service, the home region first. */
  readonly bridges: readonly CloudRunBridge[];

  constructor(scope: Construct, id: string, props: GcpStackProps) {
    super(scope, id);
    const { env } = props;
    useRemoteState(this, env, 'gcp');
    forgetMovedResources(this, 'gcp');
    new GoogleProvider(this, 'google', { project: env.gcp.project, region: env.gcp.region });

    const name = resourceName(env.name);
    // The home region keeps the construct ids of a single-region setup: adding a region adds
    // resources and changes none of the home region's addresses. The others run as its identity.
    const scoped = (id: string, region: string) => (region === env.gcp.region ? id : `${id}-${region}`);
    const bridges: CloudRunBridge[] = [];
    for (const region of env.gcp.regions) {
      const canary = canaryOf(env, { gcp: region, aws: env.aws.region });
      bridges.push(
        new CloudRunBridge(this, scoped('bridge', region), {
          name,
          project: env.gcp.project,
          region,
          image: env.image,
          ...env.cloudRun,
          deletionProtection: env.deletionProtection,
          bridgeEnvironment: bridgeEnvironment(env, { region }),
          ...(canary === undefined ? {} : { canary }),
          ...(bridges[0] === undefined ? {} : { serviceAccount: bridges[0].serviceAccount }),
        }),
      );
    }
    this.bridges = bridges;
    this.bridge = bridges[0]!;
    this.loadBalancer = new GlobalHttpsLoadBalancer(this, 'load-balancer', {
      name,
      project: env.gcp.project,
      services: bridges.map((bridge) => bridge.service),
      domainName: env.domainName,
      serverPaths: serverPaths(env),
    });
    // What `npm run deploy` waits on, and what a canary names as its previous revision (per region).
    new TerraformOutput(this, 'certificate-name', { value: this.loadBalancer.certificateName });
    const toolCalls = new ToolCallMetric(this, 'tool-calls', { project: env.gcp.project, serviceName: name });
    const dashboard = new CloudRunDashboard(this, 'dashboard', { project: env.gcp.project, serviceName: name, regions: env.gcp.regions, toolCalls }).dashboard;
    // The id is projects/<number>/dashboards/<id>: the console addresses it by the last part.
    new TerraformOutput(this, 'dashboard-url', {
      value: `https://console.cloud.google.com/monitoring/dashboards/builder/${Fn.element(Fn.split('/', dashboard.id), 3)}?project=${env.gcp.project}`,
    });
    let channels: readonly string[] | undefined;
    for (const [index, bridge] of bridges.entries()) {
      const region = env.gcp.regions[index]!;
      new TerraformOutput(this, scoped('revision', region), { value: bridge.revision });
      channels = new CloudRunAlerts(this, scoped('alerts', region), {
        project: env.gcp.project,
        service: bridge.service,
        region,
        maxInstances: env.cloudRun.maxInstances,
        emails: env.alerts.emails,
        latencyP99Ms: env.alerts.latencyP99Ms,
        ...(channels === undefined ? {} : { notificationChannels: channels }),
      }).notificationChannels;
    }
  }
}

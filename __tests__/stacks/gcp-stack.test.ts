import { describe, expect, it } from 'vitest';
import { CLOUD_RUN_ROLES } from '../../stacks/gcp/cloud-run-service.js';
import { only, resources, synthEnvironment } from '../support/synth.js';

const stagingEnvironment = synthEnvironment('staging');
const staging = stagingEnvironment.gcp;
const production = synthEnvironment('production').gcp;

describe('GIVEN the example config, WHEN the gcp stack is synthesized', () => {
  it('THEN its image repository is bootstrap\'s (Docker, the service region), and the stack forgets the one it held before', () => {
    expect(staging.resource.google_artifact_registry_repository).toBeUndefined();
    expect((staging as any).removed).toEqual(
      expect.arrayContaining([{ from: expect.stringMatching(/^google_artifact_registry_repository\./), lifecycle: { destroy: false } }]),
    );
    expect(only(stagingEnvironment.bootstrapGcp, 'google_artifact_registry_repository')).toMatchObject({
      format: 'DOCKER',
      location: 'europe-west1',
      repository_id: 'mcp-bridge-staging',
    });
  });

  it('THEN the service runs as a dedicated service account with only logging, metrics and trace roles', () => {
    only(staging, 'google_service_account');
    const roles = resources(staging, 'google_project_iam_member').map((member) => member.role);
    expect(roles.sort()).toEqual([...CLOUD_RUN_ROLES].sort());
    for (const member of resources(staging, 'google_project_iam_member')) {
      expect(member.member).toMatch(/^serviceAccount:\$\{google_service_account\./);
    }
    const service = only(staging, 'google_cloud_run_v2_service');
    expect(service.template.service_account).toMatch(/^\$\{google_service_account\.[\w-]+\.email\}$/);
  });

  it('THEN Cloud Run v2 runs the image by digest with sizing and scaling from config', () => {
    const service = only(staging, 'google_cloud_run_v2_service');
    const container = service.template.containers[0];
    expect(container.image).toMatch(/^europe-west1-docker\.pkg\.dev\/.+@sha256:[a-f0-9]{64}$/);
    expect(container.resources).toEqual({ limits: { cpu: '1', memory: '512Mi' }, cpu_idle: false, startup_cpu_boost: true });
    expect(service.template.scaling).toEqual({ min_instance_count: 0, max_instance_count: 5 });
    expect(service.template.max_instance_request_concurrency).toBe(80);
    expect(service.template.timeout).toBe('60s');
    expect(container.ports).toEqual({ container_port: 8080 });
  });

  it('THEN startup and liveness probes hit /health', () => {
    const container = only(staging, 'google_cloud_run_v2_service').template.containers[0];
    expect(container.startup_probe.http_get.path).toBe('/health');
    expect(container.liveness_probe.http_get.path).toBe('/health');
  });

  it('THEN ingress is limited to internal traffic and the load balancer', () => {
    expect(only(staging, 'google_cloud_run_v2_service').ingress).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
  });

  it('THEN deletion protection is on in production and off in staging', () => {
    expect(only(production, 'google_cloud_run_v2_service').deletion_protection).toBe(true);
    expect(only(staging, 'google_cloud_run_v2_service').deletion_protection).toBe(false);
  });

  it('THEN invokers come from config', () => {
    expect(only(staging, 'google_cloud_run_v2_service_iam_member')).toMatchObject({ role: 'roles/run.invoker', member: 'allUsers' });
  });

  it('THEN the token digests come from Secret Manager, never a plain value, readable only by the service account', () => {
    const container = only(staging, 'google_cloud_run_v2_service').template.containers[0];
    const tokenEnv = container.env.find((entry: any) => entry.name === 'MCP_TOKEN_SHA256');
    expect(tokenEnv.value).toBeUndefined();
    // The container is bootstrap's: the secret outlives any change of this stack.
    expect(tokenEnv.value_source.secret_key_ref).toEqual({ secret: 'mcp-bridge-staging-token-sha256', version: 'latest' });
    expect(only(stagingEnvironment.bootstrapGcp, 'google_secret_manager_secret').secret_id).toBe('mcp-bridge-staging-token-sha256');
    expect(staging.resource.google_secret_manager_secret).toBeUndefined();
    expect(only(staging, 'google_secret_manager_secret_iam_member')).toMatchObject({
      role: 'roles/secretmanager.secretAccessor',
      member: expect.stringMatching(/^serviceAccount:/),
    });
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'MCP_ALLOWED_HOSTS', value: 'mcp.staging.example.com' },
        { name: 'MCP_REGION', value: 'europe-west1' },
        { name: 'MCP_AUTH_MODE', value: 'token' },
      ]),
    );
  });

  it('THEN a global external ALB fronts the service through a serverless NEG in its region', () => {
    only(staging, 'google_compute_global_address');
    expect(only(staging, 'google_compute_region_network_endpoint_group')).toMatchObject({
      name: 'mcp-bridge-staging-europe-west1-neg',
      network_endpoint_type: 'SERVERLESS',
      region: only(staging, 'google_cloud_run_v2_service').location,
      cloud_run: { service: expect.stringMatching(/google_cloud_run_v2_service\.[\w-]+\.name/) },
      // Replaced (another region) without a gap: Compute refuses to delete a NEG a backend still uses.
      lifecycle: { create_before_destroy: true },
    });
    expect(only(staging, 'google_compute_backend_service')).toMatchObject({
      load_balancing_scheme: 'EXTERNAL_MANAGED',
      protocol: 'HTTPS',
      backend: [{ group: expect.stringMatching(/google_compute_region_network_endpoint_group/) }],
    });
    const rules = resources(staging, 'google_compute_global_forwarding_rule');
    expect(rules.map((rule) => rule.port_range).sort()).toEqual(['443', '80']);
    for (const rule of rules) expect(rule.load_balancing_scheme).toBe('EXTERNAL_MANAGED');
  });

  it('THEN HTTPS uses a Certificate Manager certificate with DNS authorization, at TLS 1.2 or later', () => {
    expect(staging.resource.google_compute_managed_ssl_certificate).toBeUndefined();
    expect(only(staging, 'google_certificate_manager_dns_authorization').domain).toBe('mcp.staging.example.com');
    expect(only(staging, 'google_certificate_manager_certificate').managed).toEqual({
      domains: ['mcp.staging.example.com'],
      dns_authorizations: [expect.stringMatching(/google_certificate_manager_dns_authorization/)],
    });
    expect(only(staging, 'google_certificate_manager_certificate_map_entry').hostname).toBe('mcp.staging.example.com');
    expect(only(staging, 'google_compute_ssl_policy')).toMatchObject({ min_tls_version: 'TLS_1_2', profile: 'MODERN' });
    expect(only(staging, 'google_compute_target_https_proxy')).toMatchObject({
      certificate_map: expect.stringMatching(/^\/\/certificatemanager\.googleapis\.com\/\$\{google_certificate_manager_certificate_map\./),
      ssl_policy: expect.stringMatching(/google_compute_ssl_policy/),
    });
  });

  it('THEN only /mcp and /health reach the app; any other path is rewritten to a 404 path', () => {
    const urlMap = resources(staging, 'google_compute_url_map').find((map) => map.path_matcher)!;
    const matcher = urlMap.path_matcher[0];
    expect(matcher.path_rule.map((rule: any) => rule.paths)).toEqual([['/mcp'], ['/health']]);
    expect(matcher.default_route_action.url_rewrite.path_prefix_rewrite).toBe('/not-routed/');
    expect(urlMap.host_rule).toEqual([{ hosts: ['*'], path_matcher: matcher.name }]);
  });

  it('THEN plain HTTP redirects to HTTPS', () => {
    const redirect = resources(staging, 'google_compute_url_map').find((map) => map.default_url_redirect);
    expect(redirect.default_url_redirect).toMatchObject({ https_redirect: true });
    expect(only(staging, 'google_compute_target_http_proxy').url_map).toMatch(/google_compute_url_map/);
  });

  it('THEN it alerts on the 5xx ratio with numerator and denominator over request_count', () => {
    const policies = resources(staging, 'google_monitoring_alert_policy');
    const ratio = policies.find((policy) => policy.display_name.includes('5xx'))!.conditions[0].condition_threshold;
    expect(ratio).toMatchObject({
      filter: expect.stringMatching(/run\.googleapis\.com\/request_count.*response_code_class = "5xx"/),
      denominator_filter: expect.stringMatching(/run\.googleapis\.com\/request_count/),
      comparison: 'COMPARISON_GT',
      threshold_value: 0.05,
      duration: '300s',
      aggregations: [{ alignment_period: '60s', per_series_aligner: 'ALIGN_RATE', cross_series_reducer: 'REDUCE_SUM' }],
      denominator_aggregations: [{ alignment_period: '60s', per_series_aligner: 'ALIGN_RATE', cross_series_reducer: 'REDUCE_SUM' }],
    });
    expect(ratio.denominator_filter).not.toMatch(/5xx/);
  });

  it('THEN it alerts on p99 latency and on instances near the maximum, all to the e-mail channel', () => {
    const policies = resources(staging, 'google_monitoring_alert_policy');
    const latency = policies.find((policy) => policy.display_name.includes('p99'))!.conditions[0].condition_threshold;
    expect(latency).toMatchObject({
      filter: expect.stringMatching(/run\.googleapis\.com\/request_latencies/),
      aggregations: [expect.objectContaining({ per_series_aligner: 'ALIGN_PERCENTILE_99' })],
      threshold_value: 3000,
    });
    const instances = policies.find((policy) => policy.display_name.includes('instances'))!.conditions[0].condition_threshold;
    expect(instances).toMatchObject({ filter: expect.stringMatching(/container\/instance_count/), threshold_value: 4 });
    const channel = only(staging, 'google_monitoring_notification_channel');
    expect(channel.type).toBe('email');
    expect(channel.labels).toEqual({ email_address: 'platform-alerts@example.com' });
    for (const policy of policies) expect(policy.notification_channels).toHaveLength(1);
    expect(resources(production, 'google_monitoring_notification_channel')).toHaveLength(2);
  });
});

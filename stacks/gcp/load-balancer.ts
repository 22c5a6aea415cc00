import { CertificateManagerCertificate } from '@cdktf/provider-google/lib/certificate-manager-certificate/index.js';
import { CertificateManagerCertificateMap } from '@cdktf/provider-google/lib/certificate-manager-certificate-map/index.js';
import { CertificateManagerCertificateMapEntry } from '@cdktf/provider-google/lib/certificate-manager-certificate-map-entry/index.js';
import { CertificateManagerDnsAuthorization } from '@cdktf/provider-google/lib/certificate-manager-dns-authorization/index.js';
import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service/index.js';
import { ComputeBackendService } from '@cdktf/provider-google/lib/compute-backend-service/index.js';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address/index.js';
import { ComputeGlobalForwardingRule } from '@cdktf/provider-google/lib/compute-global-forwarding-rule/index.js';
import { ComputeRegionNetworkEndpointGroup } from '@cdktf/provider-google/lib/compute-region-network-endpoint-group/index.js';
import { ComputeSslPolicy } from '@cdktf/provider-google/lib/compute-ssl-policy/index.js';
import { ComputeTargetHttpProxy } from '@cdktf/provider-google/lib/compute-target-http-proxy/index.js';
import { ComputeTargetHttpsProxy } from '@cdktf/provider-google/lib/compute-target-https-proxy/index.js';
import { ComputeUrlMap } from '@cdktf/provider-google/lib/compute-url-map/index.js';
import { Construct } from 'constructs';

/** The paths the load balancer passes to the app unchanged. */
export const PUBLIC_PATHS = ['/mcp', '/health'] as const;

/** Where every other path is rewritten to: a path the app answers with 404. */
export const NOT_ROUTED_PATH = '/not-routed/';

/** Props of {@link GlobalHttpsLoadBalancer}. */
export interface GlobalHttpsLoadBalancerProps {
  /** Prefix of every resource name. */
  readonly name: string;
  /** The GCP project. */
  readonly project: string;
  /**
   * The Cloud Run services behind the load balancer, one per region, the home region first: each
   * gets a serverless NEG in its region (named after it), all backends of the one backend service,
   * so the anycast address sends each client to the nearest healthy region.
   */
  readonly services: readonly CloudRunV2Service[];
  /** The hostname the certificate covers: the failover name. */
  readonly domainName: string;
  /**
   * Further paths passed to the app unchanged: each configured server's `/servers/<name>/mcp`.
   * @default - none: `/mcp` and `/health` alone
   */
  readonly serverPaths?: readonly string[];
}

/**
 * A global external Application Load Balancer in front of a Cloud Run service:
 * a static global IP, a serverless NEG, HTTPS with a Certificate Manager certificate
 * (DNS-authorized, so it renews while DNS points at the other cloud), TLS 1.2 or
 * later, and HTTP redirected to HTTPS.
 */
export class GlobalHttpsLoadBalancer extends Construct {
  /** The load balancer's global IPv4 address: the PRIMARY failover record's value. */
  readonly address: ComputeGlobalAddress;
  /**
   * The DNS authorization whose CNAME (`dnsResourceRecord`) must exist in Route 53
   * before the certificate can be issued; the edge stack creates it.
   */
  readonly dnsAuthorization: CertificateManagerDnsAuthorization;
  /** The Certificate Manager certificate's name (its state is what a deploy waits on). */
  readonly certificateName: string;

  constructor(scope: Construct, id: string, props: GlobalHttpsLoadBalancerProps) {
    super(scope, id);
    const { project, name } = props;

    this.address = new ComputeGlobalAddress(this, 'address', { project, name: `${name}-ip`, ipVersion: 'IPV4' });

    // Every argument of a NEG is ForceNew, and Compute refuses to delete a NEG a backend service
    // still uses (terraform-provider-google #7503, #20206). So a replacement (the service moving to
    // another region) creates the new NEG first, moves the backend to it, then deletes the old one;
    // the region in the name keeps the two names apart (NEG names are unique per project and region).
    // The home region's NEG keeps the id it had when there was one region, so adding a region
    // changes nothing of it.
    const negs = props.services.map((service, index) => {
      const region = service.locationInput!;
      return new ComputeRegionNetworkEndpointGroup(this, index === 0 ? 'neg' : `neg-${region}`, {
        project,
        name: `${name}-${region}-neg`,
        region,
        networkEndpointType: 'SERVERLESS',
        cloudRun: { service: service.name },
        lifecycle: { createBeforeDestroy: true },
      });
    });

    const backend = new ComputeBackendService(this, 'backend', {
      project,
      name: `${name}-backend`,
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      protocol: 'HTTPS',
      backend: negs.map((neg) => ({ group: neg.id })),
      logConfig: { enable: true, sampleRate: 1 },
    });

    // Only the public paths reach the app as sent; any other path is rewritten to one the app
    // does not serve (404), so the public surface is exactly /mcp, /health and the servers' paths, as on AWS.
    const urlMap = new ComputeUrlMap(this, 'url-map', {
      project,
      name: `${name}-https`,
      defaultService: backend.id,
      hostRule: [{ hosts: ['*'], pathMatcher: 'public-paths' }],
      pathMatcher: [
        {
          name: 'public-paths',
          defaultService: backend.id,
          defaultRouteAction: { urlRewrite: { pathPrefixRewrite: NOT_ROUTED_PATH } },
          pathRule: [...PUBLIC_PATHS, ...(props.serverPaths ?? [])].map((path) => ({ paths: [path], service: backend.id })),
        },
      ],
    });

    this.dnsAuthorization = new CertificateManagerDnsAuthorization(this, 'dns-authorization', {
      project,
      name: `${name}-dns-auth`,
      domain: props.domainName,
    });
    const certificate = new CertificateManagerCertificate(this, 'certificate', {
      project,
      name: `${name}-cert`,
      scope: 'DEFAULT',
      managed: { domains: [props.domainName], dnsAuthorizations: [this.dnsAuthorization.id] },
    });
    this.certificateName = certificate.name;
    const certificateMap = new CertificateManagerCertificateMap(this, 'certificate-map', { project, name: `${name}-certs` });
    new CertificateManagerCertificateMapEntry(this, 'certificate-map-entry', {
      project,
      name: `${name}-cert-entry`,
      map: certificateMap.name,
      hostname: props.domainName,
      certificates: [certificate.id],
    });

    const sslPolicy = new ComputeSslPolicy(this, 'ssl-policy', {
      project,
      name: `${name}-tls12`,
      profile: 'MODERN',
      minTlsVersion: 'TLS_1_2',
    });
    const httpsProxy = new ComputeTargetHttpsProxy(this, 'https-proxy', {
      project,
      name: `${name}-https`,
      urlMap: urlMap.id,
      certificateMap: `//certificatemanager.googleapis.com/${certificateMap.id}`,
      sslPolicy: sslPolicy.id,
    });

    const redirectMap = new ComputeUrlMap(this, 'http-redirect', {
      project,
      name: `${name}-http-redirect`,
      defaultUrlRedirect: { httpsRedirect: true, stripQuery: false, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT' },
    });
    const httpProxy = new ComputeTargetHttpProxy(this, 'http-proxy', { project, name: `${name}-http`, urlMap: redirectMap.id });

    for (const [scheme, port, proxy] of [['https', '443', httpsProxy], ['http', '80', httpProxy]] as const) {
      new ComputeGlobalForwardingRule(this, `${scheme}-rule`, {
        project,
        name: `${name}-${scheme}`,
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        ipAddress: this.address.id,
        portRange: port,
        target: proxy.id,
      });
    }
  }
}

import type { HealthCheckObservation } from '@aws-sdk/client-route-53';

/** One Route 53 checker region's latest report on a health check. */
export interface CheckerObservation {
  /** The checker's region (`us-east-1`, `eu-west-1`, …). */
  readonly region: string;
  /** Whether it saw the endpoint healthy. */
  readonly healthy: boolean;
  /** Its status as Route 53 words it (`Success: HTTP Status Code 200, OK`, `Failure: …`). */
  readonly status: string;
}

/**
 * The checkers' reports in a GetHealthCheckStatus answer: the SDK's, or the same JSON as
 * `aws route53 get-health-check-status --output json` prints it. A checker is healthy when its
 * status starts with `Success` (`Success: HTTP Status Code 200, OK`; failures read `Failure: …`).
 * Deploy, status and game day all read the checkers through this, so they agree on what healthy is.
 */
export function checkerObservations(answer: { readonly HealthCheckObservations?: readonly HealthCheckObservation[] | undefined }): CheckerObservation[] {
  return (answer.HealthCheckObservations ?? []).map((observation) => {
    const status = observation.StatusReport?.Status ?? 'unknown';
    return { region: observation.Region ?? 'unknown', healthy: status.startsWith('Success'), status };
  });
}

/**
 * Whether Route 53 considers an endpoint healthy from its checkers' reports: "If more than 18% of
 * health checkers report that an endpoint is healthy, Route 53 considers it healthy. If 18% of health
 * checkers or fewer report that an endpoint is healthy, Route 53 considers it unhealthy."
 * (docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html)
 */
export function routeConsidersHealthy(healthy: number, total: number): boolean {
  return total > 0 && healthy / total > 0.18;
}

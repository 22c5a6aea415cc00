import { describe, expect, it } from 'vitest';
import { checkerObservations } from '../../ops/clouds/health-checkers.js';

describe('checkerObservations', () => {
  it('reads the JSON the aws CLI prints for get-health-check-status: healthy when the status starts with Success', () => {
    const printed = `{
    "HealthCheckObservations": [
        { "Region": "us-east-1", "IPAddress": "15.177.2.1", "StatusReport": { "Status": "Success: HTTP Status Code 200, OK", "CheckedTime": "2026-12-02T08:00:00.000Z" } },
        { "Region": "eu-west-1", "IPAddress": "15.177.62.1", "StatusReport": { "Status": "Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall.", "CheckedTime": "2026-12-02T08:00:01.000Z" } }
    ]
}`;
    expect(checkerObservations(JSON.parse(printed))).toEqual([
      { region: 'us-east-1', healthy: true, status: 'Success: HTTP Status Code 200, OK' },
      { region: 'eu-west-1', healthy: false, status: expect.stringMatching(/^Failure: Connection timed out/) },
    ]);
  });

  it('counts a checker without a status as unhealthy, and an answer without observations as none', () => {
    expect(checkerObservations({ HealthCheckObservations: [{ Region: 'sa-east-1' }, {}] })).toEqual([
      { region: 'sa-east-1', healthy: false, status: 'unknown' },
      { region: 'unknown', healthy: false, status: 'unknown' },
    ]);
    expect(checkerObservations({})).toEqual([]);
  });
});

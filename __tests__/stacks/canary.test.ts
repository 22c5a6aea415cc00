import { describe, expect, it } from 'vitest';
import { parseEnvironments } from '../../stacks/config.js';
import { exampleConfig, only, synthEnvironment } from '../support/synth.js';

const NEW_IMAGE = `europe-west1-docker.pkg.dev/example-mcp-staging/mcp-bridge-staging/bridge@sha256:${'b'.repeat(64)}`;
/** The revision serving before the release, as an operator records it in config. */
const OLD_REVISION = 'mcp-bridge-staging-0123456789';

/** The staging stacks for a release at the given canary percent. */
function releaseAt(canaryPercent: number) {
  const config = exampleConfig();
  Object.assign(config.staging, { image: NEW_IMAGE, previousRevision: OLD_REVISION, lambdaStableVersion: 7, canaryPercent });
  const staging = parseEnvironments(config).find((env) => env.name === 'staging')!;
  return synthEnvironment('staging', staging);
}

/** The revision the new release's template creates. */
function newRevision(gcp: ReturnType<typeof releaseAt>['gcp']): string {
  const revision = only(gcp, 'google_cloud_run_v2_service').template.revision as string;
  expect(revision).toMatch(/^mcp-bridge-staging-[0-9a-f]{10}$/);
  return revision;
}

describe('canary releases', () => {
  describe('GIVEN canaryPercent 0 (rolled back, or a dark launch)', () => {
    const { gcp, aws } = releaseAt(0);

    it('THEN Cloud Run keeps all traffic on the previous revision and tags the new one', () => {
      expect(only(gcp, 'google_cloud_run_v2_service').traffic).toEqual([
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: OLD_REVISION, percent: 100 },
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: newRevision(gcp), percent: 0, tag: 'canary' },
      ]);
    });

    it('THEN the Lambda alias stays on the stable version with no weighted routing', () => {
      const alias = only(aws, 'aws_lambda_alias');
      expect(alias).toMatchObject({ name: 'live', function_version: '7' });
      expect(alias.routing_config).toBeUndefined();
      expect(only(aws, 'aws_lambda_function').publish).toBe(true);
    });
  });

  describe('GIVEN canaryPercent 10', () => {
    const { gcp, aws } = releaseAt(10);

    it('THEN Cloud Run splits 90/10 between the previous and the new revision', () => {
      expect(only(gcp, 'google_cloud_run_v2_service').traffic).toEqual([
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: OLD_REVISION, percent: 90 },
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: newRevision(gcp), percent: 10, tag: 'canary' },
      ]);
    });

    it('THEN the Lambda alias sends 10% to the newly published version', () => {
      const alias = only(aws, 'aws_lambda_alias');
      expect(alias.function_version).toBe('7');
      expect(alias.routing_config.additional_version_weights).toMatch(
        /^\$\{zipmap\(\[aws_lambda_function\.[\w-]+\.version\], \[0\.1\]\)\}$/,
      );
    });

    it('THEN API Gateway invokes the alias, never the unqualified function', () => {
      expect(only(aws, 'aws_apigatewayv2_integration').integration_uri).toMatch(/aws_lambda_alias\.[\w-]+\.invoke_arn/);
      expect(only(aws, 'aws_lambda_permission').qualifier).toMatch(/aws_lambda_alias\.[\w-]+\.name/);
    });
  });

  describe('GIVEN canaryPercent 100 (promoted)', () => {
    const { gcp, aws } = releaseAt(100);

    it('THEN Cloud Run sends all traffic to the latest revision', () => {
      expect(only(gcp, 'google_cloud_run_v2_service').traffic).toEqual([
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 },
      ]);
    });

    it('THEN the Lambda alias points at the newly published version', () => {
      const alias = only(aws, 'aws_lambda_alias');
      expect(alias.function_version).toMatch(/^\$\{aws_lambda_function\.[\w-]+\.version\}$/);
      expect(alias.routing_config).toBeUndefined();
    });
  });

  it('refuses a canary without the previous revision or Lambda version, naming the field', () => {
    const config = exampleConfig();
    config.staging.canaryPercent = 10;
    expect(() => parseEnvironments(config)).toThrowError(
      /staging: previousRevision: a canary[\s\S]*staging: lambdaStableVersion: a canary/,
    );
  });

  it('refuses, at synth, a previous revision that is the one this config creates', () => {
    const current = newRevision(releaseAt(100).gcp);
    const config = exampleConfig();
    Object.assign(config.staging, { image: NEW_IMAGE, previousRevision: current, lambdaStableVersion: 7, canaryPercent: 10 });
    const staging = parseEnvironments(config).find((env) => env.name === 'staging')!;
    expect(() => synthEnvironment('staging', staging)).toThrowError(/previousRevision: "mcp-bridge-staging-[0-9a-f]{10}" is the revision this config creates/);
  });

  it('refuses, at synth, a previous revision of another service, naming the field', () => {
    const config = exampleConfig();
    Object.assign(config.staging, { previousRevision: 'mcp-bridge-production-0123456789', lambdaStableVersion: 7, canaryPercent: 10 });
    const staging = parseEnvironments(config).find((env) => env.name === 'staging')!;
    expect(() => synthEnvironment('staging', staging)).toThrowError(
      /staging: previousRevision \/ the environment name: google_cloud_run_v2_service\.traffic\.revision "mcp-bridge-production-0123456789"/,
    );
  });

  it('refuses the retired previousImage field by name', () => {
    const config = exampleConfig();
    config.staging.previousImage = NEW_IMAGE;
    expect(() => parseEnvironments(config)).toThrowError(/staging: \(root\): Unrecognized key: "previousImage"/);
  });
});

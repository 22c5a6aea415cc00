import { describe, expect, it } from 'vitest';
import { parseEnvironments } from '../../stacks/config.js';
import { revisionName } from '../../stacks/gcp/cloud-run-service.js';
import { exampleConfig, only, synthEnvironment } from '../support/synth.js';

const NEW_IMAGE = `europe-west1-docker.pkg.dev/example-mcp-staging/mcp-bridge-staging/bridge@sha256:${'b'.repeat(64)}`;
const OLD_IMAGE = `europe-west1-docker.pkg.dev/example-mcp-staging/mcp-bridge-staging/bridge@sha256:${'a'.repeat(64)}`;

/** The staging stacks for a release at the given canary percent. */
function releaseAt(canaryPercent: number) {
  const config = exampleConfig();
  Object.assign(config.staging, { image: NEW_IMAGE, previousImage: OLD_IMAGE, lambdaStableVersion: 7, canaryPercent });
  const staging = parseEnvironments(config).find((env) => env.name === 'staging')!;
  return synthEnvironment('staging', staging);
}

describe('canary releases', () => {
  it('names revisions after the image digest', () => {
    expect(revisionName('mcp-bridge-staging', NEW_IMAGE)).toBe('mcp-bridge-staging-bbbbbbbbbbbb');
  });

  describe('GIVEN canaryPercent 0 (rolled back, or a dark launch)', () => {
    const { gcp, aws } = releaseAt(0);

    it('THEN Cloud Run keeps all traffic on the previous revision and tags the new one', () => {
      const service = only(gcp, 'google_cloud_run_v2_service');
      expect(service.template.revision).toBe('mcp-bridge-staging-bbbbbbbbbbbb');
      expect(service.traffic).toEqual([
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'mcp-bridge-staging-aaaaaaaaaaaa', percent: 100 },
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'mcp-bridge-staging-bbbbbbbbbbbb', percent: 0, tag: 'canary' },
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
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'mcp-bridge-staging-aaaaaaaaaaaa', percent: 90 },
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'mcp-bridge-staging-bbbbbbbbbbbb', percent: 10, tag: 'canary' },
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

  it('refuses a canary without the previous image or Lambda version, naming the field', () => {
    const config = exampleConfig();
    config.staging.canaryPercent = 10;
    expect(() => parseEnvironments(config)).toThrowError(
      /staging: previousImage: a canary[\s\S]*staging: lambdaStableVersion: a canary/,
    );
    config.staging.previousImage = config.staging.image;
    config.staging.lambdaStableVersion = 3;
    expect(() => parseEnvironments(config)).toThrowError(/staging: previousImage: must differ from image/);
  });
});

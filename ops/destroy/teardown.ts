import type { EnvironmentConfig } from '../../stacks/config.js';
import { Aws } from '../clouds/aws.js';
import { Cdktf } from '../clouds/cdktf.js';
import { Gcloud } from '../clouds/gcloud.js';
import { imageRepository } from '../deploy.js';
import { loadEnvironment } from '../environment-file.js';
import type { DestroyContext } from './context.js';
import { StackStates } from '../terraform/stack-state.js';

/** The Artifact Registry package `npm run deploy` pushes the bridge's images to. */
export interface ImagePackage {
  /** `<location>-docker.pkg.dev/<project>/<repository>/<name>`. */
  readonly image: string;
  /** The repository's region. */
  readonly location: string;
  /** The repository's id (`mcp-bridge-<env>`, made by bootstrap). */
  readonly repository: string;
  /** The package's name in it. */
  readonly name: string;
}

/** What every step of a teardown shares: the environment, its clouds and states, and how to resume. */
export class Teardown {
  readonly env: EnvironmentConfig;
  readonly states: StackStates;
  readonly gcloud: Gcloud;
  /** cdktf, with the backends the config declares. */
  readonly cdktf: Cdktf;
  /** cdktf with the bootstrap stacks' state on this disk (`MCP_BOOTSTRAP_LOCAL_STATE`, as `npm run bootstrap`'s first apply). */
  readonly bootstrapCdktf: Cdktf;
  /** The package deploy pushes images to. */
  readonly images: ImagePackage;
  /** What to run after a failure. */
  readonly rerun: string;

  constructor(
    /** What the teardown was given. */
    readonly context: DestroyContext,
  ) {
    this.env = loadEnvironment(context.environment, context.environmentsFile);
    this.states = new StackStates(this.env, context.runner, context.projectRoot);
    this.gcloud = new Gcloud(context.runner, this.env.gcp.project);
    this.cdktf = new Cdktf(context.runner, { MCP_ENVIRONMENTS_FILE: context.environmentsFile });
    this.bootstrapCdktf = new Cdktf(context.runner, { MCP_ENVIRONMENTS_FILE: context.environmentsFile, MCP_BOOTSTRAP_LOCAL_STATE: '1' });
    const image = imageRepository(this.env);
    const [, location, repository, name] = /^([a-z0-9-]+)-docker\.pkg\.dev\/[^/]+\/([^/]+)\/([^/]+)$/.exec(image)!;
    this.images = { image, location: location!, repository: repository!, name: name! };
    const flags = `${context.includeBootstrap ? ' --include-bootstrap' : ''}${context.includeBootstrap && context.forceDeleteSecrets ? ' --force-delete-secrets' : ''}`;
    this.rerun = `re-run npm run destroy -- ${this.env.name}${flags} (what is gone already is skipped)`;
  }

  /** The AWS calls in one region. */
  aws(region: string): Aws {
    return new Aws(this.context.runner, region);
  }
}

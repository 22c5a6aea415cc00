import { z } from 'zod';
import { checkAccessRules, granteeProblems, IMPLICIT_BUILTIN_SERVER, unknownNameProblems, type AccessRules } from '../app/auth/access-rules.js';
import { FINGERPRINT_PATTERN } from '../app/contract/contract.js';
import { checkServerList, type ServerList } from '../app/servers/server-list.js';
import { tools as builtinTools } from '../app/tools/registry.js';
import { packagingProblems } from './server-packaging.js';

/** Route 53 health checker regions (the values `aws_route53_health_check.regions` accepts). */
export const HEALTH_CHECK_REGIONS = [
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
] as const;

const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1');
const gcpRegion = z.string().regex(/^[a-z]+-[a-z]+\d$/, 'must be a GCP region such as europe-west1');

/** One or more distinct regions, the first being the home region (it keeps the addresses of a single-region setup). */
function regionList(region: typeof awsRegion) {
  return z
    .array(region)
    .min(1, 'list at least one region')
    .refine((regions) => new Set(regions).size === regions.length, 'must not list a region twice');
}

const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lowercase DNS name such as mcp.example.com');

/**
 * A container image in Artifact Registry, pinned by digest. Tags (`:latest` or any
 * other) and the retired gcr.io registry are refused: a deploy must name exactly
 * the bytes that were tested.
 */
const imageByDigest = z
  .string()
  .regex(
    /^[a-z0-9-]+-docker\.pkg\.dev\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/[a-z0-9-]+\/[a-z0-9._\/-]+@sha256:[a-f0-9]{64}$/,
    'must be an Artifact Registry image pinned by digest: REGION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE@sha256:<64 hex> (no tags, no gcr.io)',
  );

/**
 * An S3 bucket name (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): 3-63
 * lowercase letters, digits, dots and hyphens, a letter or digit at each end, no `..`, not an IP
 * address, none of the prefixes and suffixes S3 reserves.
 */
const s3BucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens, a letter or digit at each end')
  .refine((name) => !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name), 'must be an S3 bucket name: no ".." and not an IP address')
  .refine(
    (name) => !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) && !/(-s3alias|--ol-s3|\.mrap|--x-s3)$/.test(name),
    'must not use a prefix or suffix S3 reserves (xn--, sthree-, amzn-s3-demo-, -s3alias, --ol-s3, .mrap, --x-s3)',
  );

/**
 * A GCS bucket name (cloud.google.com/storage/docs/buckets#naming): 3-63 lowercase letters, digits,
 * hyphens, underscores and dots, a letter or digit at each end, not starting with `goog` nor
 * containing `google`. (Dotted names up to 222 characters need domain verification: not offered.)
 */
const gcsBucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, 'must be a GCS bucket name: 3-63 lowercase letters, digits, hyphens, underscores or dots, a letter or digit at each end')
  .refine((name) => !name.startsWith('goog') && !name.includes('google'), 'must not start with "goog" or contain "google" (GCS reserves them)');

const remoteState = z.strictObject({
  backend: z.literal('remote').describe('Each cloud keeps its stacks\' state: gcp in GCS, aws and edge in S3'),
  gcs: z.strictObject({
    bucket: gcsBucketName.describe('The GCS bucket for the gcp stack (locking is built in)'),
  }),
  s3: z.strictObject({
    bucket: s3BucketName.describe('The S3 bucket for the aws and edge stacks (S3-native lock file, encrypted)'),
    region: awsRegion.describe('The bucket region'),
  }),
});
const localState = z.strictObject({
  backend: z.literal('local').describe('State on the local disk: for trying things out, never for production'),
});

const authConfig = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none').describe('No authentication: only for local use and throw-away environments') }),
  z.strictObject({
    mode: z.literal('token').describe('Bearer tokens; their SHA-256 digests live in Secret Manager / Secrets Manager'),
  }),
  z.strictObject({
    mode: z.literal('oauth').describe('OAuth 2.1 resource server: JWT access tokens from an issuer'),
    issuer: z.url().describe('The authorization server (its JWKS is fetched from its metadata)'),
    requiredScopes: z.array(z.string().min(1)).default([]).describe('Scopes every token must carry'),
  }),
]);

/**
 * Cloud Run's CPU and memory pairs (cloud.google.com/run/docs/configuring/services/memory-limits and
 * …/cpu): the provider checks neither, the API refuses a bad pair at apply.
 */
function minimumCpuFor(memoryMiB: number): number {
  if (memoryMiB > 24576) return 8;
  if (memoryMiB > 16384) return 6;
  if (memoryMiB > 8192) return 4;
  if (memoryMiB > 4096) return 2;
  return 1;
}
function minimumMemoryFor(cpu: string): number {
  return { '4': 2048, '6': 4096, '8': 4096 }[cpu] ?? 512;
}

const revisionName = z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a Cloud Run revision name (lowercase letters, digits and hyphens, at most 63)');

/** A value for the one region, or one per region keyed by region (with several regions). */
function perRegion<T extends z.ZodType>(value: T) {
  return z.union([value, z.record(z.string(), value)]);
}

/** CloudWatch's retention values that Cloud Logging's buckets take too (at most 3650 days). */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** The schema of one environment. Every field has a rule; every rule is tested. */
export const environmentSchema = z
  .strictObject({
    domainName: hostname.describe('The failover name clients use: https://<domainName>/mcp'),
    hostedZone: z
      .strictObject({
        name: hostname.describe('The Route 53 public hosted zone that holds domainName'),
        id: z.string().regex(/^Z[A-Z0-9]{4,31}$/, 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ'),
      })
      .describe('The existing Route 53 hosted zone'),
    gcp: z
      .strictObject({
        project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a GCP project id'),
        region: gcpRegion.optional().describe('The one region of the service (or use regions)'),
        regions: regionList(gcpRegion).optional().describe('The regions of the service, the home region first (one Cloud Run service and NEG each, behind the one load balancer)'),
      })
      .refine((gcp) => (gcp.region === undefined) !== (gcp.regions === undefined), { message: 'set region or regions, not both and not neither', path: ['regions'] }),
    aws: z
      .strictObject({
        region: awsRegion.optional().describe('The one region of the secondary (or use regions)'),
        regions: regionList(awsRegion).optional().describe('The regions of the secondary, the home region first (Lambda, API, domain and certificate each; Route 53 picks the nearest healthy one)'),
        account: z
          .string()
          .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
          .optional()
          .describe('The AWS account: environments that name the same one share its GitHub OIDC provider (IAM allows one per URL per account), which the first of them in the file creates'),
      })
      .refine((aws) => (aws.region === undefined) !== (aws.regions === undefined), { message: 'set region or regions, not both and not neither', path: ['regions'] }),
    image: imageByDigest,
    cloudRun: z
      .strictObject({
        cpu: z.enum(['1', '2', '4', '6', '8']).default('1').describe('vCPUs per instance (at least 1: CPU is always allocated)'),
        memoryMiB: z.number().int().min(512).max(32768).default(512),
        concurrency: z.number().int().min(1).max(1000).default(80).describe('Requests per instance at once'),
        timeoutSeconds: z.number().int().min(1).max(3600).default(60),
        minInstances: z.number().int().min(0).max(1000).default(1),
        maxInstances: z.number().int().min(1).max(1000).default(10),
        invokers: z
          .array(z.string().regex(/^(allUsers|allAuthenticatedUsers|(user|serviceAccount|group|domain):.+)$/, 'must be an IAM member'))
          .default(['allUsers'])
          .describe('Who may invoke the service (behind the load balancer; the app authenticates)'),
      })
      .refine((run) => run.minInstances <= run.maxInstances, {
        message: 'minInstances must not exceed maxInstances',
        path: ['minInstances'],
      })
      .refine((run) => Number(run.cpu) >= minimumCpuFor(run.memoryMiB), {
        message: 'Cloud Run needs more vCPUs for this much memory: over 4 GiB needs cpu 2, over 8 GiB 4, over 16 GiB 6, over 24 GiB 8',
        path: ['memoryMiB'],
      })
      .refine((run) => run.memoryMiB >= minimumMemoryFor(run.cpu), {
        message: 'Cloud Run needs more memory for this many vCPUs: cpu 4 needs 2048 MiB, cpu 6 and 8 need 4096 MiB',
        path: ['memoryMiB'],
      }),
    lambda: z.strictObject({
      memoryMiB: z.number().int().min(128).max(10240).default(1024),
      timeoutSeconds: z
        .number()
        .int()
        .min(1)
        .max(29)
        .default(29)
        .describe('At most 29: API Gateway stops waiting at 30 s'),
      reservedConcurrency: z.number().int().min(1).max(1000).default(50),
    }),
    healthCheck: z.strictObject({
      intervalSeconds: z.union([z.literal(10), z.literal(30)]).default(30).describe('Route 53 accepts 10 or 30'),
      failureThreshold: z.number().int().min(1).max(10).default(3),
      regions: z
        .array(z.enum(HEALTH_CHECK_REGIONS))
        .min(3, 'Route 53 needs at least 3 checker regions')
        .default(['us-east-1', 'eu-west-1', 'ap-southeast-1']),
    }),
    alerts: z.strictObject({
      emails: z.array(z.email()).min(1, 'list at least one address to alert'),
      latencyP99Ms: z.number().int().min(10).default(2000).describe('Alert when p99 latency stays above this'),
    }),
    logRetentionDays: z
      .union(RETENTION_DAYS.map((days) => z.literal(days)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>, ...z.ZodLiteral<number>[]])
      .default(30)
      .describe('CloudWatch retention; one of the values CloudWatch accepts'),
    state: z.discriminatedUnion('backend', [remoteState, localState]),
    auth: authConfig,
    canaryPercent: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(100)
      .describe('Share of traffic (both clouds) for the release being rolled out; 100 = promoted'),
    previousRevision: perRegion(revisionName)
      .optional()
      .describe('The Cloud Run revision serving before this release (one per region, by region, with several): it keeps (100 - canaryPercent)% of the traffic'),
    lambdaStableVersion: perRegion(z.number().int().min(1))
      .optional()
      .describe('The published Lambda version serving before this release (one per region, by region, with several): the alias keeps (100 - canaryPercent)% on it'),
    failoverDrill: z
      .boolean()
      .default(false)
      .describe('Invert the primary health check so Route 53 sends traffic to AWS on purpose (failover drill)'),
    tier: z
      .enum(['production', 'non-production'])
      .optional()
      .describe('production turns on the production rules: remote state, auth not none, deletion protection on by default (default: production for an environment named production)'),
    deletionProtection: z
      .boolean()
      .optional()
      .describe('Protect the Cloud Run service from deletion (default: on in the production tier; turned off, in a reviewed change, only to tear the environment down with npm run destroy)'),
    access: z
      .unknown()
      .optional()
      .describe('Who may use which server and tool: {"default": "allow" | "deny", "grants": [{"server", "tools"?, "tokens" | "scopes"}]} (default: every authenticated caller may use everything; the production tier must deny by default)'),
    audit: z
      .strictObject({
        retentionDays: z
          .union(RETENTION_DAYS.filter((days) => days <= 3650).map((days) => z.literal(days)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>, ...z.ZodLiteral<number>[]])
          .default(400)
          .describe('How long both clouds keep the audit lines: a Cloud Logging bucket, the Lambda log group (kept for the longer of this and logRetentionDays); one of the values CloudWatch accepts, at most 3650'),
      })
      .default({ retentionDays: 400 }),
    contract: z
      .strictObject({
        acknowledged: z
          .record(z.string(), z.string().regex(FINGERPRINT_PATTERN, 'must be a contract fingerprint, sha256:<64 hex> (npm run contract -- diff prints the one to acknowledge)'))
          .default({})
          .describe(
            'Breaking contract changes accepted, by server: the fingerprint of the contract the change leads to, so the acknowledgement holds for that change alone (npm run contract -- diff prints it); reviewed in the pull request that makes the change',
          ),
      })
      .default({ acknowledged: {} }),
    servers: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('The MCP servers behind the name, as a servers file (MCP_SERVERS_FILE) names them; a stdio server adds its package and runtime (default: the built-in tools alone)'),
    github: z
      .strictObject({
        repository: z
          .string()
          .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, 'must be a GitHub repository as owner/name')
          .describe('The repository whose GitHub Actions may plan (its pull requests and default branch) and deploy (its GitHub environment named like this one)'),
        defaultBranch: z
          .string()
          .regex(/^(?!\/|.*\/$|.*\.\.)[A-Za-z0-9._\/-]{1,255}$/, 'must be a branch name such as main')
          .default('main')
          .describe('The branch pull requests merge into: pushes to it may plan, as pull requests may'),
        awsOidcProviderArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, 'must be the ARN of an IAM OIDC provider for token.actions.githubusercontent.com')
          .optional()
          .describe('An existing GitHub OIDC provider (one per AWS account: set this for the second environment of a shared account)'),
      })
      .optional()
      .describe('CI identities created by bootstrap: workload identity federation on GCP, an OIDC provider and roles on AWS'),
  })
  .refine((env) => env.domainName.endsWith(`.${env.hostedZone.name}`) || env.domainName === env.hostedZone.name, {
    message: 'must be inside hostedZone.name',
    path: ['domainName'],
  })
  .refine((env) => env.canaryPercent === 100 || env.previousRevision !== undefined, {
    message: 'a canary (canaryPercent below 100) needs the Cloud Run revision it splits traffic with',
    path: ['previousRevision'],
  })
  .refine((env) => env.canaryPercent === 100 || env.lambdaStableVersion !== undefined, {
    message: 'a canary (canaryPercent below 100) needs the Lambda version it splits traffic with',
    path: ['lambdaStableVersion'],
  });

/**
 * An environment's name: a key of the environments file. Lowercase, 1-12 characters: every name
 * derived from it must fit its provider's limit, the tightest being a service account id
 * (`mcp-bridge-<env>-deploy`, at most 30; see stacks/policy/provider-limits.ts).
 */
export const ENVIRONMENT_NAME = /^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/;

/** One environment's name. */
export type EnvironmentName = string;

/** Whether the production rules apply. */
export type Tier = 'production' | 'non-production';

/** A cloud's regions, whether the config gave one (`region`) or several (`regions`). */
export interface Regions {
  /** The home region: the first. Shared resources (image repository, state buckets, secrets) live there. */
  readonly region: string;
  /** Every region, the home region first. */
  readonly regions: readonly string[];
}

/** One environment, validated, with defaults filled in. */
export type EnvironmentConfig = Omit<z.output<typeof environmentSchema>, 'tier' | 'gcp' | 'aws' | 'servers' | 'access'> & {
  readonly name: EnvironmentName;
  readonly tier: Tier;
  readonly deletionProtection: boolean;
  readonly gcp: Regions & { readonly project: string };
  readonly aws: Regions & { readonly account?: string };
  /**
   * How bootstrap gets the account's GitHub OIDC provider: `create` it, `look up` the one another
   * environment of the same account (the first in the file) created, or use the configured ARN.
   */
  readonly awsOidcProvider: 'create' | 'look up' | { readonly arn: string };
  /**
   * The servers both clouds serve (`MCP_SERVERS`), checked as the bridge checks them.
   * @default - none: the built-in tools alone, exactly as without the field
   */
  readonly servers?: ServerList;
  /**
   * Who may use which server and tool (`MCP_ACCESS`), checked against the servers and the auth mode.
   * @default - none: every authenticated caller may use everything
   */
  readonly access?: AccessRules;
};

/**
 * The access rules' problems for one environment: their shape, callers named as the auth mode knows
 * them, servers (and the built-in tools) that exist, and a default of deny in the production tier.
 * A stdio or HTTP server's tools are known only once it runs: the bridge checks those at start.
 */
function accessProblems(value: unknown, env: { readonly auth: { readonly mode: 'none' | 'token' | 'oauth' }; readonly servers?: ServerList }, tier: Tier): { rules?: AccessRules; problems: string[] } {
  const { rules, problems } = checkAccessRules(value);
  if (rules === undefined) return { problems: [...problems] };
  const builtinNames = builtinTools.map((tool) => tool.name);
  const served = new Map<string, readonly string[] | undefined>(
    env.servers === undefined ? [[IMPLICIT_BUILTIN_SERVER, builtinNames]] : env.servers.map(({ name, server }) => [name, 'builtin' in server ? builtinNames : undefined]),
  );
  return {
    rules,
    problems: [
      ...granteeProblems(rules, env.auth.mode),
      ...unknownNameProblems(rules, served),
      ...(tier === 'production' && rules.default !== 'deny' ? ['access.default: the production tier must deny what no grant names ("deny")'] : []),
    ],
  };
}

/**
 * The server list's problems for one environment: the bridge's own checks, then what deploying
 * them needs (see {@link packagingProblems}; paths relative to `root`).
 */
function serverListProblems(servers: Record<string, unknown>, root: string): { list: ServerList; problems: string[] } {
  const { list, problems } = checkServerList({ servers });
  return { list, problems: [...problems, ...packagingProblems(list, root)] };
}

/** `region` or `regions`, as both. */
function regionsOf(cloud: { region?: string | undefined; regions?: string[] | undefined }): Regions {
  const regions = cloud.regions ?? [cloud.region!];
  return { region: regions[0]!, regions };
}

/** Options of {@link parseEnvironments}. */
export interface ParseOptions {
  /**
   * The repository root, which the paths in a server's packaging (a lock file, a folder) are relative to.
   * @default - the working directory (synth and the ops commands run at the root)
   */
  readonly root?: string;
}

/** A config file that breaks a rule; the message names the environment and the field. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates the environments file: any number of environments, keyed by name. Every broken rule
 * is reported at once, as `<environment>: <field.path>: <rule>`. The production tier must use a
 * remote state backend and an authentication mode other than `none`; its deletion protection is on
 * unless the config turns it off, the deliberate (reviewed) step before `npm run destroy`.
 */
export function parseEnvironments(raw: unknown, options: ParseOptions = {}): EnvironmentConfig[] {
  const root = options.root ?? process.cwd();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('The environments file must be an object keyed by environment name');
  }
  const problems: string[] = [];
  const names = Object.keys(raw);
  if (names.length === 0) problems.push('(file): no environment: add at least one, keyed by its name');
  const environments: EnvironmentConfig[] = [];
  for (const name of names) {
    if (!ENVIRONMENT_NAME.test(name)) {
      problems.push(`${name}: (name): must be 1-12 lowercase letters, digits or hyphens, starting with a letter and not ending in a hyphen`);
      continue;
    }
    const parsed = environmentSchema.safeParse((raw as Record<string, unknown>)[name]);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${name}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      continue;
    }
    const { servers: rawServers, access: rawAccess, ...env } = parsed.data;
    const servers = rawServers === undefined ? undefined : serverListProblems(rawServers, root);
    for (const problem of servers?.problems ?? []) problems.push(`${name}: ${problem}`);
    const tier: Tier = env.tier ?? (name === 'production' ? 'production' : 'non-production');
    const access = rawAccess === undefined ? undefined : accessProblems(rawAccess, { auth: env.auth, ...(servers === undefined ? {} : { servers: servers.list }) }, tier);
    for (const problem of access?.problems ?? []) problems.push(`${name}: ${problem}`);
    const served = new Set(servers === undefined ? [IMPLICIT_BUILTIN_SERVER] : servers.list.map(({ name: server }) => server));
    for (const server of Object.keys(env.contract.acknowledged)) {
      if (!served.has(server)) problems.push(`${name}: contract.acknowledged.${server}: no such server (the servers are ${[...served].join(', ')})`);
    }
    if (tier === 'production') {
      if (env.state.backend === 'local') problems.push(`${name}: state.backend: the production tier must use remote state ("remote", with gcs and s3 buckets)`);
      if (env.auth.mode === 'none') problems.push(`${name}: auth.mode: the production tier must not be "none" (use "token" or "oauth")`);
    }
    for (const [field, cloud] of [['previousRevision', 'gcp'], ['lambdaStableVersion', 'aws']] as const) {
      const value = env[field];
      const regions = regionsOf(env[cloud]).regions;
      if (value === undefined) continue;
      if (typeof value !== 'object' && regions.length > 1) {
        problems.push(`${name}: ${field}: ${cloud} has ${regions.length} regions: give one per region, as {${regions.map((region) => `"${region}": …`).join(', ')}}`);
      } else if (typeof value === 'object' && JSON.stringify(Object.keys(value).sort()) !== JSON.stringify([...regions].sort())) {
        problems.push(`${name}: ${field}: must name exactly the ${cloud} regions (${regions.join(', ')}), got ${Object.keys(value).join(', ') || 'none'}`);
      }
    }
    environments.push({
      ...env,
      name,
      tier,
      deletionProtection: env.deletionProtection ?? tier === 'production',
      gcp: { project: env.gcp.project, ...regionsOf(env.gcp) },
      aws: { ...regionsOf(env.aws), ...(env.aws.account === undefined ? {} : { account: env.aws.account }) },
      awsOidcProvider:
        env.github?.awsOidcProviderArn !== undefined
          ? { arn: env.github.awsOidcProviderArn }
          : env.aws.account !== undefined && environments.some((other) => other.aws.account === env.aws.account && other.awsOidcProvider === 'create')
            ? 'look up'
            : 'create',
      ...(servers === undefined ? {} : { servers: servers.list }),
      ...(access?.rules === undefined ? {} : { access: access.rules }),
    });
  }
  // One failover name per environment: two would fight over the same Route 53 records and certificates.
  for (const [index, env] of environments.entries()) {
    const first = environments.findIndex((other) => other.domainName === env.domainName);
    if (first < index) problems.push(`${env.name}: domainName: "${env.domainName}" is already the domainName of ${environments[first]!.name}`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid environments config:\n  ${problems.join('\n  ')}`);
  return environments;
}

// The steps a game day takes before it touches anything: each checks one thing and refuses, saying
// what is wrong and what to do, when the environment is not fit for an induced failover.
import { resourceName, stackId } from '../../stacks/naming.js';
import { CloudWatchAlarms } from '../clouds/cloudwatch.js';
import type { Route53Failover } from '../clouds/route53.js';
import type { Step } from '../runner/step-runner.js';
import { baseUrlOf, defaultWayTimeoutMs, known, signalsOf, timingOf, type GameDayContext, type GameDayFindings } from './context.js';
import type { McpClientRounds } from './mcp-rounds.js';
import { watchWay } from './watch.js';
import { contractThroughNameStep } from './contract-step.js';
import { servedFingerprint } from '../contract/snapshot-files.js';
import { cloudTargets, contractsServedAt, describeShares, noContractInCommon } from '../contract/served-by-clouds.js';

/** The region of the Route 53 health-check alarms (the only region with Route 53 health-check metrics). */
export const HEALTH_CHECK_ALARM_REGION = 'us-east-1';

/** The steps that check an environment is fit for a game day, and restore a check an earlier run left inverted. */
export function preconditionSteps(context: GameDayContext, findings: GameDayFindings, route53: Route53Failover, client: McpClientRounds): Step[] {
  const { env } = context;
  const edge = stackId(env.name, 'edge');
  const rerun = `npm run gameday -- ${env.name}`;
  const healthUrl = new URL('/health', `https://${env.domainName}`);
  const onPrimary = (addresses: readonly string[]) => addresses.includes(known(findings.records, 'the failover records').primary.address);

  return [
    {
      name: 'production needs a confirmation',
      runs: `tier of ${env.name} in the config`,
      run: async () => {
        if (env.tier !== 'production') return `${env.name} is ${env.tier}`;
        if (!context.confirmProduction) {
          throw new Error(`${env.name} is a production environment: a game day moves its real clients to AWS and back, and pages whoever the alarm notifies`);
        }
        return `${env.name} is production, and --confirm-production was given`;
      },
      onFailure: `tell whoever is on call, then run ${rerun} --confirm-production`,
    },
    {
      name: 'no drill through Terraform',
      runs: `failoverDrill of ${env.name} in the config`,
      run: async () => {
        if (env.failoverDrill) {
          throw new Error(`failoverDrill is true in the config of ${env.name}: Terraform inverts the health check itself, and a game day would fight it`);
        }
        return 'failoverDrill is false: Terraform keeps the check un-inverted';
      },
      onFailure: `set failoverDrill to false, deploy ${edge} (npm run deploy -- ${env.name}), then run ${rerun}`,
    },
    {
      name: 'the environment is deployed',
      runs: `terraform output of ${edge}: primary-health-check-id, primary-alarm-name`,
      run: async () => {
        const outputs = await context.outputs(edge);
        const id = outputs['primary-health-check-id'];
        if (typeof id !== 'string') throw new Error(`the ${edge} stack has no primary-health-check-id output: ${env.name} is not deployed, or its state cannot be read here`);
        findings.healthCheckId = id;
        if (typeof outputs['primary-alarm-name'] === 'string') findings.alarmName = outputs['primary-alarm-name'];
        return `primary health check ${id}${findings.alarmName === undefined ? ' (no primary-alarm-name output: the alarm will not be checked)' : `, alarm ${findings.alarmName}`}`;
      },
      onFailure: `deploy it (npm run deploy -- ${env.name}); the state is read through cdktf.out (npm run synth first)`,
    },
    {
      name: 'restore a check left inverted',
      runs: 'aws route53 get-health-check; when Inverted, update-health-check --no-inverted (Terraform has invert_healthcheck = false)',
      isDone: async () => !(await route53.isInverted(known(findings.healthCheckId, 'the health check'))) && 'the health check is not inverted',
      run: async () => {
        const id = known(findings.healthCheckId, 'the health check');
        await route53.setInverted(id, false);
        findings.restoredLeftover = true;
        return `health check ${id} was inverted (by an interrupted game day, or by hand): restored it to Inverted: false, as Terraform has it`;
      },
      onFailure: `restore it by hand (aws route53 update-health-check --health-check-id <id> --no-inverted), then run ${rerun}`,
    },
    {
      name: 'the failover records',
      runs: `aws route53 list-resource-record-sets and get-hosted-zone ${env.hostedZone.id} (${env.domainName})`,
      run: async () => {
        const records = await route53.failoverRecords(env.hostedZone.id, env.domainName);
        const id = known(findings.healthCheckId, 'the health check');
        if (records.primary.healthCheckId !== id) {
          throw new Error(`the PRIMARY record of ${env.domainName} uses health check ${records.primary.healthCheckId ?? '(none)'}, not ${id} from the ${edge} outputs`);
        }
        findings.records = records;
        findings.nameServers = await route53.nameServers(env.hostedZone.id);
        findings.timeoutMs = timingOf(context).timeoutMs ?? defaultWayTimeoutMs(env, records.primary.ttlSeconds);
        return [
          `PRIMARY ${records.primary.address} (TTL ${records.primary.ttlSeconds} s), SECONDARY → ${records.secondaries.map((secondary) => secondary.target).join(', ')}`,
          `name servers ${findings.nameServers.join(', ')}; each way waits at most ${findings.timeoutMs / 1000} s`,
        ].join('\n');
      },
      onFailure: `deploy ${edge} (npm run deploy -- ${env.name}) so the zone holds the failover records it declares`,
    },
    {
      name: 'the way back after that restore',
      runs: 'the health check, the name servers, the resolver and /health until the name answers with Cloud Run again',
      isDone: async () => findings.restoredLeftover !== true && 'nothing was restored',
      run: async () => {
        const timing = timingOf(context);
        const started = context.now();
        const timeoutMs = known(findings.timeoutMs, 'the wait');
        const back = await watchWay({
          way: 'recovery',
          signals: signalsOf(context, findings, route53),
          since: started,
          timeoutMs,
          intervalMs: timing.intervalMs,
          sleep: context.sleep,
          signal: context.signal,
          progress: context.progress,
          clientTally: () => 'not started',
        });
        if (!back.complete) throw new Error(`the name did not come back to Cloud Run within ${timeoutMs / 1000} s of the restore`);
        return `the name answers with Cloud Run again (${((context.now() - started) / 1000).toFixed(1)} s)`;
      },
      onFailure: `look at npm run status -- ${env.name}; run ${rerun} once the name answers with Cloud Run`,
    },
    {
      name: 'both clouds answer /health',
      runs: `GET ${healthUrl.href} straight to the load balancer's IP and to each API Gateway regional domain`,
      run: async () => {
        const targets = cloudTargets(known(findings.records, 'the failover records')).map((target) => ({ ...target, platform: target.cloud === 'Cloud Run' ? 'cloud-run' : 'lambda' }));
        const answers = await Promise.all(targets.map(async (target) => ({ ...target, answer: await context.health(healthUrl, target.address) })));
        const wrong = answers.filter(({ answer, platform }) => answer.platform !== platform);
        if (wrong.length > 0) {
          throw new Error(
            wrong.map(({ cloud, address, platform, answer }) => `${cloud} at ${address}: /health answered ${answer.platform}${answer.detail ? ` (${answer.detail})` : ''}, not ${platform}`).join('\n'),
          );
        }
        // The contract each cloud serves, each asked several times (a canary's shares): a failover between clouds with none in common changes the tools under clients' feet.
        const expected = servedFingerprint(context.contract);
        const clouds = await contractsServedAt(env, targets, { healthAt: context.health });
        const disjoint = noContractInCommon(clouds);
        if (disjoint !== undefined) throw new Error(disjoint);
        const label = (fingerprint: string) => (fingerprint === expected ? `as in contracts/${env.name}/` : undefined);
        return [
          answers.map(({ cloud, answer }) => `${cloud}: ${answer.platform}${answer.detail ? ` ${answer.detail}` : ''}`).join(', '),
          ...clouds.map((cloud) => `contract ${cloud.cloud}: ${describeShares(cloud, label)}`),
        ].join('\n');
      },
      onFailure: `a game day needs both clouds serving: see npm run status -- ${env.name}, fix the one that does not answer, then run ${rerun}`,
    },
    {
      name: 'the name answers with the primary',
      runs: `${env.domainName} from each name server and from the system's resolver; GET ${baseUrlOf(context)}/health`,
      run: async () => {
        const nameServers = known(findings.nameServers, "the zone's name servers");
        const answer = (nameServer?: string) =>
          context.resolve(env.domainName, nameServer).then(
            (addresses) => ({ nameServer: nameServer ?? "the system's resolver", addresses, error: undefined }),
            (error: NodeJS.ErrnoException) => ({ nameServer: nameServer ?? "the system's resolver", addresses: [] as string[], error: error.code ?? error.message }),
          );
        const answers = await Promise.all([...nameServers.map(answer), answer()]);
        const health = await context.health(new URL('/health', baseUrlOf(context)));
        const wrong = [
          ...answers.filter(({ addresses }) => !onPrimary(addresses)).map(({ nameServer, addresses, error }) => `${nameServer} answers ${error ?? (addresses.join(', ') || '(nothing)')}`),
          ...(health.platform === 'cloud-run' ? [] : [`/health through the name answered ${health.platform}, not cloud-run`]),
        ];
        if (wrong.length > 0) {
          throw new Error(`${env.domainName} does not lead to the primary (${known(findings.records, 'the failover records').primary.address}):\n${wrong.join('\n')}`);
        }
        return `${nameServers.length} name servers and the resolver answer ${known(findings.records, 'the failover records').primary.address}; /health answered by cloud-run`;
      },
      onFailure: `wait until the name answers with the primary (a recent failover takes its TTL to end), see npm run status -- ${env.name}, then run ${rerun}`,
    },
    {
      name: 'no alarm is firing',
      runs: `aws cloudwatch describe-alarms --alarm-name-prefix ${resourceName(env.name)} --state-value ALARM in ${[...new Set([...env.aws.regions, HEALTH_CHECK_ALARM_REGION])].join(', ')}`,
      run: async () => {
        const regions = [...new Set([...env.aws.regions, HEALTH_CHECK_ALARM_REGION])];
        const firing = (await Promise.all(regions.map(async (region) => (await new CloudWatchAlarms(context.cloudwatch(region)).firing(resourceName(env.name))).map((alarm) => `${alarm} (${region})`)))).flat();
        if (firing.length > 0) throw new Error(`alarms are firing: ${firing.join(', ')}`);
        return `none firing in ${regions.join(', ')}`;
      },
      onFailure: `a game day starts from a quiet environment: deal with the alarms (npm run status -- ${env.name}), then run ${rerun}`,
    },
    {
      name: 'an MCP client works through the name',
      runs: `initialize, tools/list and tools/call process_data on ${baseUrlOf(context)}/mcp${env.auth.mode === 'none' ? '' : ' with the MCP_SMOKE_TOKEN bearer token'}`,
      run: async () => {
        if (env.auth.mode !== 'none' && context.token === undefined) {
          throw new Error(`${env.name} authenticates MCP clients (auth mode ${env.auth.mode}) and MCP_SMOKE_TOKEN is not set`);
        }
        const calls = await client.round();
        const failed = calls.filter((call) => call.error !== undefined);
        if (failed.length > 0) throw new Error(failed.map((call) => `${call.call}: ${call.error}`).join('\n'));
        return calls.map((call) => call.call).join(', ');
      },
      onFailure: `set MCP_SMOKE_TOKEN to a token ${env.name} accepts (npm run token -- ${env.name} rotate prints a new one), check npm run smoke -- --url ${baseUrlOf(context)}, then run ${rerun}`,
    },
    contractThroughNameStep(context, 'Cloud Run'),
  ];
}

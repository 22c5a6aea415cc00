// `npm run secret -- <env> <server> <NAME>` against recording fakes of gcloud and the AWS CLI
// (__tests__/support/fake-clouds.ts): the value from standard input to both clouds, never on a command line.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseSecretArgs, readSecretValue, secretSteps } from '../../ops/secret.js';
import { runSteps, StepFailure } from '../../ops/runner/step-runner.js';
import { UsageError } from '../../ops/runner/usage-error.js';
import { FakeClouds } from '../support/fake-clouds.js';

const FILE = 'stacks/examples/own-servers.json';
const VALUE = 's3cr3t value with spaces';

function run(name = 'NOTES_API_KEY', server = 'notes', clouds = new FakeClouds()) {
  const results: string[] = [];
  const steps = secretSteps({ environment: 'own', server, name, environmentsFile: FILE, runner: clouds, readValue: async () => VALUE });
  return { clouds, results, done: runSteps(steps, { output: { progress: () => undefined, result: (line) => results.push(line) } }) };
}

describe('npm run secret', () => {
  it("adds the value from standard input to Secret Manager and Secrets Manager, under the server's names, never as an argument", async () => {
    const { clouds, results, done } = run();
    await done;
    expect(clouds.googleSecrets.get('mcp-bridge-own-server-notes-NOTES_API_KEY')!.at(-1)!.value).toBe(VALUE);
    expect(clouds.awsSecrets.get('mcp-bridge-own/servers/notes/NOTES_API_KEY')).toBe(VALUE);
    expect(clouds.calls.map(({ command, args }) => [command, ...args].join(' '))).toEqual([
      'gcloud secrets versions add mcp-bridge-own-server-notes-NOTES_API_KEY --data-file=- --project example-mcp-staging --quiet',
      'aws secretsmanager put-secret-value --secret-id mcp-bridge-own/servers/notes/NOTES_API_KEY --secret-string file:///dev/stdin --region eu-west-1 --output json',
    ]);
    expect(clouds.calls.every(({ args }) => !args.some((arg) => arg.includes(VALUE)))).toBe(true);
    expect(results).toEqual([
      expect.stringMatching(new RegExp(`^\\[1/3\\] read the value: ${VALUE.length} characters \\(`)),
      expect.stringMatching(/^\[2\/3\] set it in Secret Manager: mcp-bridge-own-server-notes-NOTES_API_KEY: new version added/),
      expect.stringMatching(/^\[3\/3\] set it in Secrets Manager: mcp-bridge-own\/servers\/notes\/NOTES_API_KEY: value stored/),
    ]);
  });

  it('refuses a server the environment does not have, and a secret its server does not name, naming what there is', () => {
    expect(() => run('NOTES_API_KEY', 'search')).toThrowError(new UsageError('own has no server search (its servers: tools, memory, notes)'));
    expect(() => run('OTHER_KEY')).toThrowError(new UsageError('servers.notes of own names no secret OTHER_KEY (it names NOTES_API_KEY)'));
    expect(() => run('NOTES_API_KEY', 'memory')).toThrowError(/servers\.memory of own names no secret NOTES_API_KEY \(it names none: add \{"secret": "<NAME>"\} to its env or headers\)/);
  });

  it('names the secret and the command that creates it when its container is missing', async () => {
    const clouds = new FakeClouds();
    clouds.failNext(/secretsmanager put-secret-value/, "An error occurred (ResourceNotFoundException) when calling the PutSecretValue operation: Secrets Manager can't find the specified secret.", 254);
    const { done } = run('NOTES_API_KEY', 'notes', clouds);
    const failure = await done.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StepFailure);
    expect((failure as Error).message).toMatch(/set it in Secrets Manager failed:[\s\S]*can't find the specified secret[\s\S]*next: check that mcp-bridge-own\/servers\/notes\/NOTES_API_KEY exists \(bootstrap creates it: npm run bootstrap -- own\)/);
  });

  it('takes the value only from standard input: a value on the command line is refused', () => {
    expect(parseSecretArgs(['own', 'notes', 'NOTES_API_KEY', '--dry-run'])).toEqual({ environment: 'own', server: 'notes', name: 'NOTES_API_KEY', dryRun: true, help: false });
    expect(() => parseSecretArgs(['own', 'notes', 'NOTES_API_KEY', 'hunter2'])).toThrowError(/the value is read from standard input, never from the command line/);
    expect(() => parseSecretArgs(['own', 'notes'])).toThrowError(/expected <environment> <server> <NAME>, got "own notes"/);
  });

  it('reads piped standard input whole, dropping one trailing newline, and refuses an empty value', async () => {
    expect(await readSecretValue(Readable.from(['line one\n', 'line two\n']) as unknown as NodeJS.ReadStream)).toBe('line one\nline two');
    await expect(readSecretValue(Readable.from(['\n']) as unknown as NodeJS.ReadStream)).rejects.toThrowError('the value is empty: nothing was set');
  });
});

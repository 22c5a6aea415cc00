import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnvironments, type EnvironmentConfig } from '../stacks/config.js';

/** The environments file an operator command reads and writes: `MCP_ENVIRONMENTS_FILE`, else `stacks/environments.json`. */
export function environmentsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.MCP_ENVIRONMENTS_FILE ?? 'stacks/environments.json');
}

/** One environment of the file, validated; a clear error naming the file, or the environments it has. */
export function loadEnvironment(name: string, file: string = environmentsFilePath()): EnvironmentConfig {
  const environments = parseEnvironments(JSON.parse(readFileSync(file, 'utf8')));
  const env = environments.find((candidate) => candidate.name === name);
  if (env === undefined) throw new Error(`${file}: no environment "${name}" (it has ${environments.map((candidate) => candidate.name).join(', ')})`);
  return env;
}

/** The environments file's text with one field of one environment set; throws if the result is invalid. */
export function withField(fileText: string, name: string, field: string, value: unknown): string {
  const config = JSON.parse(fileText) as Record<string, Record<string, unknown>>;
  if (config[name] === undefined) throw new Error(`no environment "${name}" in the file`);
  config[name] = { ...config[name], [field]: value };
  parseEnvironments(config);
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Sets one field of one environment in the file, keeping the rest as written; throws if the result is invalid. */
export function writeEnvironmentField(file: string, name: string, field: string, value: unknown): void {
  writeFileSync(file, withField(readFileSync(file, 'utf8'), name, field, value));
}

// vitest globalSetup: the tests' own Python environment. The official Python MCP SDK is a real
// client (and server) of the tests; a fresh clone gets it here, not from a hand-run pip install:
// `.venv/` in the project root, made once from __tests__/clients/requirements.txt and reused
// until that file changes. Tests get its interpreter with `testPython()`.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The interpreter of the tests' Python environment, or why there is none. */
    python: { readonly path: string } | { readonly problem: string };
  }
}

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REQUIREMENTS = fileURLToPath(new URL('../clients/requirements.txt', import.meta.url));
/** The environment's folder, and the stamp inside it naming the requirements it was made from. */
const DEFAULT_VENV = `${ROOT}.venv`;
const STAMP = 'requirements.sha256';

/** Options of {@link ensurePythonEnvironment}. */
export interface EnsureOptions {
  /**
   * The environment's folder.
   * @default - `.venv` in the project root
   */
  readonly folder?: string;
  /**
   * The environment variables the set-up commands run with (their PATH finds python3).
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Where progress goes.
   * @default - stderr
   */
  readonly log?: (line: string) => void;
}

/** The Python interpreter of an environment folder. */
const interpreter = (folder: string) => `${folder}/bin/python`;

/** Runs one set-up command; a failure names the command and carries its own output. */
async function step(what: string, file: string, args: string[], fix: string, env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(file, args, { maxBuffer: 16 * 1024 * 1024, env });
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`${what} failed (${file} ${args.join(' ')}): ${(stderr || message).trim().split('\n').slice(-5).join('\n')}\n${fix}`);
  }
}

/**
 * Makes `.venv` from the requirements file unless it already holds exactly that file's packages.
 * Built in a folder of its own and renamed into place, so an interrupted run never leaves a half
 * environment that a later run would take as ready.
 */
export async function ensurePythonEnvironment(options: EnsureOptions = {}): Promise<string> {
  const { folder = DEFAULT_VENV, env = process.env, log = (line: string) => console.error(line) } = options;
  const digest = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  if (existsSync(interpreter(folder)) && existsSync(`${folder}/${STAMP}`) && readFileSync(`${folder}/${STAMP}`, 'utf8') === digest) return interpreter(folder);

  try {
    await run('python3', ['--version'], { env });
  } catch {
    throw new Error(
      'python3 is not on PATH: the tests run the official Python MCP SDK (__tests__/clients/requirements.txt) in a .venv they make themselves, ' +
        'and need Python 3.10 or later to make it (Debian/Ubuntu: apt-get install python3 python3-venv; macOS: brew install python)',
    );
  }
  const started = Date.now();
  const building = `${folder}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  try {
    log(`python env: making .venv from __tests__/clients/requirements.txt (once; reused until that file changes)`);
    await step('python3 -m venv', 'python3', ['-m', 'venv', building], 'the venv module is missing: Debian/Ubuntu: apt-get install python3-venv', env);
    log(`python env: pip install -r __tests__/clients/requirements.txt (${((Date.now() - started) / 1000).toFixed(1)} s so far)`);
    await step('pip install', interpreter(building), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS], 'check that pip can reach a package index holding these pinned versions', env);
    writeFileSync(`${building}/${STAMP}`, digest);
    rmSync(folder, { recursive: true, force: true });
    renameSync(building, folder);
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  log(`python env: .venv ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return interpreter(folder);
}

/** globalSetup: provides the interpreter, or the reason there is none (the Python tests fail with it; the others run). */
export default async function setup(project: TestProject): Promise<void> {
  try {
    project.provide('python', { path: await ensurePythonEnvironment() });
  } catch (error) {
    const problem = (error as Error).message;
    console.error(`python env: ${problem}`);
    project.provide('python', { problem });
  }
}

/** The tests' Python interpreter; throws why there is none (no python3, no venv module, pip failed). */
export function testPython(): string {
  const python = inject('python');
  if ('problem' in python) throw new Error(`no Python environment for the tests: ${python.problem}`);
  return python.path;
}

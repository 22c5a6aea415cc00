import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A stack as synth wrote it. */
export interface SynthesizedStack {
  /** The stack's id, such as `staging-edge`. */
  readonly name: string;
  /** Its folder: `cdk.tf.json` and its assets. */
  readonly directory: string;
}

/**
 * Runs the cdktf app exactly as `cdktf synth` does (the `app` command of `cdktf.json`, with
 * `CDKTF_OUTDIR`) and returns the stacks its manifest lists. Rejects with the app's own output
 * when it fails (a config error names the file and every broken field).
 *
 * @param outdir - where to write; the project's `cdktf.out` is left as it is
 * @param projectRoot - the folder holding `cdktf.json` (the working directory by default)
 */
export async function synthesize(outdir: string, projectRoot: string = process.cwd()): Promise<SynthesizedStack[]> {
  const { app } = JSON.parse(readFileSync(join(projectRoot, 'cdktf.json'), 'utf8')) as { app: string };
  const output: Buffer[] = [];
  const child = spawn(app, { cwd: projectRoot, shell: true, env: { ...process.env, CDKTF_OUTDIR: resolve(outdir) }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  const exitCode = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  if (exitCode !== 0) throw new Error(`synth (${app}) failed with exit code ${exitCode}:\n${Buffer.concat(output).toString('utf8').trim()}`);

  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { name: string; workingDirectory: string }>;
  };
  return Object.values(manifest.stacks).map((stack) => ({ name: stack.name, directory: join(outdir, stack.workingDirectory) }));
}

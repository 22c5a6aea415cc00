import { execFile } from 'node:child_process';

/** What a finished Terraform command printed. */
export interface TerraformRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A `terraform validate -json` diagnostic (the fields this project reads). */
export interface TerraformDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  /** The resource, `TYPE.NAME`, when the diagnostic is about one. */
  readonly address?: string;
}

/** Runs the Terraform CLI without prompts, colour or update checks. */
export class TerraformCli {
  constructor(
    /** The `terraform` binary (a name on PATH or a path). */
    readonly binary: string,
    /** Variables added to this process's environment for every run. */
    private readonly env: Readonly<Record<string, string>> = {},
  ) {}

  /** Runs `terraform <args>` in a folder; resolves with its exit code and output (never rejects on a non-zero exit). */
  run(cwd: string, args: readonly string[]): Promise<TerraformRun> {
    return new Promise((resolve, reject) => {
      execFile(
        this.binary,
        [...args],
        {
          cwd,
          env: { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1', ...this.env },
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          if (error !== null && typeof error.code !== 'number') {
            reject(
              error.code === 'ENOENT'
                ? new Error(`${this.binary}: not found; install Terraform >= 1.10 or name the binary with --terraform`)
                : error,
            );
            return;
          }
          resolve({ exitCode: error === null ? 0 : (error.code as number), stdout, stderr });
        },
      );
    });
  }

  /** The version of the binary, such as `1.11.4`. */
  async version(): Promise<string> {
    const { stdout } = await this.run(process.cwd(), ['version', '-json']);
    return (JSON.parse(stdout) as { terraform_version: string }).terraform_version;
  }
}

/** The `Error: …` headlines of Terraform's human-readable output, in order. */
export function errorHeadlines(output: string): string[] {
  return [...output.matchAll(/^(?:│ )?Error: (.+)$/gm)].map((match) => match[1]!.trim());
}

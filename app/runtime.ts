/**
 * What the app knows about the process it runs in. Built once per process by an
 * entry (`node.ts`, `lambda.ts`) and read by `/health` and the `health_check` tool.
 */
export interface RuntimeInfo {
  /** The app's version, from package.json or the build. */
  readonly version: string;
  /** Which platform serves this process: `cloud-run`, `lambda` or `local`. */
  readonly platform: Platform;
  /** The cloud region, or `local`. */
  readonly region: string;
  /** When the process started, in milliseconds since the epoch. */
  readonly startedAtMs: number;
}

/** The platforms the bridge runs on. */
export type Platform = 'cloud-run' | 'lambda' | 'local';

/** The body of `GET /health` and the structured result of the `health_check` tool. */
export interface HealthReport {
  readonly status: 'ok';
  readonly version: string;
  readonly platform: Platform;
  readonly region: string;
  /** True only for the first report a process gives: the request that woke it up. */
  readonly coldStart: boolean;
  readonly uptimeSeconds: number;
}

/**
 * Reports health facts for one process. The first report is the cold start; every
 * later one is warm. Holds no per-request state beyond that one process-wide flag.
 */
export class HealthReporter {
  #served = false;

  constructor(private readonly runtime: RuntimeInfo) {}

  /** The version this process runs. */
  get version(): string {
    return this.runtime.version;
  }

  report(nowMs: number = Date.now()): HealthReport {
    const coldStart = !this.#served;
    this.#served = true;
    return {
      status: 'ok',
      version: this.runtime.version,
      platform: this.runtime.platform,
      region: this.runtime.region,
      coldStart,
      uptimeSeconds: Math.max(0, Math.round((nowMs - this.runtime.startedAtMs) / 1000)),
    };
  }
}

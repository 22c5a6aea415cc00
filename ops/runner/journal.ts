import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where `npm run deploy` keeps its journals, relative to the project root. */
export const DEPLOY_JOURNAL_DIRECTORY = '.deploy';

/** The deploy journal of an environment: `<directory>/<env>.json`. */
export function deployJournalFile(environment: string, directory = DEPLOY_JOURNAL_DIRECTORY): string {
  return join(directory, `${environment}.json`);
}

/**
 * What an operator command finished, for which inputs, kept on disk between runs: a re-run with
 * the same inputs (the same config and commit) skips the steps it finished; any change of the
 * inputs starts over. For steps whose outcome the clouds cannot be asked about cheaply
 * (a `cdktf deploy` of a stack).
 */
export class Journal {
  #state: { inputs: string; done: string[] };

  constructor(
    /** The journal's file (a deploy's is {@link deployJournalFile}). */
    readonly file: string,
    /** A digest of everything the steps depend on. */
    readonly inputs: string,
  ) {
    const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { inputs: string; done: string[] }) : undefined;
    this.#state = saved?.inputs === inputs ? saved : { inputs, done: [] };
  }

  /** Whether a step finished for these inputs. */
  has(step: string): boolean {
    return this.#state.done.includes(step);
  }

  /** Records that a step finished. */
  record(step: string): void {
    if (!this.has(step)) this.#state.done.push(step);
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(this.#state, null, 2)}\n`);
  }
}

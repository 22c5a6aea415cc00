import { createInterface } from 'node:readline/promises';
import { DestroyRefused, type DestroyContext } from './context.js';

/**
 * The typed confirmation: resolves once the operator typed the environment's name (or `--yes` was
 * given); otherwise throws {@link DestroyRefused}, saying what was typed and what is kept.
 *
 * @param kept - what stays, in words, when the answer is wrong: `nothing was touched`
 */
export async function confirmByName(context: Pick<DestroyContext, 'prompt' | 'yes'>, name: string, question: string, kept: string): Promise<string> {
  if (context.yes) return 'confirmed by --yes';
  if (context.prompt === undefined) throw new DestroyRefused(`no terminal to type "${name}" on: run it in a terminal, or pass --yes; ${kept}`);
  const answer = (await context.prompt(question)).trim();
  if (answer !== name) throw new DestroyRefused(`${answer === '' ? 'nothing was typed' : `"${answer}" was typed`}, not "${name}": ${kept}`);
  return `"${name}" typed`;
}

/**
 * A prompt on this terminal (`node:readline`), or `undefined` when standard input is not a
 * terminal (a pipe, CI): the confirmation must be typed by a person, so no answer is read from a pipe.
 */
export function terminalPrompt(
  input: NodeJS.ReadableStream & { readonly isTTY?: boolean } = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): ((question: string) => Promise<string>) | undefined {
  if (input.isTTY !== true) return undefined;
  return async (question) => {
    const lines = createInterface({ input, output });
    try {
      return await lines.question(question);
    } finally {
      lines.close();
    }
  };
}

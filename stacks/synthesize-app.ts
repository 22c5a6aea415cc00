import type { App } from 'cdktf';

/** Synth found rule violations: every stack's, one line each (`[construct path] message`). */
export class SynthValidationError extends Error {
  override name = 'SynthValidationError';
}

/**
 * Synthesizes an app built with `skipValidation: true`, then runs every construct's validations
 * (the policy and provider-limit rules among them) across all stacks and throws one error listing
 * them all. cdktf's own validation stops at the first stack that has a problem, so fixing a config
 * would otherwise take one synth per stack.
 */
export function synthesizeApp(app: App): void {
  if (!app.skipValidation) throw new Error('synthesizeApp needs an App built with skipValidation: true (it validates every stack itself)');
  app.synth();
  const problems = app.node.findAll().flatMap((node) => node.node.validate().map((problem) => `[${node.node.path}] ${problem}`));
  if (problems.length > 0) throw new SynthValidationError(`Validation failed with the following errors:\n  ${problems.join('\n  ')}`);
}

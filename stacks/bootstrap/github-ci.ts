/** The issuer of GitHub Actions' OIDC tokens. */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * Who may use each CI identity, as the `sub` claim of a GitHub Actions OIDC token says it:
 * planning from the repository's pull requests (a job that names no GitHub environment: with one,
 * the claim names the environment instead) and from pushes to its default branch; deploying only
 * from a job bound to the GitHub environment of the same name (which can require reviewers). Any
 * other branch, tag or workflow of the repository gets neither.
 */
export function githubSubjects(repository: string, environment: string, defaultBranch: string): { readonly plan: readonly string[]; readonly deploy: string } {
  return { plan: [`repo:${repository}:pull_request`, `repo:${repository}:ref:refs/heads/${defaultBranch}`], deploy: `repo:${repository}:environment:${environment}` };
}

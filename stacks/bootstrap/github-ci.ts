/** The issuer of GitHub Actions' OIDC tokens. */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * Who may use each CI identity, as the `sub` claim of a GitHub Actions OIDC token says it:
 * planning from any workflow run of the repository (pull requests included), deploying only from
 * a job bound to the GitHub environment of the same name (which can require reviewers).
 */
export function githubSubjects(repository: string, environment: string): { readonly plan: string; readonly deploy: string } {
  return { plan: `repo:${repository}:*`, deploy: `repo:${repository}:environment:${environment}` };
}

import type { AuthInfo } from '@modelcontextprotocol/server';

/** Who called, as the audit names them: a named token, or an OAuth token's subject and client. */
export type Caller = { readonly token: string } | { readonly sub?: string; readonly clientId: string };

/** The caller as the audit names them, from what the verifier found (`extra.tokenName` in token mode, `extra.sub` in oauth mode). */
export function callerOf(authInfo: AuthInfo | undefined): Caller | undefined {
  if (authInfo === undefined) return undefined;
  const token = authInfo.extra?.tokenName;
  if (typeof token === 'string') return { token };
  const sub = authInfo.extra?.sub;
  return typeof sub === 'string' ? { sub, clientId: authInfo.clientId } : { clientId: authInfo.clientId };
}

/** `_meta` keys the bridge itself answers for (the envelope, progress): never forwarded to a server. */
const OWN_META_KEY = /^(io\.modelcontextprotocol\/|progressToken$)/;

/** The caller's `_meta` minus what belongs to this hop (tracing and the like go on), or nothing. */
export function forwardedMeta(meta: unknown): { _meta?: Record<string, unknown> } {
  if (meta === null || typeof meta !== 'object') return {};
  const kept = Object.entries(meta).filter(([key]) => !OWN_META_KEY.test(key));
  return kept.length === 0 ? {} : { _meta: Object.fromEntries(kept) };
}

/** The params of a forwarded call (`tools/call`, `prompts/get`): the server's own name, the arguments, the caller's `_meta`. */
export function forwardedCall(name: string, params: { readonly arguments?: unknown; readonly _meta?: unknown }): Record<string, unknown> {
  return { name, ...(params.arguments === undefined ? {} : { arguments: params.arguments }), ...forwardedMeta(params._meta) };
}

import type { CallAnswer } from '../audit/tool-call-audit.js';
import type { CatalogView } from '../servers/catalog.js';
import type { FastPathTools } from './fast-path.js';
import { forwardedCall } from './forwarded-meta.js';
import { JsonRpcErrorCode } from './protocol.js';

/** What a forwarded call rejects with: the server's (or the bridge's) JSON-RPC error, naming the server. */
interface ForwardedError {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly data?: unknown;
}

/**
 * The tools of the servers behind an endpoint, for the fast path: `tools/list` from the catalog view
 * (rendered again only when a server's list changed), and a call to a tool the view has forwarded to
 * its server and answered here, result or error: a call that reached a server is never handed to the
 * SDK, which would send it again. A call the fast path does not take (an unknown tool, arguments that
 * are not an object) is the SDK's to word.
 */
export function proxiedFastPathTools(view: CatalogView): FastPathTools {
  let listed: unknown;
  let listJson = '';
  const capabilities = new Map<string, Record<string, unknown>>();
  return {
    capabilities: () => {
      const resources = view.has('resources');
      const prompts = view.has('prompts');
      const key = `${resources}${prompts}`;
      let announced = capabilities.get(key);
      if (announced === undefined) {
        announced = { tools: { listChanged: false }, ...(resources ? { resources: {} } : {}), ...(prompts ? { prompts: {} } : {}) };
        capabilities.set(key, announced);
      }
      return announced;
    },
    toolsListJson: () => {
      const tools = view.tools();
      if (tools !== listed) {
        listed = tools;
        listJson = JSON.stringify({ tools });
      }
      return listJson;
    },
    callTool: (params, reply, signal) => {
      if (typeof params.name !== 'string') return undefined;
      const args = params.arguments;
      if (args !== undefined && (args === null || typeof args !== 'object' || Array.isArray(args))) return undefined;
      let route: ReturnType<CatalogView['route']>;
      try {
        route = view.route('tools', params.name);
      } catch {
        return undefined;
      }
      return route.server.request('tools/call', forwardedCall(route.inner, params), signal()).then(
        (result) => {
          if (reply.era === 'legacy') return { ...reply.result(JSON.stringify(result)), call: { result: result as CallAnswer['result'] } };
          // A modern reply carries the bridge's result type and its `_meta`, merged with the server's.
          const { _meta: meta, resultType: _ownHop, ...rest } = result as Record<string, unknown>;
          return { ...reply.result(JSON.stringify(rest), meta as Record<string, unknown> | undefined), call: { result: result as CallAnswer['result'] } };
        },
        (error: ForwardedError) => {
          const answered =
            typeof error.code === 'number' && typeof error.message === 'string'
              ? { code: error.code, message: error.message, ...(error.data === undefined ? {} : { data: error.data }) }
              : { code: JsonRpcErrorCode.InternalError, message: 'Internal error' };
          return { ...reply.error(answered), call: { error: answered } };
        },
      );
    },
  };
}

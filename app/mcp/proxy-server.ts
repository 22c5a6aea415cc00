import { Server, type ReadResourceResult } from '@modelcontextprotocol/server';
import type { CatalogView } from '../servers/catalog.js';
import type { ForwardedMethod } from '../servers/upstream.js';
import { forwardedCall, forwardedMeta } from './forwarded-meta.js';
import type { ServerIdentity } from './server.js';

/**
 * Builds the SDK's low-level server for one request to a catalog view: the lists come from the view,
 * and `tools/call`, `resources/read` and `prompts/get` go to the server that owns the name, under its
 * own name. The SDK speaks the client's revision; each server behind speaks its own. `signal` is the
 * HTTP request's: a client that goes away cancels what it asked for.
 */
export function buildProxyServer(identity: ServerIdentity, view: CatalogView, protocolVersions: readonly string[], signal: AbortSignal): Server {
  const resources = view.has('resources');
  const prompts = view.has('prompts');
  const server = new Server(
    { ...identity },
    {
      capabilities: { tools: { listChanged: false }, ...(resources ? { resources: {} } : {}), ...(prompts ? { prompts: {} } : {}) },
      supportedProtocolVersions: [...protocolVersions],
    },
  );
  const forward = (method: ForwardedMethod, route: ReturnType<CatalogView['route']>, params: Record<string, unknown>, requestSignal: AbortSignal) =>
    route.server.request(method, params, AbortSignal.any([signal, requestSignal]));

  server.setRequestHandler('tools/list', () => ({ tools: [...view.tools()] }));
  server.setRequestHandler('tools/call', (request, ctx) => {
    const route = view.route('tools', request.params.name);
    return forward('tools/call', route, forwardedCall(route.inner, request.params), ctx.mcpReq.signal) as never;
  });
  if (resources) {
    server.setRequestHandler('resources/list', () => ({ resources: [...view.resources()] }));
    server.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: [...view.resourceTemplates()] }));
    server.setRequestHandler('resources/read', async (request, ctx) => {
      const route = view.route('resources', request.params.uri);
      const read = (await forward('resources/read', route, { uri: route.inner, ...forwardedMeta(request.params._meta) }, ctx.mcpReq.signal)) as ReadResourceResult;
      // The contents name their URIs as the server knows them: clients see them as they asked.
      return { ...read, contents: read.contents.map((content) => ({ ...content, uri: route.outerUri(content.uri) })) };
    });
  }
  if (prompts) {
    server.setRequestHandler('prompts/list', () => ({ prompts: [...view.prompts()] }));
    server.setRequestHandler('prompts/get', (request, ctx) => {
      const route = view.route('prompts', request.params.name);
      return forward('prompts/get', route, forwardedCall(route.inner, request.params), ctx.mcpReq.signal) as never;
    });
  }
  return server;
}

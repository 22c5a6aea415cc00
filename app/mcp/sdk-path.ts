import {
  createMcpHandler,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
} from '@modelcontextprotocol/server';
import type { CatalogView } from '../servers/catalog.js';
import type { ToolContext, ToolDefinition } from '../tools/tool.js';
import { buildProxyServer } from './proxy-server.js';
import { buildServer, type ServerIdentity } from './server.js';

/** Options of {@link createSdkPath}. */
export interface SdkPathOptions {
  /** Name and version announced to clients. */
  readonly identity: ServerIdentity;
  /** What it serves: the built-in tools (and what they may use while they run), or the servers of a catalog view. */
  readonly serves: { readonly tools: readonly ToolDefinition[]; readonly context: ToolContext } | { readonly view: CatalogView };
  /** The protocol revisions served, newest first. */
  readonly protocolVersions: readonly string[];
  /** Receives errors the SDK reports out of band (logged, never shown to clients). */
  readonly onError: (error: Error) => void;
  /**
   * Receives what the SDK would print to the console while it is set up (its `responseMode`
   * note), so the log stays one JSON object per line.
   * @default - printed by the SDK as it is
   */
  readonly onNotice?: (message: string) => void;
}

/** Runs `setUp` with `console.warn` sent to `notice` (when given): the SDK's set-up notes, in the log's format. */
function withConsoleNotices<T>(notice: ((message: string) => void) | undefined, setUp: () => T): T {
  if (notice === undefined) return setUp();
  const warn = console.warn;
  console.warn = (...args: unknown[]) => notice(args.map(String).join(' '));
  try {
    return setUp();
  } finally {
    console.warn = warn;
  }
}

/** Serves one parsed request through the official SDK. */
export type SdkPath = (request: Request, parsedBody: unknown, authInfo: AuthInfo | undefined) => Promise<Response>;

/**
 * The official SDK, with a new server per request: 2026-07-28 requests (per-request
 * `_meta`) go to its stateless handler, 2025-era requests to a per-request stateless
 * transport with JSON responses. Nothing is shared between requests.
 */
export function createSdkPath(options: SdkPathOptions): SdkPath {
  const { identity, serves, protocolVersions } = options;
  /** A fresh server for one request; the request's signal ends when its client goes away. */
  const newServer = (request: Request | undefined) =>
    'view' in serves
      ? buildProxyServer(identity, serves.view, protocolVersions, request?.signal ?? new AbortController().signal)
      : buildServer(identity, serves.tools, serves.context, protocolVersions);
  const modern = withConsoleNotices(options.onNotice, () => createMcpHandler((context) => newServer(context.requestInfo), { legacy: 'reject', responseMode: 'json', onerror: options.onError }));

  const legacy = async (request: Request, parsedBody: unknown, authInfo: AuthInfo | undefined) => {
    const server = newServer(request);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    transport.onerror = options.onError;
    await server.connect(transport);
    try {
      return await transport.handleRequest(request, { parsedBody, ...(authInfo === undefined ? {} : { authInfo }) });
    } finally {
      await server.close();
    }
  };

  return async (request, parsedBody, authInfo) =>
    (await isLegacyRequest(request, parsedBody))
      ? legacy(request, parsedBody, authInfo)
      : modern.fetch(request, { parsedBody, ...(authInfo === undefined ? {} : { authInfo }) });
}

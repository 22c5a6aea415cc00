import { ProtocolErrorCode, ProtocolError, type Prompt, type Resource, type ResourceTemplateType as ResourceTemplate, type Tool } from '@modelcontextprotocol/server';
import { ToolNameError } from './start-errors.js';
import type { ServerCatalog, UpstreamServer } from './upstream.js';

/** The longest tool name clients accept (the spec's SHOULD, and what hosts enforce). */
export const MAX_TOOL_NAME_LENGTH = 64;

/** Where an outer name or URI leads: the server that owns it and its own name or URI there. */
export interface Route {
  readonly server: UpstreamServer;
  /** The tool's or prompt's name, or the resource's URI, as the server knows it. */
  readonly inner: string;
  /** A URI of the server's (in what it answers) as clients see it. */
  readonly outerUri: (inner: string) => string;
}

/**
 * What a client sees at one endpoint: `/mcp` (every server; names prefixed once there is more than
 * one) or `/servers/<name>/mcp` (one server, its own names). Read afresh from the servers' catalogs,
 * so a server's `list_changed` shows at once.
 */
export interface CatalogView {
  readonly tools: () => readonly Tool[];
  readonly resources: () => readonly Resource[];
  readonly resourceTemplates: () => readonly ResourceTemplate[];
  readonly prompts: () => readonly Prompt[];
  /** Whether any server here has resources (or prompts): what the endpoint announces. */
  readonly has: (list: 'resources' | 'prompts') => boolean;
  /** The name of the server a tool call goes to, for logs and metrics (`undefined` for a tool no server has). */
  readonly serverOf: (toolName: string) => string | undefined;
  /** The server of a tool, resource or prompt by its outer name or URI, if one here has it. */
  readonly locate: (list: 'tools' | 'resources' | 'prompts', outer: string) => Route | undefined;
  /** The server of a tool, resource or prompt by its outer name or URI; a {@link ProtocolError} when none has it. */
  readonly route: (list: 'tools' | 'resources' | 'prompts', outer: string) => Route;
}

/** How a server's names look from outside: as they are, or `<server>_<name>` and `<server>+<uri>`. */
interface Naming {
  readonly name: (server: string, inner: string) => string;
  readonly uri: (server: string, inner: string) => string;
}

const OWN_NAMES: Naming = { name: (_server, inner) => inner, uri: (_server, inner) => inner };

/**
 * Server names have no `_` and no `+`, so `<server>_<tool>` and `<server>+<uri>` split at the first
 * one. `<server>+<scheme>:…` is itself a URI (`+` is allowed in a scheme).
 */
const PREFIXED: Naming = { name: (server, inner) => `${server}_${inner}`, uri: (server, inner) => `${server}+${inner}` };

/** Whether a caller may see a server's tool (by its own name), or its resources or prompts. */
export type Allows = (server: string, list: 'tools' | 'resources' | 'prompts', name: string) => boolean;

/** Everything: a view no access rules restrict. */
const EVERYTHING: Allows = () => true;

/**
 * A catalog's entries under outer names, with the way back, holding only what `allows`; rebuilt only
 * when a server's catalog changed.
 */
function namedView(servers: readonly UpstreamServer[], naming: Naming, allows: Allows = EVERYTHING): CatalogView {
  const outerUriOf = (server: UpstreamServer) => (inner: string) => naming.uri(server.name, inner);
  let seen: readonly ServerCatalog[] = [];
  let built: ReturnType<typeof build> | undefined;
  function build() {
    const tools: Tool[] = [];
    const resources: Resource[] = [];
    const resourceTemplates: ResourceTemplate[] = [];
    const prompts: Prompt[] = [];
    const routes = { tools: new Map<string, Route>(), resources: new Map<string, Route>(), prompts: new Map<string, Route>() };
    for (const server of servers) {
      const catalog = server.catalog();
      for (const tool of catalog.tools) {
        if (!allows(server.name, 'tools', tool.name)) continue;
        const name = naming.name(server.name, tool.name);
        // A tool that grew past the limit after start-up (list_changed) is left out rather than listed broken.
        if (name.length > MAX_TOOL_NAME_LENGTH) continue;
        tools.push({ ...tool, name });
        routes.tools.set(name, { server, inner: tool.name, outerUri: outerUriOf(server) });
      }
      const resourcesAllowed = allows(server.name, 'resources', '');
      for (const resource of resourcesAllowed ? catalog.resources : []) {
        const uri = naming.uri(server.name, resource.uri);
        resources.push({ ...resource, uri, name: naming.name(server.name, resource.name) });
        routes.resources.set(uri, { server, inner: resource.uri, outerUri: outerUriOf(server) });
      }
      for (const template of resourcesAllowed ? catalog.resourceTemplates : []) {
        resourceTemplates.push({ ...template, uriTemplate: naming.uri(server.name, template.uriTemplate), name: naming.name(server.name, template.name) });
      }
      for (const prompt of allows(server.name, 'prompts', '') ? catalog.prompts : []) {
        const name = naming.name(server.name, prompt.name);
        prompts.push({ ...prompt, name });
        routes.prompts.set(name, { server, inner: prompt.name, outerUri: outerUriOf(server) });
      }
    }
    return { tools, resources, resourceTemplates, prompts, routes };
  }
  const current = () => {
    const catalogs = servers.map((server) => server.catalog());
    if (built === undefined || catalogs.some((catalog, index) => catalog !== seen[index])) {
      seen = catalogs;
      built = build();
    }
    return built;
  };
  const byServer = new Map(servers.map((server) => [server.name, server]));
  const locate = (list: 'tools' | 'resources' | 'prompts', outer: string): Route | undefined => {
    const known = current().routes[list].get(outer);
    if (known !== undefined) return known;
    // A resource read through a template is not listed: its server is in its URI.
    if (list !== 'resources') return undefined;
    const server = naming === PREFIXED ? byServer.get(outer.slice(0, outer.indexOf('+'))) : servers.length === 1 ? servers[0] : undefined;
    if (server === undefined || !allows(server.name, 'resources', '')) return undefined;
    return { server, inner: naming === PREFIXED ? outer.slice(outer.indexOf('+') + 1) : outer, outerUri: outerUriOf(server) };
  };
  return {
    tools: () => current().tools,
    resources: () => current().resources,
    resourceTemplates: () => current().resourceTemplates,
    prompts: () => current().prompts,
    has: (list) => servers.some((server) => allows(server.name, list, '') && (server.catalog()[list].length > 0 || (list === 'resources' && server.catalog().resourceTemplates.length > 0))),
    serverOf: (toolName) => current().routes.tools.get(toolName)?.server.name,
    locate,
    route: (list, outer) => {
      const found = locate(list, outer);
      if (found !== undefined) return found;
      const what = list === 'tools' ? 'Tool' : list === 'prompts' ? 'Prompt' : 'Resource';
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${what} ${outer} not found`);
    },
  };
}

/** The views of a set of servers: `/mcp` and each `/servers/<name>/mcp`. */
export interface Catalog {
  /** What `/mcp` serves: every server, names prefixed when there is more than one. */
  readonly all: CatalogView;
  /** What `/servers/<name>/mcp` serves, by server name. */
  readonly byServer: ReadonlyMap<string, CatalogView>;
  /** The same views holding only what a caller may see (see `app/auth/access-policy.ts`). */
  readonly restricted: (allows: Allows) => Omit<Catalog, 'restricted'>;
}

/**
 * Builds the catalog of started servers. Throws {@link ToolNameError} when a tool's outer name is
 * longer than {@link MAX_TOOL_NAME_LENGTH}, naming the server, the tool and the name it would have.
 */
export function buildCatalog(servers: readonly UpstreamServer[]): Catalog {
  const naming = servers.length > 1 ? PREFIXED : OWN_NAMES;
  const tooLong = servers.flatMap((server) =>
    server
      .catalog()
      .tools.map((tool) => ({ server: server.name, tool: tool.name, outer: naming.name(server.name, tool.name) }))
      .filter(({ outer }) => outer.length > MAX_TOOL_NAME_LENGTH),
  );
  if (tooLong.length > 0) {
    const names = tooLong.map(({ server, tool, outer }) => `server "${server}" tool "${tool}" would be "${outer}" (${outer.length} characters)`);
    throw new ToolNameError(`Tool names longer than ${MAX_TOOL_NAME_LENGTH} characters, which clients refuse: ${names.join('; ')}. Rename the server or the tool.`);
  }
  const views = (allows: Allows) => ({
    all: namedView(servers, naming, allows),
    byServer: new Map(servers.map((server) => [server.name, namedView([server], OWN_NAMES, allows)])),
  });
  return { ...views(EVERYTHING), restricted: views };
}

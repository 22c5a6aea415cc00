/** A server that could not start: names it and what the bridge ran or reached. */
export class ServerStartError extends Error {
  override name = 'ServerStartError';
}

/** A tool whose name is too long once prefixed with its server's: a start-up error naming the tool. */
export class ToolNameError extends Error {
  override name = 'ToolNameError';
}

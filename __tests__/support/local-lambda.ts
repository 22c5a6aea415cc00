import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';
import { serveLambda } from '../../scripts/serve-lambda.js';

/** The Lambda entry served on a free loopback port, as API Gateway would invoke it. */
export async function startLocalLambda(): Promise<{ url: string; close: () => Promise<void> }> {
  vi.stubEnv('MCP_ALLOWED_HOSTS', 'localhost,127.0.0.1');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const { handler } = (await import('../../app/lambda.js')) as unknown as { handler: Parameters<typeof serveLambda>[0] };
  const server = serveLambda(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

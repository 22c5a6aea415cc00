// The forwarded requests' own lane over a server's connection, against the SDK's in-memory transport
// pair (the far end plays the server): what goes out for each revision, what comes back, and every
// way an answer can fail, raised as the SDK client raises it.
import { InMemoryTransport, SdkError, SdkErrorCode, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { ProtocolError } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { checkForwardedResult, FORWARDED_RESULT_SCHEMAS } from '../../../app/servers/forwarded-results.js';
import { openRequestLane } from '../../../app/servers/request-lane.js';

const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'bridge', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };

const opened: InMemoryTransport[] = [];
afterEach(async () => {
  for (const transport of opened.splice(0)) await transport.close();
});

/** A lane on one end of a linked pair; the far end records what it receives and answers with `reply`. */
async function lane(envelope: Record<string, unknown> | undefined, reply: (request: any) => JSONRPCMessage | undefined) {
  const [near, far] = InMemoryTransport.createLinkedPair();
  opened.push(near, far);
  const passedOn: JSONRPCMessage[] = [];
  near.onmessage = (message) => passedOn.push(message);
  const received: any[] = [];
  far.onmessage = (message) => {
    received.push(message);
    const answer = reply(message);
    if (answer !== undefined) void far.send(answer);
  };
  await near.start();
  await far.start();
  const problems: string[] = [];
  return { lane: openRequestLane(near, { envelope, onProblem: (message) => problems.push(message) }), far, received, passedOn, problems };
}
const options = (timeoutMs = 1_000, signal = new AbortController().signal) => ({ signal, timeoutMs });
const text = { content: [{ type: 'text', text: 'hi' }] };

describe('the request lane', () => {
  it('sends a 2025 request as it is, under an id of its own, and resolves with the result', async () => {
    const { lane: forward, received } = await lane(undefined, (request) => ({ jsonrpc: '2.0', id: request.id, result: text }));
    await expect(forward.send('tools/call', { name: 'echo', arguments: { n: 1 } }, options())).resolves.toEqual(text);
    expect(received).toEqual([{ jsonrpc: '2.0', id: 'bridge-1', method: 'tools/call', params: { name: 'echo', arguments: { n: 1 } } }]);
  });

  it('adds the 2026-07-28 envelope to each request, the caller\'s _meta keys winning, and drops resultType "complete"', async () => {
    const { lane: forward, received } = await lane(ENVELOPE, (request) => ({ jsonrpc: '2.0', id: request.id, result: { ...text, resultType: 'complete' } }));
    await expect(forward.send('tools/call', { name: 'echo', _meta: { traceparent: 't' } }, options())).resolves.toEqual(text);
    expect(received[0].params._meta).toEqual({ ...ENVELOPE, traceparent: 't' });
  });

  it('refuses a 2026-07-28 result that asks for input, or that does not say it is complete', async () => {
    const { lane: forward } = await lane(ENVELOPE, (request) => ({ jsonrpc: '2.0', id: request.id, result: request.params.name === 'ask' ? { resultType: 'input_required', inputRequests: {} } : text }));
    await expect(forward.send('tools/call', { name: 'ask' }, options())).rejects.toThrow('Invalid result for tools/call: it asks the client for input (input_required), which the bridge does not relay');
    await expect(forward.send('tools/call', { name: 'other' }, options())).rejects.toThrow('its resultType is undefined, not "complete"');
  });

  it("raises the server's error as a ProtocolError with its code, message and data", async () => {
    const { lane: forward } = await lane(undefined, (request) => ({ jsonrpc: '2.0', id: request.id, error: { code: -32602, message: 'bad n', data: { n: 1 } } }));
    const error = await forward.send('tools/call', { name: 'echo' }, options()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: -32602, message: expect.stringContaining('bad n'), data: { n: 1 } });
  });

  it('times out a request nobody answers, with the SDK error, and tells the server with notifications/cancelled', async () => {
    const { lane: forward, received } = await lane(undefined, () => undefined);
    const error = await forward.send('tools/call', { name: 'hang' }, options(50)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SdkError);
    expect((error as SdkError).code).toBe(SdkErrorCode.RequestTimeout);
    expect(received.at(-1)).toEqual({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'bridge-1', reason: 'no answer within 50 ms' } });
  });

  it('cancels at the server when the client goes away, and a late answer then goes to the SDK client as an unknown id', async () => {
    const { lane: forward, far, received, passedOn } = await lane(ENVELOPE, () => undefined);
    const client = new AbortController();
    const pending = forward.send('tools/call', { name: 'slow' }, options(5_000, client.signal));
    client.abort();
    await expect(pending).rejects.toMatchObject({ code: SdkErrorCode.RequestTimeout });
    expect(received.at(-1)).toEqual({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'bridge-1', reason: 'the client went away', _meta: ENVELOPE } });
    await far.send({ jsonrpc: '2.0', id: 'bridge-1', result: text });
    expect(passedOn).toEqual([{ jsonrpc: '2.0', id: 'bridge-1', result: text }]);
  });

  it('keeps answers apart when many are in flight and they come back in any order', async () => {
    const held: any[] = [];
    const { lane: forward, far } = await lane(undefined, (request) => void held.push(request));
    const calls = Array.from({ length: 20 }, (_, n) => forward.send('tools/call', { name: 'echo', arguments: { n } }, options()));
    for (const request of held.reverse()) await far.send({ jsonrpc: '2.0', id: request.id, result: { content: [{ type: 'text', text: String(request.params.arguments.n) }] } });
    expect((await Promise.all(calls)).map((result: any) => result.content[0].text)).toEqual(Array.from({ length: 20 }, (_, n) => String(n)));
  });

  it("passes every other message on to the SDK client: notifications, the server's requests, answers to the client's own ids", async () => {
    const { lane: forward, far, passedOn } = await lane(undefined, () => undefined);
    const others: JSONRPCMessage[] = [
      { jsonrpc: '2.0', method: 'notifications/tools/list_changed' },
      { jsonrpc: '2.0', id: 'bridge-9', method: 'sampling/createMessage', params: {} },
      { jsonrpc: '2.0', id: 3, result: {} },
    ];
    for (const message of others) await far.send(message);
    expect(passedOn).toEqual(others);
    forward.closeAll();
  });

  it('answers every waiting request with ConnectionClosed when the connection ends', async () => {
    const { lane: forward } = await lane(undefined, () => undefined);
    const pending = [forward.send('tools/call', { name: 'a' }, options()), forward.send('prompts/get', { name: 'b' }, options())];
    forward.closeAll();
    for (const each of pending) await expect(each).rejects.toMatchObject({ code: SdkErrorCode.ConnectionClosed });
  });
});

describe('the forwarded result check', () => {
  it.each([
    ['tools/call', 'not an object', 'it is not an object'],
    ['tools/call', {}, 'content is not an array'],
    ['tools/call', { content: [{ text: 'no type' }] }, 'content[0] has no string type'],
    ['tools/call', { content: [], isError: 'yes' }, 'isError is not a boolean'],
    ['resources/read', { contents: [{ text: 'no uri' }] }, 'contents[0] has no string uri'],
    ['prompts/get', { messages: 'none' }, 'messages is not an array'],
  ] as const)('refuses a %s result %j, saying %s', (method, value, problem) => {
    expect(checkForwardedResult(method, value, false)).toBe(problem);
  });

  it('takes results as the spec shapes them, untouched', () => {
    const results = {
      'tools/call': { content: [{ type: 'image', data: 'AA==', mimeType: 'image/png' }], structuredContent: { a: 1 }, isError: false, _meta: { k: 1 } },
      'resources/read': { contents: [{ uri: 'file:///a', text: 'a' }] },
      'prompts/get': { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }] },
    } as const;
    for (const [method, result] of Object.entries(results)) expect(checkForwardedResult(method as keyof typeof results, result, false)).toEqual({ result });
  });

  it('is the Standard Schema the SDK client checks an HTTP server\'s answers with', () => {
    expect(FORWARDED_RESULT_SCHEMAS['tools/call']['~standard'].validate({ content: 'x' })).toEqual({ issues: [{ message: 'content is not an array' }] });
    expect(FORWARDED_RESULT_SCHEMAS['tools/call']['~standard'].validate(text)).toEqual({ value: text });
  });
});

import { describe, expect, it } from 'vitest';
import * as lean from '../../app/lambda-fetch-api.js';

/** The classes a scenario runs against: the Lambda bundle's, or Node's own. */
interface FetchClasses {
  readonly Headers: typeof globalThis.Headers;
  readonly Request: typeof globalThis.Request;
  readonly Response: typeof globalThis.Response;
}

const node: FetchClasses = { Headers: globalThis.Headers, Request: globalThis.Request, Response: globalThis.Response };
const bundle = lean as unknown as FetchClasses;

/** What a scenario returns with one set of classes, or the kind of error it threw. */
async function outcome(scenario: (api: FetchClasses) => unknown, api: FetchClasses): Promise<unknown> {
  try {
    return await scenario(api);
  } catch (error) {
    return { threw: (error as Error).constructor.name };
  }
}

const pairs = (headers: Headers) => [...headers];
const read = async (stream: ReadableStream<Uint8Array> | null) => (stream === null ? null : await new globalThis.Response(stream).text());

/** Each scenario must give the same result with the bundle's classes as with Node's. */
const scenarios: Record<string, (api: FetchClasses) => unknown> = {
  'headers: names are case-insensitive, set replaces, append joins': ({ Headers }) => {
    const headers = new Headers({ 'Content-Type': 'text/plain' });
    headers.append('X-Multi', 'a');
    headers.append('x-multi', 'b');
    headers.set('CONTENT-TYPE', 'application/json');
    return [headers.get('content-type'), headers.get('X-MULTI'), headers.has('x-Multi'), headers.get('absent'), pairs(headers)];
  },
  'headers: sorted, with each set-cookie on its own': ({ Headers }) => {
    const headers = new Headers([
      ['zeta', '1'],
      ['Set-Cookie', 'a=1'],
      ['alpha', '2'],
      ['set-cookie', 'b=2'],
    ]);
    return [pairs(headers), headers.getSetCookie(), headers.get('set-cookie'), [...headers.keys()], [...headers.values()]];
  },
  'headers: delete, and forEach order': ({ Headers }) => {
    const headers = new Headers({ b: '2', a: '1', c: '3' });
    headers.delete('B');
    const seen: string[] = [];
    headers.forEach((value, name, parent) => seen.push(`${name}=${value}:${parent === headers}`));
    return seen;
  },
  'headers: values lose surrounding whitespace': ({ Headers }) => new Headers({ a: ' \t spaced \t ' }).get('a'),
  'headers: copied from Node headers and from the bundle headers': ({ Headers }) => [
    pairs(new Headers(new globalThis.Headers({ a: '1' }))),
    pairs(new Headers(new lean.Headers({ b: '2' }) as unknown as Headers)),
  ],
  'headers: an invalid name is a TypeError': ({ Headers }) => new Headers({ 'bad name': 'x' }),
  'headers: a value with a line break is a TypeError': ({ Headers }) => new Headers().set('a', 'x\r\ny: z'),
  'headers: a pair that is not a pair is a TypeError': ({ Headers }) => new Headers([['a', 'b', 'c']] as unknown as [string, string][]),
  'headers: toString tag': ({ Headers }) => Object.prototype.toString.call(new Headers()),

  'request: URL and method are normalized': ({ Request }) => {
    const request = new Request('https://Example.COM/a/../mcp?x=1', { method: 'post' });
    return [request.url, request.method, new Request('https://example.com/', { method: 'patch' }).method];
  },
  'request: the defaults a plain request has': ({ Request }) => {
    const r = new Request('https://example.com/');
    return [r.method, r.cache, r.credentials, r.destination, r.integrity, r.keepalive, r.mode, r.redirect, r.referrer, r.referrerPolicy, r.signal.aborted, r.body, r.bodyUsed];
  },
  'request: a string body reads back every way and is then used': async ({ Request }) => {
    const request = new Request('https://example.com/mcp', { method: 'POST', body: '{"jsonrpc":"2.0"}' });
    const copy = request.clone();
    const text = await request.text();
    return [text, request.bodyUsed, request.headers.get('content-type'), await copy.json(), copy.bodyUsed];
  },
  'request: a byte body has no content type and reads as bytes': async ({ Request }) => {
    const request = new Request('https://example.com/', { method: 'PUT', body: new TextEncoder().encode('héllo') });
    return [request.headers.get('content-type'), [...new Uint8Array(await request.arrayBuffer())]];
  },
  'request: the body as a stream': async ({ Request }) => read(new Request('https://example.com/', { method: 'POST', body: 'streamed' }).body),
  'request: reading twice is a TypeError': async ({ Request }) => {
    const request = new Request('https://example.com/', { method: 'POST', body: 'x' });
    await request.text();
    return request.text();
  },
  'request: a GET with a body is a TypeError': ({ Request }) => new Request('https://example.com/', { body: 'x' }),
  'request: an invalid method is a TypeError': ({ Request }) => new Request('https://example.com/', { method: 'BAD METHOD' }),
  'request: CONNECT is a TypeError': ({ Request }) => new Request('https://example.com/', { method: 'connect' }),
  'request: an invalid URL is a TypeError': ({ Request }) => new Request('not a url'),

  'response: the defaults': ({ Response }) => {
    const r = new Response();
    return [r.status, r.statusText, r.ok, r.type, r.url, r.redirected, r.body, pairs(r.headers)];
  },
  'response: status, headers and a string body': async ({ Response }) => {
    const r = new Response('missing', { status: 404, statusText: 'Not Found', headers: { 'x-a': '1' } });
    return [r.status, r.statusText, r.ok, pairs(r.headers), await r.text(), r.bodyUsed];
  },
  'response: Response.json': async ({ Response }) => {
    const plain = Response.json({ a: [1, 'two'] }, { status: 201 });
    const typed = Response.json(null, { headers: { 'Content-Type': 'application/vnd.x+json' } });
    return [plain.status, pairs(plain.headers), await plain.json(), pairs(typed.headers), await typed.text()];
  },
  'response: bytes, blob and clone': async ({ Response }) => {
    const r = new Response(new TextEncoder().encode('abc'), { headers: { 'content-type': 'application/octet-stream' } });
    const copy = r.clone();
    const blob = await copy.blob();
    return [[...(await r.bytes())], blob.type, await blob.text(), r.bodyUsed];
  },
  'response: form data': async ({ Response }) => {
    const form = await new Response('a=1&b=two', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }).formData();
    return [...form.entries()];
  },
  'response: the body as a stream': async ({ Response }) => read(new Response('streamed').body),
  'response: reading twice is a TypeError': async ({ Response }) => {
    const r = new Response('x');
    await r.text();
    return r.text();
  },
  'response: a status out of range is a RangeError': ({ Response }) => new Response(null, { status: 199 }),
  'response: a 204 with a body is a TypeError': ({ Response }) => new Response('x', { status: 204 }),
  'response: a 204 without a body': ({ Response }) => new Response(null, { status: 204 }).status,
  'response: a stream body': async ({ Response }) => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('chunked'));
        controller.close();
      },
    });
    const r = new Response(stream, { status: 202 });
    return [r.status, r instanceof Response, await r.text()];
  },
  'response: toString tag': ({ Response }) => Object.prototype.toString.call(new Response()),
};

describe("the Lambda bundle's fetch classes", () => {
  it.each(Object.keys(scenarios))('behave as Node does: %s', async (name) => {
    const scenario = scenarios[name]!;
    expect(await outcome(scenario, bundle)).toEqual(await outcome(scenario, node));
  });

  it('hand a message they do not keep themselves to Node', () => {
    const withSignal = new lean.Request('https://example.com/', { signal: new AbortController().signal });
    expect(Object.getPrototypeOf(withSignal)).toBe(globalThis.Request.prototype);
    const withStream = new lean.Response(new ReadableStream());
    expect(Object.getPrototypeOf(withStream)).toBe(globalThis.Response.prototype);
  });

  it('accept both kinds in instanceof, and nothing else', () => {
    expect(new globalThis.Response('x')).toBeInstanceOf(lean.Response);
    expect(new lean.Response('x')).toBeInstanceOf(lean.Response);
    expect(new globalThis.Request('https://example.com/')).toBeInstanceOf(lean.Request);
    expect(new lean.Request('https://example.com/')).toBeInstanceOf(lean.Request);
    expect(new globalThis.Headers()).toBeInstanceOf(lean.Headers);
    expect(new lean.Headers()).toBeInstanceOf(lean.Headers);
    expect(new lean.Request('https://example.com/')).not.toBeInstanceOf(lean.Response);
    expect(new lean.Response('x')).not.toBeInstanceOf(lean.Headers);
    for (const other of [{ status: 200 }, null, 'Response', { constructor: { name: 'Response' } }]) {
      expect(other instanceof lean.Response).toBe(false);
      expect(other instanceof lean.Headers).toBe(false);
    }
  });

  it('are accepted by Node in its own constructors', async () => {
    const headers = new lean.Headers({ 'x-a': '1' }) as unknown as Headers;
    const response = new globalThis.Response('body', { headers });
    expect(response.headers.get('x-a')).toBe('1');
    const request = new globalThis.Request('https://example.com/', { headers });
    expect(request.headers.get('x-a')).toBe('1');
  });
});

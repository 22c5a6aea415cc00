// The fetch API's Headers, Request and Response as the Lambda bundle sees them.
//
// Node builds its own (undici) the first time any of the three is touched. That takes about
// 40 ms here, most of what a cold start spends on its first response. scripts/build.ts injects
// these classes into the Lambda bundle in place of the globals (esbuild `inject`), so a cold
// start answered from strings never loads undici. Nothing global is replaced: code outside the
// bundle, and `globalThis.Request` inside it, still get Node's classes.
//
// Headers are kept in a Map and bodies as a string or bytes. A message built from anything
// else (a stream, a Blob, form data, an abort signal, another Request) is built by Node's own
// class instead, and `instanceof` accepts both kinds.

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_IN_VALUE = /[\0\r\n]/;
const SURROUNDING_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const TEXT_PLAIN = 'text/plain;charset=UTF-8';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Whether `value` is an instance of the fetch class `name` as Node implements it (never loads undici for other values). */
function isNodeInstance(value: unknown, name: 'Headers' | 'Request' | 'Response'): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value.constructor as { name?: string } | undefined)?.name === name &&
    value instanceof globalThis[name]
  );
}

function headerName(name: string): string {
  if (!TOKEN.test(name)) throw new TypeError(`Headers: invalid header name "${name}"`);
  return name.toLowerCase();
}

function headerValue(value: string): string {
  const normalized = String(value).replace(SURROUNDING_WHITESPACE, '');
  if (FORBIDDEN_IN_VALUE.test(normalized)) throw new TypeError('Headers: invalid header value');
  return normalized;
}

/** The fetch API's `Headers`, held in a Map. */
export class Headers implements globalThis.Headers {
  /** Lower-case name to the values in the order they were appended. */
  readonly #values = new Map<string, string[]>();

  constructor(init?: HeadersInit) {
    if (init === undefined || init === null) return;
    const pairs: Iterable<readonly string[]> =
      Symbol.iterator in init ? (init as Iterable<readonly string[]>) : Object.entries(init as Record<string, string>);
    for (const pair of pairs) {
      if (pair.length !== 2) throw new TypeError('Headers: each header needs exactly a name and a value');
      this.append(pair[0]!, pair[1]!);
    }
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return (typeof value === 'object' && value !== null && #values in value) || isNodeInstance(value, 'Headers');
  }

  append(name: string, value: string): void {
    const key = headerName(name);
    const normalized = headerValue(value);
    const values = this.#values.get(key);
    if (values === undefined) this.#values.set(key, [normalized]);
    else values.push(normalized);
  }

  set(name: string, value: string): void {
    this.#values.set(headerName(name), [headerValue(value)]);
  }

  get(name: string): string | null {
    return this.#values.get(headerName(name))?.join(', ') ?? null;
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])];
  }

  has(name: string): boolean {
    return this.#values.has(headerName(name));
  }

  delete(name: string): void {
    this.#values.delete(headerName(name));
  }

  forEach(callback: (value: string, name: string, parent: globalThis.Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this) callback.call(thisArg, value, name, this);
  }

  /** Names in sorted order, each `set-cookie` on its own and other repeated names joined with ", " (as the spec sorts them). */
  *entries(): HeadersIterator<[string, string]> {
    for (const name of [...this.#values.keys()].sort()) {
      const values = this.#values.get(name)!;
      if (name === 'set-cookie') for (const value of values) yield [name, value];
      else yield [name, values.join(', ')];
    }
    return undefined;
  }

  *keys(): HeadersIterator<string> {
    for (const [name] of this.entries()) yield name;
    return undefined;
  }

  *values(): HeadersIterator<string> {
    for (const [, value] of this.entries()) yield value;
    return undefined;
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }
}

/** A body this module keeps itself; anything else goes to Node's classes. */
type PlainBody = string | Uint8Array | ArrayBuffer | null | undefined;

function isPlainBody(body: unknown): body is PlainBody {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer;
}

/** What a Request and a Response share (the spec's Body mixin, and their headers) for a plain body. */
abstract class PlainBodyMessage {
  readonly headers: globalThis.Headers;
  #body: string | Uint8Array<ArrayBuffer> | null;
  #used = false;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | undefined;

  /** A string body is `text/plain;charset=UTF-8` unless the headers say otherwise, as the spec's "extract a body" has it. */
  protected constructor(body: PlainBody, headers: HeadersInit | undefined) {
    this.#body =
      body === undefined || body === null ? null : body instanceof ArrayBuffer ? new Uint8Array(body) : (body as string | Uint8Array<ArrayBuffer>);
    this.headers = new Headers(headers);
    if (typeof body === 'string' && !this.headers.has('content-type')) this.headers.set('content-type', TEXT_PLAIN);
  }

  /** The body as given, for `clone()`. */
  protected get plainBody(): string | Uint8Array<ArrayBuffer> | null {
    return this.#body;
  }

  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (this.#body === null) return null;
    this.#stream ??= new Blob([this.#body]).stream();
    return this.#stream;
  }

  get bodyUsed(): boolean {
    return this.#used || this.#stream?.locked === true;
  }

  #take(): string | Uint8Array<ArrayBuffer> {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#body ?? '';
  }

  async text(): Promise<string> {
    const body = this.#take();
    return typeof body === 'string' ? body : decoder.decode(body);
  }

  async json(): Promise<any> {
    return JSON.parse(await this.text());
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    const body = this.#take();
    return typeof body === 'string' ? encoder.encode(body) : new Uint8Array(body);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer;
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.bytes()], { type: this.headers.get('content-type') ?? '' });
  }

  async formData(): Promise<FormData> {
    return new globalThis.Response(await this.bytes(), { headers: this.headers }).formData();
  }
}

/** Request init members this module handles; any other member goes to Node's class. */
const PLAIN_REQUEST_INIT = new Set(['method', 'headers', 'body']);
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

function requestMethod(method: string | undefined): string {
  if (method === undefined) return 'GET';
  if (!TOKEN.test(method)) throw new TypeError(`Request: "${method}" is not a valid HTTP method`);
  const upper = method.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`Request: "${method}" HTTP method is unsupported`);
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

/** The fetch API's `Request` for a URL with a method, headers and a plain body. */
export class Request extends PlainBodyMessage implements globalThis.Request {
  readonly url!: string;
  readonly method!: string;
  #signal: AbortSignal | undefined;

  constructor(input: RequestInfo | URL, init: RequestInit = {}) {
    const plain =
      (typeof input === 'string' || input instanceof URL) &&
      isPlainBody(init.body) &&
      Object.keys(init).every((key) => PLAIN_REQUEST_INIT.has(key));
    // A constructor may return another object: this one is Node's own, which `instanceof Request` accepts.
    if (!plain) return new globalThis.Request(input, init) as unknown as Request;
    super(init.body as PlainBody, init.headers);
    this.url = new URL(input).href;
    this.method = requestMethod(init.method);
    if ((this.method === 'GET' || this.method === 'HEAD') && init.body !== undefined && init.body !== null) {
      throw new TypeError('Request with GET/HEAD method cannot have body.');
    }
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return Request.prototype.isPrototypeOf(value as object) || isNodeInstance(value, 'Request');
  }

  // What the spec gives a request built from a URL and a plain init.
  get cache(): RequestCache { return 'default'; }
  get credentials(): RequestCredentials { return 'same-origin'; }
  get destination(): RequestDestination { return ''; }
  get integrity(): string { return ''; }
  get keepalive(): boolean { return false; }
  get mode(): RequestMode { return 'cors'; }
  get redirect(): RequestRedirect { return 'follow'; }
  get referrer(): string { return 'about:client'; }
  get referrerPolicy(): ReferrerPolicy { return ''; }

  /** A signal that never aborts: a Lambda invocation cannot be cancelled by its caller. */
  get signal(): AbortSignal {
    this.#signal ??= new AbortController().signal;
    return this.#signal;
  }

  clone(): Request {
    if (this.bodyUsed) throw new TypeError('Request.clone: Body has already been consumed.');
    return new Request(this.url, { method: this.method, headers: this.headers, body: this.plainBody });
  }

  get [Symbol.toStringTag](): string {
    return 'Request';
  }
}

/** The fetch API's `Response` for a plain body. */
export class Response extends PlainBodyMessage implements globalThis.Response {
  readonly status!: number;
  readonly statusText!: string;

  constructor(body?: BodyInit | null, init: ResponseInit = {}) {
    // A constructor may return another object: this one is Node's own, which `instanceof Response` accepts.
    if (!isPlainBody(body)) return new globalThis.Response(body, init) as unknown as Response;
    super(body, init.headers);
    this.status = init.status ?? 200;
    if (!Number.isInteger(this.status) || this.status < 200 || this.status > 599) {
      throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`);
    }
    if (NULL_BODY_STATUSES.has(this.status) && body !== undefined && body !== null) {
      throw new TypeError('Response constructor: Invalid response status code ' + this.status);
    }
    this.statusText = init.statusText ?? '';
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return Response.prototype.isPrototypeOf(value as object) || isNodeInstance(value, 'Response');
  }

  /** A JSON response, as `Response.json()`. */
  static json(data: unknown, init: ResponseInit = {}): Response {
    const response = new Response(JSON.stringify(data), init);
    if (!new Headers(init.headers).has('content-type')) response.headers.set('content-type', 'application/json');
    return response;
  }

  static error(): globalThis.Response {
    return globalThis.Response.error();
  }

  static redirect(url: string | URL, status?: number): globalThis.Response {
    return globalThis.Response.redirect(url, status);
  }

  get type(): ResponseType {
    return 'default';
  }

  get url(): string {
    return '';
  }

  get redirected(): boolean {
    return false;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  clone(): Response {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    return new Response(this.plainBody, { status: this.status, statusText: this.statusText, headers: this.headers });
  }

  get [Symbol.toStringTag](): string {
    return 'Response';
  }
}

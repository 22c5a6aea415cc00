// The server list's contract: the shape an environment's config and MCP_SERVERS_FILE share, and
// the error that names every bad field by its path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServerList, readServerList, ServerListError } from '../../../app/servers/server-list.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('parseServerList', () => {
  it('reads every kind, with the defaults filled in, in the order given', () => {
    const list = parseServerList(
      {
        servers: {
          tools: { builtin: {} },
          memory: { stdio: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: { MEMORY_FILE_PATH: '/tmp/memory.json', API_KEY: { secret: 'MEMORY_KEY' } } } },
          search: { http: { url: 'http://127.0.0.1:9000/mcp', headers: { Authorization: { secret: 'SEARCH_TOKEN' } } } },
        },
      },
      'servers.json',
    );
    expect(list).toEqual([
      { name: 'tools', server: { builtin: {} } },
      {
        name: 'memory',
        server: {
          stdio: {
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-memory'],
            env: { MEMORY_FILE_PATH: '/tmp/memory.json', API_KEY: { secret: 'MEMORY_KEY' } },
            startTimeoutMs: 10_000,
            maxInFlight: 32,
          },
        },
      },
      { name: 'search', server: { http: { url: 'http://127.0.0.1:9000/mcp', headers: { Authorization: { secret: 'SEARCH_TOKEN' } }, startTimeoutMs: 10_000, maxInFlight: 32 } } },
    ]);
  });

  it.each<[string, unknown, string]>([
    ['not an object', [], 'servers.json: expected an object {"servers": {...}}'],
    ['no servers', { servers: {} }, 'servers.json: servers: name at least one server'],
    ['an unknown top-level field', { servers: { tools: { builtin: {} } }, server: {} }, 'servers.json: server: unknown field'],
    ['a name with "_"', { servers: { my_tools: { builtin: {} } } }, 'servers.my_tools: a server name is 1-20 lowercase letters'],
    ['a name over 20 characters', { servers: { 'a-very-long-server-name': { builtin: {} } } }, 'servers.a-very-long-server-name: a server name'],
    ['no kind', { servers: { memory: {} } }, 'servers.memory: give exactly one kind: builtin, stdio or http'],
    ['two kinds', { servers: { memory: { builtin: {}, stdio: { command: 'x' } } } }, 'servers.memory: give exactly one kind: builtin, stdio or http (beside an optional audit) (found "builtin", "stdio")'],
    ['an unknown kind', { servers: { memory: { docker: {} } } }, '(found "docker")'],
    ['an empty command', { servers: { memory: { stdio: { command: '' } } } }, 'servers.memory.stdio.command: name the program to run'],
    ['arguments that are not strings', { servers: { memory: { stdio: { command: 'x', args: [1] } } } }, 'servers.memory.stdio.args.0:'],
    ['a bad variable name', { servers: { memory: { stdio: { command: 'x', env: { 'MY-KEY': 'v' } } } } }, 'servers.memory.stdio.env.MY-KEY: an environment variable name'],
    ['a bad secret reference', { servers: { memory: { stdio: { command: 'x', env: { KEY: { secret: 'my key' } } } } } }, 'servers.memory.stdio.env.KEY'],
    ['a start timeout out of bounds', { servers: { memory: { stdio: { command: 'x', startTimeoutMs: 10 } } } }, 'servers.memory.stdio.startTimeoutMs:'],
    ['an unknown stdio field', { servers: { memory: { stdio: { command: 'x', cmd: 'y' } } } }, 'servers.memory.stdio: unknown field "cmd"'],
    ['a URL that is not http', { servers: { search: { http: { url: 'ftp://example.com/mcp' } } } }, 'servers.search.http.url: an http:// or https:// URL'],
    ['an http in-flight bound out of bounds', { servers: { search: { http: { url: 'https://example.com/mcp', maxInFlight: 0 } } } }, 'servers.search.http.maxInFlight:'],
    ['a bad header name', { servers: { search: { http: { url: 'https://example.com/mcp', headers: { 'Bad Header': 'x' } } } } }, 'servers.search.http.headers.Bad Header: an HTTP header name'],
    ['two builtin servers', { servers: { a: { builtin: {} }, b: { builtin: {} } } }, 'servers: at most one builtin server'],
    ['an audit that is not a boolean', { servers: { memory: { stdio: { command: 'x' }, audit: { arguments: 'yes' } } } }, 'servers.memory.audit.arguments:'],
    ['an unknown audit field', { servers: { memory: { stdio: { command: 'x' }, audit: { results: true } } } }, 'servers.memory.audit: unknown field "results"'],
    ['an empty field to redact', { servers: { memory: { stdio: { command: 'x' }, audit: { redact: [''] } } } }, 'servers.memory.audit.redact.0:'],
    ['an audit alone', { servers: { memory: { audit: {} } } }, 'servers.memory: give exactly one kind'],
  ])('refuses %s, naming the field', (_case, value, message) => {
    expect(() => parseServerList(value, 'servers.json')).toThrowError(ServerListError);
    expect(() => parseServerList(value, 'servers.json')).toThrowError(message);
  });

  it('keeps a server\'s audit options beside its kind, with defaults', () => {
    const [entry] = parseServerList({ servers: { memory: { stdio: { command: 'x' }, audit: { arguments: true, redact: ['password'] } } } }, 'servers.json');
    expect(entry!.server.audit).toEqual({ arguments: true, result: false, redact: ['password'] });
    expect('stdio' in entry!.server).toBe(true);
  });

  it('names every problem at once', () => {
    const attempt = () => parseServerList({ servers: { Bad: { builtin: {} }, memory: { stdio: { command: '' } } } }, 'servers.json');
    expect(attempt).toThrowError(/servers\.Bad: a server name.*; servers\.memory\.stdio\.command: name the program to run/);
  });
});

describe('readServerList', () => {
  const file = (text: string) => {
    const folder = mkdtempSync(join(tmpdir(), 'server-list-'));
    folders.push(folder);
    const path = join(folder, 'servers.json');
    writeFileSync(path, text);
    return path;
  };

  it('reads a servers file', () => {
    expect(readServerList({ file: file('{"servers": {"tools": {"builtin": {}}}}') })).toEqual([{ name: 'tools', server: { builtin: {} } }]);
  });

  it('names the file when it is missing or not JSON', () => {
    const missing = join(tmpdir(), 'no-such-servers-file.json');
    expect(() => readServerList({ file: missing })).toThrowError(`${missing}: cannot read the servers file (ENOENT)`);
    const broken = file('{"servers": ');
    expect(() => readServerList({ file: broken })).toThrowError(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`));
  });

  it('reads the list inline (MCP_SERVERS, as a deploy sets it), naming the variable when it is wrong', () => {
    expect(readServerList({ inline: '{"servers": {"search": {"http": {"url": "http://127.0.0.1:9000/mcp"}}}}' })).toEqual([{ name: 'search', server: { http: { url: 'http://127.0.0.1:9000/mcp', headers: {}, startTimeoutMs: 10_000, maxInFlight: 32 } } }]);
    expect(() => readServerList({ inline: '{"servers":' })).toThrowError(/^MCP_SERVERS: not valid JSON/);
    expect(() => readServerList({ inline: '{"servers": {"search": {"http": {}}}}' })).toThrowError(/^MCP_SERVERS: servers\.search\.http\.url:/);
  });
});

/**
 * The one way providers talk HTTP (lib/providers/http.ts), against a loopback server that records
 * what reaches it: connections kept alive between calls, redirects never followed, the size cap
 * and an answer cut short, whatever the transport underneath.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Agent } from 'node:http';
import { httpRequest } from '../../../lib/providers/http';
import { exchange, keptAlive } from '../../../lib/providers/transport';
import { closedPort } from '../../integration/secsign-id/setup';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface Recorded {
  url: string;
  connections: number;
  requests: { method: string; path: string; body: string; headers: IncomingMessage['headers'] }[];
}

const servers: Server[] = [];

async function serve(handler: Handler): Promise<Recorded> {
  const recorded: Recorded = { url: '', connections: 0, requests: [] };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      recorded.requests.push({ method: req.method ?? '', path: req.url ?? '', body, headers: req.headers });
      handler(req, res, body);
    });
  });
  server.on('connection', () => (recorded.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  recorded.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return recorded;
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

const json = (res: ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
};

describe('httpRequest', () => {
  it('sends the method, headers and body, and answers the status, headers and body', async () => {
    const server = await serve((_req, res, body) => {
      res.setHeader('Retry-After', '7');
      json(res, 201, { echoed: body });
    });
    const answer = await httpRequest(`${server.url}/api/start?x=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Basic abc' },
      body: 'user=älice',
      timeoutMs: 5000,
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(answer.text())).toEqual({ echoed: 'user=älice' });
    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/api/start?x=1',
        body: 'user=älice',
        headers: expect.objectContaining({
          authorization: 'Basic abc',
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(Buffer.byteLength('user=älice')),
        }),
      }),
    ]);
  });

  it('sends the Accept and User-Agent that fetch sent, unless the caller names its own', async () => {
    const server = await serve((_req, res) => json(res, 200, { ok: true }));
    await httpRequest(`${server.url}/`, { method: 'POST', body: '{}', timeoutMs: 5000 });
    await httpRequest(`${server.url}/`, {
      method: 'GET',
      headers: { Accept: 'application/json', 'User-Agent': 'app/1' },
      timeoutMs: 5000,
    });
    expect(server.requests.map((r) => [r.headers.accept, r.headers['user-agent']])).toEqual([
      ['*/*', 'node'],
      ['application/json', 'app/1'],
    ]);
  });

  it('asks for an answer without compression (it decompresses none)', async () => {
    const server = await serve((_req, res) => json(res, 200, { ok: true }));
    await httpRequest(`${server.url}/`, { method: 'POST', body: '{}', timeoutMs: 5000 });
    expect(server.requests[0]?.headers['accept-encoding']).toBe('identity');
  });

  it('refuses an endpoint with credentials in its URL, as fetch did, before anything is sent', async () => {
    const server = await serve((_req, res) => json(res, 200, { ok: true }));
    const withCredentials = server.url.replace('http://', 'http://user:secret@');
    await expect(
      httpRequest(`${withCredentials}/`, { method: 'POST', body: '{}', timeoutMs: 5000 }),
    ).rejects.toMatchObject({ name: 'PushError', kind: 'protocol' });
    expect(server.requests).toEqual([]);
    expect(server.connections).toBe(0);
  });

  it('keeps the connection to the provider for the next call', async () => {
    const server = await serve((_req, res) => json(res, 200, { ok: true }));
    for (let i = 0; i < 3; i += 1) {
      const answer = await httpRequest(`${server.url}/state`, {
        method: 'POST',
        body: '{}',
        timeoutMs: 5000,
      });
      expect(answer.status).toBe(200);
    }
    expect(server.requests).toHaveLength(3);
    expect(server.connections).toBe(1);
  });

  it("keeps an idle connection as fetch did: the server's Keep-Alive hint less a second, else 4 s", async () => {
    const idleTimeouts: (number | undefined)[] = [];
    for (const keepAliveTimeout of [60_000, 0]) {
      const server = await serve((_req, res) => json(res, 200, { ok: true }));
      // 60 s: `Keep-Alive: timeout=60`; 0: no hint at all.
      (servers[servers.length - 1] as Server).keepAliveTimeout = keepAliveTimeout;
      const agent = keptAlive((options) => new Agent(options));
      await exchange(
        new URL(server.url),
        {
          method: 'POST',
          headers: undefined,
          body: '{}',
          signal: new AbortController().signal,
          maxResponseBytes: 1024,
        },
        agent,
      );
      const free = Object.values(agent.freeSockets).flat();
      idleTimeouts.push(free[0]?.timeout);
      agent.destroy();
    }
    expect(idleTimeouts).toEqual([59_000, 4_000]);
  });

  it("lets an idle connection go before the provider's announced keep-alive timeout ends", async () => {
    const server = await serve((_req, res) => {
      res.setHeader('Keep-Alive', 'timeout=2');
      json(res, 200, { ok: true });
    });
    const idle = servers[servers.length - 1] as Server;
    idle.keepAliveTimeout = 600_000; // only the client may close it
    const closed = new Promise<void>((resolve) =>
      idle.once('connection', (socket: Socket) => socket.once('close', () => resolve())),
    );
    await httpRequest(`${server.url}/state`, { method: 'POST', body: '{}', timeoutMs: 5000 });
    await closed; // the client closed it, a second before the announced two
  });

  it('never follows a redirect: the answer is refused with its status, and the target never called', async () => {
    const elsewhere = await serve((_req, res) => json(res, 200, { ok: true }));
    const server = await serve((_req, res) => {
      res.writeHead(307, { Location: `${elsewhere.url}/steal` });
      res.end();
    });
    const error: unknown = await httpRequest(`${server.url}/auth`, {
      method: 'POST',
      body: 'secret=1',
      timeoutMs: 5000,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'PushError',
      kind: 'protocol',
      code: 'http_status',
      retryable: false,
      details: { status: 307 },
    });
    expect((error as Error).message).toContain('redirect');
    expect(elsewhere.requests).toEqual([]);
  });

  it('answers a 304 with its status, not as a redirect (it sends no conditional request)', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(304);
      res.end();
    });
    const answer = await httpRequest(`${server.url}/`, { method: 'GET', timeoutMs: 5000 });
    expect(answer.status).toBe(304); // the provider's own rules decide what it means
  });

  it('settles an unasked switch of protocols (HTTP 101) as a retryable reset, never hanging past it', async () => {
    const server = await serve((req) => {
      req.socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: other\r\n\r\n');
    });
    await expect(
      httpRequest(`${server.url}/`, { method: 'POST', body: '{}', timeoutMs: 60_000 }),
    ).rejects.toMatchObject({ kind: 'protocol', code: 'reset', retryable: true });
  });

  it('refuses an answer past the cap, whether announced by Content-Length or not', async () => {
    const announced = await serve((_req, res) => json(res, 200, { pad: 'x'.repeat(5000) }));
    const chunked = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      for (let i = 0; i < 10; i += 1) res.write('x'.repeat(1000));
      res.end();
    });
    for (const server of [announced, chunked]) {
      await expect(
        httpRequest(`${server.url}/`, { method: 'POST', timeoutMs: 5000, maxResponseBytes: 2048 }),
      ).rejects.toMatchObject({ kind: 'protocol', code: 'too_large' });
    }
  });

  it('turns an answer cut short into a retryable reset, and a refused connection into connect', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"half":');
      res.socket?.destroy();
    });
    await expect(httpRequest(`${server.url}/`, { method: 'POST', timeoutMs: 5000 })).rejects.toMatchObject({
      code: 'reset',
      retryable: true,
    });
    const nobody = `http://127.0.0.1:${await closedPort()}`;
    await expect(httpRequest(`${nobody}/`, { method: 'POST', timeoutMs: 5000 })).rejects.toMatchObject({
      code: 'connect',
      retryable: true,
    });
  });

  it('answers a caller who gave up with aborted, and a silent provider with timeout', async () => {
    const server = await serve(() => undefined); // never answers
    const gaveUp = new AbortController();
    const pending = httpRequest(`${server.url}/`, {
      method: 'POST',
      timeoutMs: 60_000,
      signal: gaveUp.signal,
    });
    gaveUp.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted', retryable: true });
    await expect(httpRequest(`${server.url}/`, { method: 'POST', timeoutMs: 50 })).rejects.toMatchObject({
      code: 'timeout',
      retryable: true,
    });
  });
});

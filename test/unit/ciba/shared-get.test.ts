/**
 * openid-client's fetch shares one GET per URL among the callers in flight (the OP's keys, needed by
 * many checks at once at a surge), and one caller giving up does not fail the others.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFetch } from '../../../lib/providers/ciba/openid';

async function heldKeysServer() {
  const held: ServerResponse[] = [];
  let requests = 0;
  let arrived: () => void = () => undefined;
  const firstArrived = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer((_req, res) => {
    requests += 1;
    held.push(res);
    arrived();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  return {
    url,
    firstArrived,
    requests: () => requests,
    release: () => {
      for (const res of held.splice(0)) {
        res.setHeader('Content-Type', 'application/json');
        res.end('{"keys":[]}');
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('GETs of one URL in flight together share one request; POSTs never do', async () => {
  const keys = await heldKeysServer();
  try {
    const fetch = createFetch(5000);
    const get = () => fetch(keys.url, { method: 'GET', headers: {}, body: undefined, redirect: 'manual' });
    const answers = Promise.all([get(), get(), get()]);
    await keys.firstArrived;
    keys.release();
    const bodies = await Promise.all((await answers).map((answer) => answer.text()));
    expect(bodies).toEqual(['{"keys":[]}', '{"keys":[]}', '{"keys":[]}']);
    expect(keys.requests()).toBe(1);
    // Once answered, the next GET is a request of its own (nothing is cached here).
    const again = get();
    await new Promise<void>((resolve) => {
      const wait = () => (keys.requests() === 2 ? resolve() : setImmediate(wait));
      wait();
    });
    keys.release();
    expect((await again).status).toBe(200);
  } finally {
    await keys.close();
  }
});

test('a caller that gives up is answered "aborted"; the others sharing its GET still get the answer', async () => {
  const keys = await heldKeysServer();
  try {
    const fetch = createFetch(5000);
    const giving = new AbortController();
    const first = fetch(keys.url, {
      method: 'GET',
      headers: {},
      body: undefined,
      redirect: 'manual',
      signal: giving.signal,
    });
    const second = fetch(keys.url, { method: 'GET', headers: {}, body: undefined, redirect: 'manual' });
    await keys.firstArrived;
    giving.abort();
    await expect(first).rejects.toMatchObject({ code: 'aborted', retryable: true });
    keys.release();
    expect(await (await second).text()).toBe('{"keys":[]}');
    expect(keys.requests()).toBe(1);
  } finally {
    await keys.close();
  }
});

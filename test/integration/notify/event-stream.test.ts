/**
 * The status stream over a real HTTP connection on loopback (Express 5, and Express 4 in that jest
 * project): headers that keep proxies and caches out of the way, one `state` event per state, the
 * end at a final state, and nothing left behind (timer, bus subscription, listeners) once the
 * client is gone. The client side (test/helpers/event-stream-client.ts) parses the raw stream as a browser's
 * EventSource would.
 */
import express from 'express';
import { request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryNotificationBus } from '../../../lib/core/notification-bus';
import { streamStates, type EventStreamEnd, type EventStreamOptions } from '../../../lib/web/event-stream';
import { notifiedStates } from '../../../lib/web/notified-states';
import { openEventStream, type EventBlock, type EventStreamClient } from '../../helpers/event-stream-client';

interface Status {
  state: string;
  detail?: string;
}

/** The next `state` event, skipping heartbeats and the retry hint. */
async function nextState(client: EventStreamClient): Promise<Status | null> {
  return (await client.nextState()) as Status | null;
}

const open = (url: string, method = 'GET') => openEventStream(url, { method });

describe('streamStates over HTTP', () => {
  let server: Server;
  let base: string;
  const bus = new MemoryNotificationBus();
  let current: Status = { state: 'pending' };
  let failRead = false;
  let options: EventStreamOptions<Status> = {};
  /** What each stream's handler resolved with, and the response it wrote, in request order. */
  const streams: { ended: Promise<EventStreamEnd>; res: ServerResponse; closeListenersBefore: number }[] = [];

  beforeAll(async () => {
    const app = express();
    app.get('/status', (req, res) => {
      const closeListenersBefore = res.listenerCount('close');
      const ended = streamStates(
        req,
        res,
        (signal) =>
          notifiedStates(
            bus,
            'c1',
            async () => {
              if (failRead) throw new Error('session store down');
              return current;
            },
            { signal, recheckMs: 60_000 },
          ),
        options,
      );
      ended.catch(() => undefined);
      streams.push({ ended, res, closeListenersBefore });
    });
    // Starts streaming only once the client has already gone (a slow session store, say).
    app.get('/late', (req, res) => {
      res.once('close', () => {
        const ended = streamStates(req, res, (signal) =>
          notifiedStates(bus, 'c1', async () => current, { signal, recheckMs: 60_000 }),
        );
        ended.catch(() => undefined);
        streams.push({ ended, res, closeListenersBefore: res.listenerCount('close') });
        lateStarted();
      });
      lateReached();
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    current = { state: 'pending' };
    failRead = false;
    options = {};
  });

  afterEach(() => jest.restoreAllMocks());

  let lateReached = () => undefined as void;
  let lateStarted = () => undefined as void;
  const latest = () => streams[streams.length - 1] as (typeof streams)[number];

  it('answers with headers that keep caches and proxy buffering out, and a retry hint first', async () => {
    options = { retryMs: 2500 };
    const client = await open(`${base}/status`);
    expect(client.response.statusCode).toBe(200);
    expect(client.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(client.response.headers['cache-control']).toBe('no-store');
    expect(client.response.headers['x-accel-buffering']).toBe('no');
    await expect(client.next()).resolves.toEqual({ retry: 2500 });
    client.close();
    await expect(latest().ended).resolves.toBe('client-closed');
  });

  it('pushes each new state as it is notified, and ends at the final one', async () => {
    const client = await open(`${base}/status`);
    await expect(nextState(client)).resolves.toEqual({ state: 'pending' });
    current = { state: 'fetched' };
    await bus.publish('c1', { type: 'check' });
    await expect(nextState(client)).resolves.toEqual({ state: 'fetched' });
    current = { state: 'approved' };
    await bus.publish('c1', { type: 'settled', state: 'approved' });
    await expect(nextState(client)).resolves.toEqual({ state: 'approved' });
    await expect(client.next()).resolves.toBeNull();
    await expect(latest().ended).resolves.toBe('final');
    expect(bus.listenerCount('c1')).toBe(0);
  });

  it('ends at once when the first state is already final', async () => {
    current = { state: 'denied', detail: 'Denied on the phone' };
    const client = await open(`${base}/status`);
    await expect(nextState(client)).resolves.toEqual({ state: 'denied', detail: 'Denied on the phone' });
    await expect(client.next()).resolves.toBeNull();
    await expect(latest().ended).resolves.toBe('final');
  });

  it('a custom isFinal decides where the stream ends', async () => {
    options = { isFinal: (status) => status.state === 'fetched' };
    current = { state: 'fetched' };
    const client = await open(`${base}/status`);
    await expect(nextState(client)).resolves.toEqual({ state: 'fetched' });
    await expect(client.next()).resolves.toBeNull();
  });

  it('sends heartbeat comments while it waits', async () => {
    options = { heartbeatMs: 5 };
    const client = await open(`${base}/status`);
    let block: EventBlock | null;
    do block = await client.next();
    while (block !== null && block.comment === undefined);
    expect(block).toEqual({ comment: 'heartbeat' });
    client.close();
    await latest().ended;
  });

  it('when the client goes away: no heartbeat timer, no bus subscription, no listener is left', async () => {
    const setIntervalSpy = jest.spyOn(global, 'setInterval');
    const clearIntervalSpy = jest.spyOn(global, 'clearInterval');
    const client = await open(`${base}/status`);
    await expect(nextState(client)).resolves.toEqual({ state: 'pending' });
    expect(bus.listenerCount('c1')).toBe(1);
    client.close();
    await expect(latest().ended).resolves.toBe('client-closed');
    const call = setIntervalSpy.mock.calls.findIndex(([, delay]) => delay === 15_000);
    const heartbeat = setIntervalSpy.mock.results[call]?.value as unknown;
    expect(heartbeat).toBeDefined();
    expect(clearIntervalSpy).toHaveBeenCalledWith(heartbeat);
    expect(bus.listenerCount('c1')).toBe(0);
    expect(latest().res.listenerCount('close')).toBe(latest().closeListenersBefore);
  });

  it('ends the stream and reports the error when the source fails', async () => {
    failRead = true;
    const client = await open(`${base}/status`);
    await expect(nextState(client)).resolves.toBeNull();
    await expect(latest().ended).rejects.toThrow('session store down');
    expect(bus.listenerCount('c1')).toBe(0);
  });

  it('answers HEAD with the headers only and never reads the source', async () => {
    const client = await open(`${base}/status`, 'HEAD');
    expect(client.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await expect(client.next()).resolves.toBeNull();
    await expect(latest().ended).resolves.toBe('headers-only');
    expect(bus.listenerCount('c1')).toBe(0);
  });

  it('a client gone before the stream starts: nothing is read, subscribed or scheduled', async () => {
    const setIntervalSpy = jest.spyOn(global, 'setInterval');
    const reached = new Promise<void>((resolve) => (lateReached = resolve));
    const started = new Promise<void>((resolve) => (lateStarted = resolve));
    const req = httpRequest(`${base}/late`);
    req.on('error', () => undefined); // the test hangs up on purpose
    req.end();
    await reached;
    req.destroy();
    await started;
    await expect(latest().ended).resolves.toBe('client-closed');
    expect(setIntervalSpy.mock.calls.some(([, delay]) => delay === 15_000)).toBe(false);
    expect(bus.listenerCount('c1')).toBe(0);
  });
});

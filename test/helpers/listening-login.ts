/**
 * A started login behind a real server on loopback, for what needs a socket: a status stream, or a
 * browser that hangs up on a held poll. Resolves with the app, its base URL and the session cookie
 * the start set; `close` ends the server and every connection still open (a held poll or stream
 * must not keep it open after a failed test).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { buildTestApp, sessionCookie, type TestApp, type TestAppOptions } from './app';

/** What `listeningLogin` resolves with. */
export interface ListeningLogin extends TestApp {
  server: Server;
  base: string;
  /** The session cookie of the started login, for `Cookie:`. */
  cookie: string;
  /** The start's answer. */
  started: request.Response;
  close(): Promise<void>;
}

/** Builds the test app, listens on port 0 and starts a login for `alice` as JSON. */
export async function listeningLogin(options: TestAppOptions): Promise<ListeningLogin> {
  const test = buildTestApp(options);
  const server: Server = await new Promise((resolve) => {
    const listening = test.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const started = await request(base)
    .post('/auth/push/start')
    .set({ Accept: 'application/json' })
    .send({ username: 'alice' });
  const cookie = sessionCookie(started.headers['set-cookie']);
  if (started.status !== 202 || !cookie) {
    await close();
    throw new Error(`the login did not start: ${started.status} ${started.text}`);
  }
  return { ...test, server, base, cookie, started, close };
}

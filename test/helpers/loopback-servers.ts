/**
 * Apps listening on loopback (port 0), for the tests that need a real socket (a browser that hangs
 * up, a status stream). A test file closes them after each test, open connections too: a held poll
 * or stream that a failed test left open never keeps the server, or the next test, waiting.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { buildTestApp, sessionCookie, type TestApp, type TestAppOptions } from './app';

/** The servers of one test file: `listen` in a test, `closeAll` in its `afterEach`. */
export function loopbackServers() {
  const servers: Server[] = [];
  return {
    /** Starts `app` on a free loopback port and answers its base URL. */
    async listen(app: Express): Promise<string> {
      const server: Server = await new Promise((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      });
      servers.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    /** Starts `app` and a login for `userId` there (JSON, at `/auth/push`): the base URL and session cookie. */
    async startedLogin(app: Express, userId = 'alice'): Promise<{ base: string; cookie: string }> {
      const base = await this.listen(app);
      const started = await request(base)
        .post('/auth/push/start')
        .set('Accept', 'application/json')
        .send({ username: userId })
        .expect(202);
      const cookie = sessionCookie(started.headers['set-cookie']);
      if (!cookie) throw new Error('no session cookie');
      return { base, cookie };
    },
    /** Closes every server started since the last call, cutting the connections still open. */
    async closeAll(): Promise<void> {
      await Promise.all(
        servers.splice(0).map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

/** What `listeningLogin` resolves with: the test app, its base URL and the started login's cookie. */
export interface ListeningLogin extends TestApp {
  base: string;
  /** The session cookie of the started login, for `Cookie:`. */
  cookie: string;
  /** Closes the server, cutting the connections still open. */
  close(): Promise<void>;
}

/** Builds the test app on its own loopback server and starts a login for `alice` there (JSON). */
export async function listeningLogin(options: TestAppOptions): Promise<ListeningLogin> {
  const test = buildTestApp(options);
  const servers = loopbackServers();
  const { base, cookie } = await servers.startedLogin(test.app).catch(async (error: unknown) => {
    await servers.closeAll();
    throw error;
  });
  return { ...test, base, cookie, close: () => servers.closeAll() };
}

/**
 * Names the documentation's ts blocks use without defining them (the app, the strategy, the
 * verify callback, the app's user store …), as a reader has them from the page's earlier blocks or
 * their own app. A script, not a module: a block that defines or imports one of these names
 * shadows it. Only test/docs/code-blocks.test.ts compiles it (tsconfig.json excludes it, so these
 * names never leak into the project's own type check); scripts/check-snippets.mjs declares the ones
 * a Markdown fragment `needs:` from here, each statement on its own.
 */

/** The app's user, as the docs' verify callbacks return it. */
interface DocsUser {
  id: string;
}

declare const app: import('express').Express;
declare const passport: import('passport').PassportStatic;
declare const provider: import('passport-push').PushProvider;
declare const strategy: import('passport-push').PushStrategy;
declare const verify: import('passport-push').VerifyFunction<DocsUser>;
declare const signal: AbortSignal;
declare const clock: { now(): number };
/** The app's user store. */
declare const users: {
  findBySecSignId(id: string): Promise<DocsUser | false>;
  findByDuoUsername(username: string): Promise<DocsUser | false>;
};
declare function findUser(subject: string, claims?: unknown): Promise<DocsUser | false>;
/** The app's own "signed in" check. */
declare const requireLogin: import('express').RequestHandler;
/** A test's app and its supertest agent. */
declare function buildMyApp(provider: import('passport-push').PushProvider): import('express').Express;
declare const agent: import('supertest').Agent;
/** A test's Authentiq8 key pair. */
declare const publicPem: string;
declare const privatePem: string;
/** The notification building blocks' example: the challenge id from the session's record. */
declare const challengeId: string;
declare const longPollMs: number;
declare function challengeIdOf(req: import('express').Request): string;
declare function statusOf(req: import('express').Request): Promise<{ state: string }>;
/** writing-a-provider.md's example provider, its simulator and its malformed answers. */
declare const ExampleProvider: new (options: {
  endpoint: string;
  apiKey: string;
}) => import('passport-push').PushProvider;
declare const ExampleSimulator: {
  start(options: { users: string[] }): Promise<{
    url: string;
    phone: {
      pending(userId: string): { id: string }[];
      approve(id: string): void;
      deny(id: string): void;
      expire(id: string): void;
    };
    faults: {
      inject(
        fault:
          | { kind: 'status'; status: number }
          | { kind: 'reset' }
          | { kind: 'delay'; ms: number }
          | { kind: 'body'; body: string },
        times: number,
      ): void;
    };
    close(): Promise<void>;
  }>;
};
declare const MALFORMED: Record<string, string>;
/** The JSDoc examples' context: the core's session view, a request, a state source, a handle. */
declare const loginSession: import('passport-push').LoginSession;
declare const request: import('express').Request;
declare const stateSource: import('passport-push').StateSource<{ state: string }>;
declare const handle: import('passport-push').ChallengeHandle;
/** The access pass the wait page showed (a data URL). */
declare const accessPass: string;
/** docs/security.md's session cookie block: express-session, the app's store, the router. */
declare const session: typeof import('express-session');
declare const store: import('express-session').Store;
declare const pushLogin: typeof import('passport-push').pushLogin;

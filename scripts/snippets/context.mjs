// What a fragment may take from its reader's own app (`<!-- snippet: fragment; needs: … -->`):
// each name a fragment lists is declared after its code (declarations are hoisted, so the block's
// line numbers stay the block's). A name a fragment uses but does not list fails to compile.
// Keep this list short: a name that a block could import or define itself does not belong here.

/** Name → its TypeScript declaration, in the consumer project's view of the packages. */
export const CONTEXT = {
  app: `declare const app: import('express').Express;`,
  passport: `declare const passport: import('passport').PassportStatic;`,
  strategy: `declare const strategy: import('passport-push').PushStrategy;`,
  provider: `declare const provider: import('passport-push').PushProvider;`,
  store: `declare const store: import('express-session').Store;`,
  // docs/security.md's cookie block is test/types/readme-session-cookie.ts below its imports.
  session: `declare const session: typeof import('express-session');`,
  pushLogin: `declare const pushLogin: typeof import('passport-push').pushLogin;`,
  requireLogin: `declare const requireLogin: import('express').RequestHandler;`,
  findUser: `declare function findUser(subject: string, claims?: unknown): Promise<{ id: string } | false>;`,
  users: `declare const users: {
  findBySecSignId(id: string): Promise<{ id: string } | false>;
  findByDuoUsername(username: string): Promise<{ id: string } | false>;
};`,
  buildMyApp: `declare function buildMyApp(provider: import('passport-push').PushProvider): import('express').Express;`,
  agent: `declare const agent: import('supertest').Agent;`,
  verify: `declare const verify: import('passport-push').VerifyFunction<{ id: string }>;`,
  ExampleProvider: `declare const ExampleProvider: new (options: { endpoint: string; apiKey: string }) => import('passport-push').PushProvider;`,
  ExampleSimulator: `declare const ExampleSimulator: {
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
        fault: { kind: 'status'; status: number } | { kind: 'reset' } | { kind: 'delay'; ms: number } | { kind: 'body'; body: string },
        times: number,
      ): void;
    };
    close(): Promise<void>;
  }>;
};`,
  MALFORMED: `declare const MALFORMED: Record<string, string>;`,
};

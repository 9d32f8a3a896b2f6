/**
 * A provider written outside lib/, as an app or a third party would: it passes the same conformance
 * suite as the built-in ones, and the library's wait page and JSON answers speak its texts in the
 * request's language (German, Swedish) without lib/ knowing its name.
 */
import { PushError, retryableHttpStatus } from '../../lib/errors';
import type {
  ChallengeStatus,
  ProviderTexts,
  PushProvider,
  StartedChallenge,
  StartRequest,
} from '../../lib/providers/provider';
import {
  providerConformance,
  type ConformanceFault,
  type ConformanceTarget,
} from '../../lib/testing/conformance';
import type { Server } from 'node:http';
import { sessionCookie, startedLogin } from '../helpers/app';
import { openStateStream } from '../helpers/event-stream-client';

/** "My ID": what its app tells the user, in the three languages the library ships. */
const myIdTexts = {
  en: {
    'myid.waiting': 'Open the My ID app and tap the request.',
    'myid.refused': 'You said no in the My ID app.',
    'error.unknown_user': 'My ID does not know that ID. Check it and try again.',
  },
  de: {
    'myid.waiting': 'Öffnen Sie die My-ID-App und tippen Sie auf die Anfrage.',
    'myid.refused': 'Sie haben in der My-ID-App abgelehnt.',
    'error.unknown_user': 'My ID kennt diese ID nicht. Prüfen Sie sie und versuchen Sie es erneut.',
  },
  sv: {
    'myid.waiting': 'Öppna My ID-appen och tryck på begäran.',
    'myid.refused': 'Du sa nej i My ID-appen.',
    'error.unknown_user': 'My ID känner inte till det ID:t. Kontrollera det och försök igen.',
  },
} as const satisfies ProviderTexts;

type MyIdHandle = { requestId: string; userId: string };
type Answer = { status: number; body: string };

/** My ID's server, in memory: requests by id, a phone that answers them, and one armed fault. */
class MyIdServer {
  readonly users = new Set(['alice']);
  readonly requests = new Map<
    string,
    { userId: string; state: 'pending' | 'approved' | 'denied' | 'expired' }
  >();
  lastApproved = '';
  #fault: ConformanceFault | undefined;
  #next = 0;

  arm(fault: ConformanceFault): void {
    this.#fault = fault;
  }

  async call(path: 'start' | 'status', query: Record<string, string>, signal: AbortSignal): Promise<Answer> {
    const fault = this.#fault;
    this.#fault = undefined;
    if (fault?.kind === 'hang') {
      await new Promise((_resolve, reject) => signal.addEventListener('abort', reject, { once: true }));
    }
    if (fault?.kind === 'reset')
      throw new PushError('provider', 'My ID reset the connection.', { code: 'reset', retryable: true });
    if (fault?.kind === 'status') return { status: fault.status, body: '' };
    if (fault?.kind === 'empty') return { status: 200, body: '' };
    if (fault?.kind === 'truncate') return { status: 200, body: '{"requestId":"' };
    if (fault?.kind === 'malformed') return { status: 200, body: fault.name };
    if (path === 'start') {
      if (!this.users.has(query['userId'] ?? '')) return { status: 404, body: '{"error":"unknown_user"}' };
      const requestId = `r${++this.#next}`;
      this.requests.set(requestId, { userId: query['userId'] ?? '', state: 'pending' });
      return { status: 200, body: JSON.stringify({ requestId }) };
    }
    const request = this.requests.get(query['requestId'] ?? '');
    if (!request) return { status: 404, body: '{"error":"unknown_request"}' };
    if (fault?.kind === 'foreign') {
      const requestId = fault.about === 'request' ? 'r999' : query['requestId'];
      const userId = fault.about === 'user' ? 'mallory' : request.userId;
      return { status: 200, body: JSON.stringify({ requestId, userId, state: 'approved' }) };
    }
    return { status: 200, body: JSON.stringify({ requestId: query['requestId'], ...request }) };
  }
}

/** The provider, as its author would write it against the contract. */
class MyIdProvider implements PushProvider<MyIdHandle> {
  readonly name = 'myid';
  readonly displayName = 'My ID';
  readonly userId = 'required';
  readonly subjectRule = 'must-match';
  readonly texts = myIdTexts;

  constructor(private readonly server: MyIdServer) {}

  async start(request: StartRequest, signal: AbortSignal): Promise<StartedChallenge<MyIdHandle>> {
    const userId = request.userId ?? '';
    const answer = await this.#call('start', { userId }, signal);
    const { requestId } = answer as { requestId?: unknown };
    if (typeof requestId !== 'string') throw malformed();
    return { handle: { requestId, userId }, display: { bindingMessage: requestId.toUpperCase() } };
  }

  async check(handle: MyIdHandle, signal: AbortSignal): Promise<ChallengeStatus> {
    const answer = (await this.#call('status', { requestId: handle.requestId }, signal)) as Record<
      string,
      unknown
    >;
    if (answer['requestId'] !== handle.requestId) {
      throw new PushError('protocol', 'My ID answered about another request.', {
        code: 'transaction_mismatch',
      });
    }
    switch (answer['state']) {
      case 'pending':
        return { state: 'pending', message: { key: 'myid.waiting', text: myIdTexts.en['myid.waiting'] } };
      case 'approved':
        if (answer['userId'] !== handle.userId) {
          throw new PushError('protocol', 'My ID approved another user.', { code: 'subject_mismatch' });
        }
        return { state: 'approved', subject: handle.userId };
      case 'denied':
        return { state: 'denied', message: { key: 'myid.refused', text: myIdTexts.en['myid.refused'] } };
      case 'expired':
        return { state: 'expired' };
      default:
        throw malformed();
    }
  }

  async #call(
    path: 'start' | 'status',
    query: Record<string, string>,
    signal: AbortSignal,
  ): Promise<unknown> {
    let answer: Answer;
    try {
      answer = await this.server.call(path, query, signal);
    } catch (error) {
      if (error instanceof PushError) throw error;
      throw new PushError('provider', 'The call to My ID was aborted.', { code: 'aborted', retryable: true });
    }
    if (answer.status === 404 && path === 'start') {
      throw new PushError('input', 'My ID does not know this user.', { code: 'unknown_user' });
    }
    if (answer.status !== 200) {
      throw new PushError('provider', `My ID answered HTTP ${answer.status}.`, {
        code: 'http_status',
        retryable: retryableHttpStatus(answer.status),
      });
    }
    if (answer.body === '') {
      throw new PushError('provider', 'My ID answered with nothing.', {
        code: 'empty_response',
        retryable: true,
      });
    }
    try {
      return JSON.parse(answer.body) as unknown;
    } catch {
      // A body cut short on the way is a transport fault; anything else is not My ID's answer.
      if (answer.body.startsWith('{')) {
        throw new PushError('provider', 'My ID answer was cut short.', { code: 'reset', retryable: true });
      }
      throw malformed();
    }
  }
}

function malformed(): PushError {
  return new PushError('protocol', 'My ID answered something else than its protocol.', {
    code: 'invalid_response',
  });
}

providerConformance<MyIdHandle>(
  'My ID (written outside lib/)',
  async (): Promise<ConformanceTarget<MyIdHandle>> => {
    const server = new MyIdServer();
    const phone =
      (state: 'approved' | 'denied' | 'expired') => async (started: StartedChallenge<MyIdHandle>) => {
        const request = server.requests.get(started.handle.requestId);
        if (request) request.state = state;
      };
    return {
      provider: new MyIdProvider(server),
      userId: 'alice',
      phone: { approve: phone('approved'), deny: phone('denied'), expire: phone('expired') },
      inject: (fault) => server.arm(fault),
      malformedAnswers: ['<html>Bad gateway</html>', '{"requestId":"r1","state":"maybe"}'],
      secrets: [],
    };
  },
);

describe('the wait page and the JSON answers speak a provider written outside lib/', () => {
  const started = async (language: string, userId = 'alice') => {
    const server = new MyIdServer();
    const login = await startedLogin({ provider: new MyIdProvider(server) }, userId);
    return { ...login, server, language };
  };

  test.each([
    ['de', 'Öffnen Sie die My-ID-App und tippen Sie auf die Anfrage.', 'Warten auf Bestätigung'],
    ['sv', 'Öppna My ID-appen och tryck på begäran.', 'Väntar på godkännande'],
  ])(
    'in %s: its hint on the wait page (HTML) and in the status answer (JSON)',
    async (language, hint, title) => {
      const { agent, start } = await started(language);
      expect(start.status).toBe(202);
      const status = await agent
        .get('/auth/push/status')
        .set('Accept', 'application/json')
        .set('Accept-Language', language);
      expect(status.status).toBe(202);
      expect(status.body.providerMessage).toEqual({ key: 'myid.waiting', text: hint });
      const page = await agent.get('/auth/push/wait').set('Accept-Language', language);
      expect(page.text).toContain(`<html lang="${language}">`);
      expect(page.text).toContain(`<title>${title}`);
      expect(page.text).toContain(hint);
    },
  );

  test.each([
    ['de', 'Sie haben in der My-ID-App abgelehnt.'],
    ['sv', 'Du sa nej i My ID-appen.'],
  ])('in %s: its words for a denial end the JSON answer', async (language, refused) => {
    const { agent, server } = await started(language);
    for (const request of server.requests.values()) request.state = 'denied';
    const status = await agent
      .get('/auth/push/status')
      .set('Accept', 'application/json')
      .set('Accept-Language', language);
    expect(status.status).toBe(401);
    expect(status.body).toMatchObject({ state: 'denied', message: refused });
  });

  test.each([
    ['de', 'My ID kennt diese ID nicht. Prüfen Sie sie und versuchen Sie es erneut.'],
    ['sv', 'My ID känner inte till det ID:t. Kontrollera det och försök igen.'],
  ])('in %s: an unknown ID is named in its own words', async (language, unknown) => {
    const server = new MyIdServer();
    const { agent } = await startedLogin({ provider: new MyIdProvider(server) }, 'alice');
    const start = await agent
      .post('/auth/push/start')
      .set('Accept', 'application/json')
      .set('Accept-Language', language)
      .send({ username: 'bob' });
    expect(start.status).toBe(400);
    expect(start.body).toMatchObject({ code: 'unknown_user', message: unknown });
  });

  test("the status stream speaks the router's `locale` (sv) too", async () => {
    const { app, start } = await startedLogin({
      provider: new MyIdProvider(new MyIdServer()),
      router: { locale: 'sv' },
    });
    const cookie = sessionCookie(start.headers['set-cookie']);
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const { port } = server.address() as { port: number };
      const stream = await openStateStream(`http://127.0.0.1:${port}/auth/push/events`, cookie);
      try {
        expect(await stream.nextState()).toMatchObject({
          state: 'pending',
          message: 'Godkänn inloggningen i din telefon.',
        });
      } finally {
        stream.close();
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

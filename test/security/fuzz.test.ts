/**
 * fast-check over everything a browser controls on the router: user IDs of every shape, JSON and
 * form bodies, Content-Type / Accept / Origin / Content-Encoding headers, query strings on status,
 * wait and cancel. Properties, for every provider: no 5xx for a client's input (an unhandled throw
 * would be a 500), and a pending challenge survives every mistake and still completes afterwards.
 */
import fc from 'fast-check';
import request from 'supertest';
import { appFor, JSON_ACCEPT, poll, readSession, recordIn, start, whoAmI, type Agent } from './browser';
import { TARGETS, type Target } from './harness';

const NUM_RUNS = 120;

const userIds = fc.oneof(
  fc.stringMatching(/^[a-z0-9._@+-]{1,20}$/), // well-formed, mostly unknown to the provider
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    'alice',
    ' ALICE ',
    'a'.repeat(255),
    'a'.repeat(5000),
    '__proto__',
    'a&b=c',
    'x\u0000y',
    '💥',
  ),
);
const jsonValues = fc.oneof(userIds, fc.jsonValue({ maxDepth: 3 }));
const bodies = fc.oneof(
  fc.record({ username: jsonValues }, { requiredKeys: [] }),
  fc.dictionary(fc.constantFrom('username', '__proto__', 'constructor', 'action', 'x'), jsonValues),
  fc.jsonValue({ maxDepth: 3 }),
);
const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-7',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  '',
  ';;;',
);
const accepts = fc.constantFrom(
  'application/json',
  'text/html',
  '*/*',
  '',
  'image/png',
  'application/json;q=0',
);
const origins = fc.oneof(
  fc.constantFrom('https://evil.example', 'null', 'not a url', 'http://[::1'),
  fc.webUrl(),
);
const encodings = fc.constantFrom(undefined, 'gzip', 'br', 'x-unknown', 'identity');

/** The raw bytes a client sends: JSON, form-encoded or anything else. */
function encode(body: unknown, contentType: string): string {
  if (
    contentType.startsWith('application/x-www-form-urlencoded') &&
    body !== null &&
    typeof body === 'object'
  ) {
    return new URLSearchParams(
      Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    ).toString();
  }
  return JSON.stringify(body) ?? '';
}

function sendStart(
  agent: Agent | ReturnType<typeof request>,
  input: { body: unknown; contentType: string; accept: string; encoding: string | undefined },
) {
  let req = agent.post('/auth/push/start').set('Accept', input.accept);
  if (input.contentType !== '') req = req.set('Content-Type', input.contentType);
  if (input.encoding !== undefined) req = req.set('Content-Encoding', input.encoding);
  return req.send(encode(input.body, input.contentType));
}

const startInputs = fc.record({
  body: bodies,
  contentType: contentTypes,
  accept: accepts,
  encoding: encodings,
});

// Each property has 120 s: its runs are hundreds of requests through a simulator, CPU work a busy
// machine stretched past the default 20 s (and a property cut off there runs on into the next
// test, whose starts for alice end its pending challenge). The time is not what a property asserts.
describe.each(TARGETS)('%s', (_name, startTarget) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(() => target.close());

  test('start: any body, ID and headers → never a 5xx', async () => {
    const { app } = appFor(target);
    await fc.assert(
      fc.asyncProperty(startInputs, async (input) => {
        const answer = await sendStart(request(app), input);
        expect(answer.status).toBeLessThan(500);
      }),
      { numRuns: NUM_RUNS },
    );
  }, 120_000);

  test('start: any user ID, as JSON or as a form → a 202 or a 4xx that says why', async () => {
    const { app } = appFor(target);
    const forms = fc.constantFrom('application/json', 'application/x-www-form-urlencoded');
    await fc.assert(
      fc.asyncProperty(userIds, forms, async (username, contentType) => {
        const input = { body: { username }, contentType, accept: 'application/json', encoding: undefined };
        const answer = await sendStart(request(app), input);
        expect(answer.status).toBeLessThan(500);
        if (answer.status !== 202) expect(answer.body.message).toEqual(expect.any(String));
      }),
      { numRuns: NUM_RUNS },
    );
  }, 120_000);

  test('a pending challenge survives every client mistake, then completes', async () => {
    const { app, store } = appFor(target);
    const browser = request.agent(app);
    const started = await start(browser, 'alice');
    const stillThere = async () => recordIn(await readSession(store, started.sid)) !== undefined;

    const mistakes = fc.oneof(
      // A start whose ID is unusable: refused before anything is withdrawn.
      startInputs
        .filter(({ body }) => !hasUsableId(body))
        .map((input) => ({ kind: 'start' as const, input })),
      fc.record({
        kind: fc.constantFrom('status' as const, 'wait' as const),
        query: fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(fc.string(), fc.array(fc.string()))),
        accept: accepts,
      }),
      // A cancel from another site must be refused.
      fc.record({ kind: fc.constant('cancel' as const), origin: origins, accept: accepts }),
    );
    await fc.assert(
      fc.asyncProperty(mistakes, async (mistake) => {
        let answer: request.Response;
        if (mistake.kind === 'start') answer = await sendStart(browser, mistake.input);
        else if (mistake.kind === 'cancel') {
          fc.pre(!sameOrigin(mistake.origin));
          answer = await browser
            .post('/auth/push/cancel')
            .set('Origin', mistake.origin)
            .set('Accept', mistake.accept);
        } else {
          answer = await browser
            .get(`/auth/push/${mistake.kind}`)
            .query(mistake.query)
            .set('Accept', mistake.accept);
        }
        expect(answer.status).toBeLessThan(500);
        expect(await stillThere()).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );

    await target.approve('alice', started.display);
    target.due();
    expect((await poll(browser)).status).toBe(200);
    expect(await whoAmI(browser)).toBe('alice');
  }, 120_000);

  test('JSON polls with odd query strings answer pending, never 5xx, never log in', async () => {
    const { app } = appFor(target);
    const browser = request.agent(app);
    await start(browser, 'bob');
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 8 }), fc.string()), async (query) => {
        const answer = await browser.get('/auth/push/status').query(query).set(JSON_ACCEPT);
        expect(answer.status).toBe(202);
      }),
      { numRuns: NUM_RUNS / 2 },
    );
    expect(await whoAmI(browser)).toBeUndefined();
  }, 120_000);
});

/** Whether a body carries an ID the default rules accept (such a start legitimately replaces the login). */
function hasUsableId(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || !Object.hasOwn(body, 'username')) return false;
  const value: unknown = (body as Record<string, unknown>).username;
  // An object is never one: JSON wants text, and as form data "{…}" / "[…]" fails the pattern.
  // Anything else counts when its text would pass (a form sends numbers and null as text).
  if (typeof value === 'object' && value !== null) return false;
  const id = String(value).trim();
  return id.length > 0 && id.length <= 254 && /^[\p{L}\p{N}@._+-]+$/u.test(id);
}

/** supertest's Host is 127.0.0.1:<port>; only an Origin on that host and port would pass. */
function sameOrigin(origin: string): boolean {
  return /^https?:\/\/127\.0\.0\.1(:\d+)?$/.test(origin);
}

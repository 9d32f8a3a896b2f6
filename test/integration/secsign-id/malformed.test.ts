import type { SecSignIdProvider } from '../../../lib/providers/secsign-id';
import type { StartedChallenge } from '../../../lib/providers/provider';
import { SecSignIdSimulator } from '../../../lib/testing/secsign-id-simulator';
import type { Fault } from '../../../lib/testing/simulator';
import { phoneView, providerFor, signal } from './setup';

let sim: SecSignIdSimulator;
let provider: SecSignIdProvider;
let started: StartedChallenge;
let id: string;

beforeEach(async () => {
  sim = await SecSignIdSimulator.start({ users: ['alice'] });
  provider = providerFor(sim.url);
  started = await provider.start({ userId: 'alice' }, signal());
  const view = phoneView(sim, 'alice', started);
  id = String(started.handle['authsessionid']);
  // The user really approved: a broken answer must still not log anyone in.
  expect(sim.phone.approve(view.id, view.choice)).toBe(true);
});
afterEach(() => sim.close());

const REQUEST_ID = 'ADDE6E13ECD78B371F474E53003B1B6C4E55F5384BEF5C041530E66E2A609F98';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.alloc(64, 7)]).toString('base64');

describe('malformed state answers never become approval', () => {
  it.each<[string, () => string, Record<string, unknown>]>([
    [
      'a missing state',
      () => `authsessionid=${id}&secsignid=alice`,
      { code: 'invalid_response', retryable: false },
    ],
    [
      'an empty state',
      () => `authsessionid=${id}&secsignid=alice&authsessionstate=`,
      { code: 'invalid_response' },
    ],
    [
      'unknown code 9',
      () => `authsessionid=${id}&secsignid=alice&authsessionstate=9`,
      { code: 'invalid_response' },
    ],
    [
      'NOSTATE 0',
      () => `authsessionid=${id}&secsignid=alice&authsessionstate=0`,
      { code: 'invalid_response' },
    ],
    ['state 3 without the ID', () => `authsessionid=${id}&authsessionstate=3`, { code: 'invalid_response' }],
    ['state 3 with a bad ID', () => `authsessionid=${id}&secsignid=al ice&authsessionstate=3`, {}],
    ['state 3 for another session', () => `authsessionid=42&secsignid=alice&authsessionstate=3`, {}],
    [
      'state 3 twice',
      () => `secsignid=alice&authsessionstate=1&authsessionstate=3`,
      { code: 'invalid_response' },
    ],
    ['state " 3x"', () => `secsignid=alice&authsessionstate=3x`, { code: 'invalid_response' }],
    ['garbage', () => 'Ã¤\u0000garbage;;;', { code: 'invalid_response' }],
    [
      'an HTML page with 200',
      () => '<!DOCTYPE html><html><body>Login</body></html>',
      { code: 'invalid_response', retryable: false },
    ],
  ])('%s → protocol error', async (_what, body, expected) => {
    sim.faults.inject({ kind: 'body', body: body() }, 1);
    await expect(provider.check(started.handle, signal())).rejects.toMatchObject({
      kind: 'protocol',
      ...expected,
    });
    // The challenge itself is intact: the next good answer is read normally.
    expect(await provider.check(started.handle, signal())).toEqual({ state: 'approved', subject: 'alice' });
  });

  it('an HTML error page with HTTP 500 → retryable protocol error', async () => {
    sim.faults.inject(
      { kind: 'status', status: 500, body: '<html><h1>Internal Server Error</h1></html>' },
      1,
    );
    await expect(provider.check(started.handle, signal())).rejects.toMatchObject({
      kind: 'protocol',
      code: 'http_status',
      retryable: true,
    });
  });

  // Issue 23, finding 7: an empty or cut-short 200 said nothing final; the challenge is kept.
  it.each<[string, Fault, string]>([
    ['an empty body', { kind: 'body', body: '' }, 'empty_response'],
    ['a body of only whitespace', { kind: 'body', body: ' \r\n' }, 'empty_response'],
    ['a body cut short on the way', { kind: 'truncate' }, 'reset'],
  ])('a 200 with %s is a retryable transport fault', async (_what, fault, code) => {
    sim.faults.inject(fault, 1);
    await expect(provider.check(started.handle, signal())).rejects.toMatchObject({
      kind: 'protocol',
      code,
      retryable: true,
    });
    expect(await provider.check(started.handle, signal())).toEqual({ state: 'approved', subject: 'alice' });
  });

  it('a system error answer is retryable', async () => {
    sim.faults.inject({ kind: 'body', body: 'error=500&errormsg=System error.' }, 1);
    await expect(provider.check(started.handle, signal())).rejects.toMatchObject({
      kind: 'provider',
      retryable: true,
    });
  });

  it('approves with the ID the start confirmed, when the state answer names the same ID', async () => {
    sim.faults.inject({ kind: 'body', body: `authsessionid=${id}&secsignid=Alice&authsessionstate=3` }, 1);
    expect(await provider.check(started.handle, signal())).toEqual({ state: 'approved', subject: 'alice' });
  });

  // Issue 23, finding 6: a login started as alice must never end as bob, whatever the answer says.
  it.each([
    ['with the session id', () => `authsessionid=${id}&authsessionstate=3&secsignid=bob`],
    ['without the session id', () => 'authsessionstate=3&secsignid=bob'],
    [
      'naming an ID the start did not confirm',
      () => `authsessionid=${id}&secsignid=alice.work&authsessionstate=3`,
    ],
  ])('a state 3 naming another ID than the start confirmed (%s) fails closed', async (_what, body) => {
    sim.faults.inject({ kind: 'body', body: body() }, 1);
    await expect(provider.check(started.handle, signal())).rejects.toMatchObject({
      kind: 'protocol',
      code: 'subject_mismatch',
      retryable: false,
    });
  });

  it('a state 3 that does not name its session fails closed', async () => {
    sim.faults.inject({ kind: 'body', body: 'authsessionstate=3&secsignid=alice' }, 1);
    await expect(provider.check(started.handle, signal())).rejects.toMatchObject({
      kind: 'protocol',
      code: 'transaction_mismatch',
      retryable: false,
    });
  });
});

describe('malformed start answers', () => {
  const ok = (extra: string): string =>
    `authsessionid=-5&servicename=Example Shop&secsignid=alice&serviceaddress=x&requestid=${REQUEST_ID}${extra}`;

  it.each<[string, string, Record<string, unknown>]>([
    ['a non-PNG icon', ok(`&authsessionstate=1&authsessionicondata=${JPEG}`), { code: 'invalid_response' }],
    [
      'an icon that is not base64',
      ok('&authsessionstate=1&authsessionicondata=%89PNG'),
      { code: 'invalid_response' },
    ],
    ['no icon though one was expected', ok('&authsessionstate=1'), { code: 'invalid_response' }],
    ['a state other than pending', ok('&authsessionstate=3'), { code: 'invalid_response' }],
    ['no requestid', 'authsessionid=1&secsignid=alice&authsessionstate=1', { code: 'invalid_response' }],
    ['an authsessionid beyond 64 bits', ok('&authsessionstate=1').replace('-5', '9223372036854775808'), {}],
    ['garbage', 'hello world', { code: 'invalid_response' }],
  ])('%s → protocol error', async (_what, body, expected) => {
    sim.faults.inject({ kind: 'body', body }, 1);
    await expect(provider.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
      kind: 'protocol',
      ...expected,
    });
  });

  it('an empty 200 at start is a retryable transport fault', async () => {
    sim.faults.inject({ kind: 'body', body: '' }, 1);
    await expect(provider.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
      code: 'empty_response',
      retryable: true,
    });
  });
});

import fc from 'fast-check';
import { BankIdSimulator, bankIdErrorFault } from '../../../lib/testing/bankid-simulator';
import { PushError } from '../../../lib/errors';
import { ALICE, CLIENT_IP, providerFor, signal } from './setup';

let sim: BankIdSimulator;
beforeEach(async () => {
  sim = await BankIdSimulator.start();
});
afterEach(() => sim.close());

async function failure(promise: Promise<unknown>): Promise<PushError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof PushError)) throw new Error(`expected a PushError, got ${String(error)}`);
  return error;
}

describe('BankID errors and their retry classification', () => {
  it.each([
    ['maintenance', 503, 'provider', 'maintenance', true],
    ['internalError', 500, 'provider', 'provider_error', true],
    ['requestTimeout', 408, 'provider', 'timeout', true],
    ['alreadyInProgress', 400, 'provider', 'already_in_progress', false],
    ['invalidParameters', 400, 'provider', 'provider_error', false],
    ['unauthorized', 401, 'provider', 'unauthorized', false],
    ['notFound', 404, 'provider', 'provider_error', false],
    ['unsupportedMediaType', 415, 'provider', 'provider_error', false],
  ])('%s (HTTP %i) → %s/%s, retryable %s', async (errorCode, status, kind, code, retryable) => {
    const provider = providerFor(sim);
    sim.faults.inject(bankIdErrorFault(errorCode, `details for ${ALICE}`), 1);
    const error = await failure(provider.start({ userId: ALICE, clientIp: CLIENT_IP }, signal()));
    expect(error).toMatchObject({ kind, code, retryable, details: { status, providerCode: errorCode } });
    // BankID's free-text details may echo input: they are not copied anywhere.
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(ALICE);
  });

  it.each([
    [429, 'rate_limited', true],
    [502, 'provider_error', true],
    [409, 'provider_error', false],
  ])('an unknown errorCode with HTTP %i → %s, retryable %s', async (status, code, retryable) => {
    const provider = providerFor(sim);
    sim.faults.inject(
      { kind: 'status', status, contentType: 'application/json', body: '{"errorCode":"somethingNew"}' },
      1,
    );
    const error = await failure(provider.start({ clientIp: CLIENT_IP }, signal()));
    if (status === 429) expect(error).toMatchObject({ code, retryable });
    else expect(error).toMatchObject({ code, retryable, details: { providerCode: 'somethingNew' } });
  });

  it('an HTML error page from a proxy → http_status, retryable on 5xx only', async () => {
    const provider = providerFor(sim);
    sim.faults.inject({ kind: 'status', status: 502, body: '<html>Bad gateway</html>' }, 1);
    expect(await failure(provider.start({ clientIp: CLIENT_IP }, signal()))).toMatchObject({
      kind: 'protocol',
      code: 'http_status',
      retryable: true,
    });
    sim.faults.inject({ kind: 'status', status: 403, body: '<html>Forbidden</html>' }, 1);
    expect(await failure(provider.start({ clientIp: CLIENT_IP }, signal()))).toMatchObject({
      code: 'http_status',
      retryable: false,
    });
  });

  it('a slow answer beyond timeoutMs → timeout, retryable', async () => {
    const provider = providerFor(sim, { timeoutMs: 200 });
    sim.faults.inject({ kind: 'delay', ms: 2000 }, 1);
    expect(await failure(provider.start({ clientIp: CLIENT_IP }, signal()))).toMatchObject({
      code: 'timeout',
      retryable: true,
    });
  });

  it('a connection reset on a kept-alive connection → reset, retryable (the certificate is fine)', async () => {
    const provider = providerFor(sim);
    const { handle } = await provider.start({ clientIp: CLIENT_IP }, signal());
    sim.faults.inject({ kind: 'reset' }, 1);
    expect(await failure(provider.check(handle, signal()))).toMatchObject({ code: 'reset', retryable: true });
    expect(await provider.check(handle, signal())).toMatchObject({ state: 'pending' });
  });

  it('a connection reset on a fresh connection → reset, retryable: the probe handshake shows the certificate is fine', async () => {
    const provider = providerFor(sim);
    sim.faults.inject({ kind: 'reset' }, 1);
    expect(await failure(provider.start({ clientIp: CLIENT_IP }, signal()))).toMatchObject({
      kind: 'protocol',
      code: 'reset',
      retryable: true,
    });
  });

  it('a body beyond maxResponseBytes → too_large', async () => {
    const provider = providerFor(sim, { maxResponseBytes: 1024 });
    sim.faults.inject({ kind: 'huge', bytes: 5000 }, 1);
    expect(await failure(provider.start({ clientIp: CLIENT_IP }, signal()))).toMatchObject({
      code: 'too_large',
    });
  });

  it.each([
    ['not JSON', '{"orderRef": '],
    ['an array', '[]'],
    [
      'no qrStartSecret',
      '{"orderRef":"3f4e1b0c-aaaa","autoStartToken":"3f4e1b0c-bbbb","qrStartToken":"3f4e1b0c-cccc"}',
    ],
  ])('a malformed /auth answer (%s) → invalid_response, not retryable', async (_what, body) => {
    const provider = providerFor(sim);
    sim.faults.inject({ kind: 'body', body }, 1);
    expect(await failure(provider.start({ clientIp: CLIENT_IP }, signal()))).toMatchObject({
      kind: 'protocol',
      code: 'invalid_response',
      retryable: false,
    });
  });

  it('a malformed /collect answer never approves and never crashes (fast-check over the wire)', async () => {
    const provider = providerFor(sim);
    const { handle } = await provider.start({ clientIp: CLIENT_IP }, signal());
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.constantFrom(
            `{"orderRef":"${handle.orderRef}","status":"complete"}`,
            `{"orderRef":"${handle.orderRef}","status":"complete","completionData":{"user":{"personalNumber":"${ALICE}"}}}`,
            `{"orderRef":"other-order-ref","status":"complete"}`,
          ),
        ),
        async (body) => {
          sim.faults.inject({ kind: 'body', body }, 1);
          const outcome = await provider.check(handle, signal()).catch((e: unknown) => e);
          if (outcome instanceof PushError) {
            expect(outcome.message).not.toContain(ALICE);
            return;
          }
          expect(outcome).not.toMatchObject({ state: 'approved' });
        },
      ),
      { numRuns: 60 },
    );
  });
});

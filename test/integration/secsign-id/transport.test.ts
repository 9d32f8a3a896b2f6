import { SecSignIdSimulator } from '../../../lib/testing/secsign-id-simulator';
import { closedPort, providerFor, signal } from './setup';

let primary: SecSignIdSimulator;
let fallback: SecSignIdSimulator;

beforeEach(async () => {
  [primary, fallback] = await Promise.all([
    SecSignIdSimulator.start({ users: ['alice'] }),
    SecSignIdSimulator.start({ users: ['alice', 'bob'] }),
  ]);
});
afterEach(() => Promise.all([primary.close(), fallback.close()]));

describe('SecSign ID endpoints and transport faults', () => {
  it('uses the fallback endpoint when the primary refuses connections, for start and check', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}/`;
    const provider = providerFor(dead, { fallbackEndpoint: fallback.url });
    const started = await provider.start({ userId: 'alice' }, signal());
    expect(await provider.check(started.handle, signal())).toEqual({ state: 'pending' });
    expect(fallback.calls).toEqual({ ReqRequestAuthSession: 1, ReqGetAuthSessionState: 1 });
    expect(primary.calls).toEqual({});
  });

  it('does not use the fallback for an error= answer', async () => {
    const provider = providerFor(primary.url, { fallbackEndpoint: fallback.url });
    // bob exists only at the fallback: using it would wrongly turn the error into a login.
    await expect(provider.start({ userId: 'bob' }, signal())).rejects.toMatchObject({
      kind: 'input',
      code: 'unknown_user',
    });
    expect(primary.calls).toEqual({ ReqRequestAuthSession: 1 });
    expect(fallback.calls).toEqual({});
  });

  it('does not use the fallback for an HTTP 5xx with a body; the error is retryable', async () => {
    primary.faults.inject({
      kind: 'status',
      status: 503,
      body: 'Service Unavailable',
      contentType: 'text/plain',
    });
    const provider = providerFor(primary.url, { fallbackEndpoint: fallback.url });
    await expect(provider.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
      kind: 'protocol',
      code: 'http_status',
      retryable: true,
      details: { status: 503 },
    });
    expect(fallback.calls).toEqual({});
  });

  it('turns a reset connection into a retryable error and does not try the fallback', async () => {
    primary.faults.inject({ kind: 'reset' });
    const provider = providerFor(primary.url, { fallbackEndpoint: fallback.url });
    const error: unknown = await provider.start({ userId: 'alice' }, signal()).catch((e: unknown) => e);
    // The request reached the primary, which may have acted on it: retrying elsewhere could
    // start a second session for the same ID.
    expect(error).toMatchObject({ name: 'PushError', kind: 'protocol', retryable: true, code: 'reset' });
    expect(fallback.calls).toEqual({});
  });

  it('times out after timeoutMs with a retryable error', async () => {
    // An answer that never comes: the provider's timeout is the call's only ending (no wall clock).
    primary.faults.inject({ kind: 'delay', ms: 600_000 }, 1);
    const provider = providerFor(primary.url, { timeoutMs: 300 });
    await expect(provider.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
      kind: 'protocol',
      code: 'timeout',
      retryable: true,
    });
  });

  it('tries the fallback once after a timeout', async () => {
    // The primary never answers, so its timeout is certain; the same per-attempt timeout bounds the
    // healthy fallback, so it is not small (a busy machine must not time that one out too).
    primary.faults.inject({ kind: 'delay', ms: 600_000 }, 1);
    const provider = providerFor(primary.url, { timeoutMs: 2_000, fallbackEndpoint: fallback.url });
    const started = await provider.start({ userId: 'alice' }, signal());
    expect(started.display.accessPass).toMatch(/^data:image\/png;base64,/);
    expect(fallback.calls).toEqual({ ReqRequestAuthSession: 1 });
  });

  it('fails with a retryable connect error when neither endpoint answers', async () => {
    const provider = providerFor(`http://127.0.0.1:${await closedPort()}/`, {
      fallbackEndpoint: `http://127.0.0.1:${await closedPort()}/`,
    });
    await expect(provider.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
      kind: 'protocol',
      code: 'connect',
      retryable: true,
    });
  });

  it('does not try the fallback when the caller aborted', async () => {
    primary.faults.inject({ kind: 'delay', ms: 2000 }, 1);
    const provider = providerFor(primary.url, { fallbackEndpoint: fallback.url });
    await expect(provider.start({ userId: 'alice' }, AbortSignal.timeout(200))).rejects.toMatchObject({
      code: 'aborted',
    });
    expect(fallback.calls).toEqual({});
  });

  it('refuses an answer larger than maxResponseBytes', async () => {
    primary.faults.inject({ kind: 'huge', bytes: 4096 });
    const provider = providerFor(primary.url, { maxResponseBytes: 2048 });
    await expect(provider.start({ userId: 'alice' }, signal())).rejects.toMatchObject({
      kind: 'protocol',
      code: 'too_large',
    });
  });
});

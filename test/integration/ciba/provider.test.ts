/** CibaProvider against a real oidc-provider over HTTP: the states a challenge goes through. */
import { BINDING_MESSAGE_ALPHABET } from '../../../lib/providers/ciba';
import { startCibaOp, type CibaOp } from '../../../lib/testing/ciba-op';
import { provider, signal, startOnPhone } from './support';

let op: CibaOp;
beforeAll(async () => {
  op = await startCibaOp();
});
afterAll(() => op.close());

test('approve: pending first, then approved with the validated ID token subject and claims', async () => {
  const ciba = provider(op);
  const { started, request } = await startOnPhone(op, ciba);

  expect(started.display.bindingMessage).toMatch(new RegExp(`^[${BINDING_MESSAGE_ALPHABET}]{5}$`));
  expect(request.bindingMessage).toBe(started.display.bindingMessage);
  expect(started.pollIntervalMs).toBe(5000); // oidc-provider sends no interval: CIBA's default
  expect(started.expiresAt).toBeGreaterThan(Date.now() + 590_000);
  expect(JSON.stringify(started.handle).length).toBeLessThan(200);
  expect(Object.keys(started.handle).sort()).toEqual(['authReqId', 'interval']);

  await expect(ciba.check(started.handle, signal())).resolves.toEqual({ state: 'pending' });
  await op.phone.approveNow(request.id, { acr: 'urn:test:push', amr: ['hwk'] });

  const status = await ciba.check(started.handle, signal());
  expect(status).toMatchObject({
    state: 'approved',
    subject: 'alice',
    claims: {
      sub: 'alice',
      iss: op.issuer,
      aud: 'rp-basic',
      name: 'Alice Example',
      email: 'alice@example.com',
      acr: 'urn:test:push',
      amr: ['hwk'],
    },
  });
  expect(status.state === 'approved' ? status.claims : undefined).not.toHaveProperty('nonce');
});

test('a result polled twice completes once: the second poll is invalid, never approved again', async () => {
  const ciba = provider(op);
  const { started, request } = await startOnPhone(op, ciba);
  await op.phone.approveNow(request.id);

  await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({ state: 'approved' });
  await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({ state: 'invalid' });
  await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({ state: 'invalid' });
});

test('deny on the phone: denied', async () => {
  const ciba = provider(op);
  const { started, request } = await startOnPhone(op, ciba, 'bob');
  await op.phone.denyNow(request.id);
  await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({ state: 'denied' });
});

test('the synchronous phone API answers through settled()', async () => {
  const ciba = provider(op);
  const { started, request } = await startOnPhone(op, ciba, 'bob');
  expect(op.phone.approve(request.id)).toBe(true);
  expect(op.phone.approve(request.id)).toBe(false); // already answered
  await op.phone.settled();
  await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({
    state: 'approved',
    subject: 'bob',
  });
});

test('expiry via requested_expiry: the OP keeps the lifetime asked for, and the check says expired after it', async () => {
  const ciba = provider(op, { requestedExpiry: 1 });
  // Not startOnPhone: the phone lists only live requests, and this one may live only a few ms.
  const started = await ciba.start({ userId: 'alice' }, signal());
  // The OP took requested_expiry (1 s), not its default of 600 s.
  expect(started.expiresAt).toBeLessThanOrEqual(Date.now() + 1000);

  // No "still pending" check here: exp is a whole second, so the request may live only a few ms, and
  // any check before the deadline races it on a busy machine.
  // Not a race: the OP expires the request once floor(now) >= exp. Its clock read came before our
  // answer arrived, so exp * 1000 <= expiresAt (= our clock after the answer + 1000 ms): once our
  // clock passes expiresAt, the OP's has too. Same process, same clock; the wait is at most 1 s.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, (started.expiresAt ?? 0) - Date.now() + 5)));
  await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({ state: 'expired' });
});

test('expiry via the phone API: expired without waiting', async () => {
  const ciba = provider(op);
  const { started, request } = await startOnPhone(op, ciba);
  await expect(op.phone.expireNow(request.id)).resolves.toBe(true);
  await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({ state: 'expired' });
  expect(op.phone.pending('alice').map((r) => r.id)).not.toContain(request.id);
});

test('an unknown auth_req_id is invalid; a malformed handle is invalid without asking the OP', async () => {
  const ciba = provider(op);
  await ciba.start({ userId: 'alice' }, signal()); // discovery done
  await expect(ciba.check({ authReqId: 'x'.repeat(43), interval: 5 }, signal())).resolves.toMatchObject({
    state: 'invalid',
  });
  const before = op.calls.token ?? 0;
  await expect(ciba.check({ authReqId: 42, interval: 5 }, signal())).resolves.toMatchObject({
    state: 'invalid',
  });
  await expect(ciba.check({ authReqId: 'abc', interval: -1 }, signal())).resolves.toMatchObject({
    state: 'invalid',
  });
  expect(op.calls.token ?? 0).toBe(before);
});

test('discovery happens once per provider instance', async () => {
  const ciba = provider(op);
  const before = op.calls.discovery ?? 0;
  await startOnPhone(op, ciba);
  await startOnPhone(op, ciba);
  expect((op.calls.discovery ?? 0) - before).toBe(1);
});

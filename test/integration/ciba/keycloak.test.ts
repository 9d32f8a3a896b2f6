/**
 * CibaProvider against the test OP in its Keycloak-shaped mode: a long encrypted auth_req_id, a
 * UUID `sub` with the username in `preferred_username`, and "invalid user" for an unknown user.
 * Also the two other hints (login_hint_token) and the declared subject rule.
 */
import { CIBA_OP_LOGIN_HINT_TOKEN_PREFIX, startCibaOp, type CibaOp } from '../../../lib/testing/ciba-op';
import { provider, signal, startOnPhone } from './support';
import { thrown } from '../../helpers/errors';

describe('a Keycloak-shaped OP', () => {
  let op: CibaOp;
  beforeAll(async () => {
    op = await startCibaOp({ keycloak: true });
  });
  afterAll(() => op.close());

  it('declares that the OP names the subject, and its issuer host as display name', () => {
    const ciba = provider(op);
    expect([ciba.userId, ciba.subjectRule, ciba.displayName]).toEqual([
      'required',
      'provider',
      new URL(op.issuer).host,
    ]);
  });

  it('keeps a ~930-character auth_req_id and approves with the UUID sub and preferred_username', async () => {
    const ciba = provider(op);
    const started = await ciba.start({ userId: 'alice' }, signal());
    // The phone knows the OP's own id; only the client sees the long token.
    const [request] = op.phone.pending('alice');
    if (!request) throw new Error('the phone did not get the request');
    expect(String(started.handle['authReqId']).length).toBeGreaterThan(900);
    await expect(ciba.check(started.handle, signal())).resolves.toEqual({ state: 'pending' });
    await op.phone.approveNow(request.id);
    const status = await ciba.check(started.handle, signal());
    expect(status).toMatchObject({
      state: 'approved',
      subject: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      claims: { preferred_username: 'alice' },
    });
  });

  it('reports "invalid user" as unknown_user, an input error', async () => {
    const error = await thrown(provider(op).start({ userId: 'mallory' }, signal()));
    expect(error).toMatchObject({
      kind: 'input',
      code: 'unknown_user',
      retryable: false,
      details: { providerCode: 'invalid_request' },
    });
  });
});

describe('the spec-shaped OP', () => {
  let op: CibaOp;
  beforeAll(async () => {
    op = await startCibaOp();
  });
  afterAll(() => op.close());

  it('reports unknown_user_id as unknown_user', async () => {
    const error = await thrown(provider(op).start({ userId: 'mallory' }, signal()));
    expect(error).toMatchObject({
      kind: 'input',
      code: 'unknown_user',
      details: { providerCode: 'unknown_user_id' },
    });
  });

  it('sends a login_hint_token instead of a login_hint when configured so', async () => {
    const ciba = provider(op, {
      hintParameter: 'login_hint_token',
      loginHintFrom: (userId) => `${CIBA_OP_LOGIN_HINT_TOKEN_PREFIX}${userId}`,
    });
    const { started, request } = await startOnPhone(op, ciba);
    await op.phone.approveNow(request.id);
    await expect(ciba.check(started.handle, signal())).resolves.toMatchObject({
      state: 'approved',
      subject: 'alice',
    });
  });
});

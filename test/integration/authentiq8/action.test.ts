/**
 * Authentiq8 Me for an action, at the provider: the handle keeps the intent hash (never the
 * action's content), only the server's `approved` for this auth_id proves it, and a handle whose
 * hash a session store mangled approves nothing.
 */
import { actionRequest } from '../../../lib/core/intent';
import { PAYMENT } from '../../helpers/intents';
import { signal, startPair, type Pair } from './setup';

const action = actionRequest(PAYMENT);

let pair: Pair;
beforeEach(async () => {
  pair = await startPair();
});
afterEach(() => pair.simulator.close());

async function startedAction() {
  const started = await pair.provider.start({ userId: 'alice', action }, signal());
  const [push] = pair.simulator.phone.pending('alice');
  return { started, authId: push?.id ?? '' };
}

describe('Authentiq8 Me for an action', () => {
  it('the handle names the push and the intent hash, and holds none of the action', async () => {
    const { started, authId } = await startedAction();
    expect(started.handle).toMatchObject({ userId: 'alice', authId, intentHash: action.hash });
    expect(JSON.stringify(started.handle)).not.toContain('Anna');
  });

  it("the server's approved for this auth_id proves the intent, with the push as proof", async () => {
    const { started, authId } = await startedAction();
    pair.simulator.phone.approve(authId);
    await expect(pair.provider.check(started.handle, signal())).resolves.toMatchObject({
      state: 'approved',
      subject: 'alice',
      action: { intentHash: action.hash, proof: { auth_id: authId, user_id: 'alice', status: 'approved' } },
    });
  });

  it('a login push carries no action evidence (it can never pass for an approved action)', async () => {
    const started = await pair.provider.start({ userId: 'alice' }, signal());
    pair.simulator.phone.approve(pair.simulator.phone.pending('alice')[0]?.id ?? '');
    const status = await pair.provider.check(started.handle, signal());
    expect(status).toMatchObject({ state: 'approved' });
    expect(status).not.toHaveProperty('action');
  });

  it.each([['not-a-hash'], [42]])(
    'a handle whose intent hash is %p is refused (invalid_challenge)',
    async (bad) => {
      const { started, authId } = await startedAction();
      pair.simulator.phone.approve(authId);
      await expect(
        pair.provider.check({ ...started.handle, intentHash: bad }, signal()),
      ).rejects.toMatchObject({ kind: 'state', code: 'invalid_challenge' });
      expect(pair.simulator.calls['get-user-status']).toBeUndefined();
    },
  );
});

describe("the server's echo of the message (inferred: it may send none)", () => {
  it('an echo of exactly the action line is accepted, as is none', async () => {
    pair.simulator.variance.echoMessage = true;
    const { started } = await startedAction();
    expect(started.handle).toMatchObject({ intentHash: action.hash });
  });

  it('an echo of another text is refused at the start (intent_mismatch): the phone may show that', async () => {
    pair.simulator.variance.echoMessage = 'Approve payment: 5.00 SEK to Anna Berg';
    const error = await pair.provider.start({ userId: 'alice', action }, signal()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'protocol', code: 'intent_mismatch' });
  });
});

/**
 * SecSign ID action approval (classic API) against the simulator. The classic API carries one text
 * to the phone, `servicename` (at most 255 characters, one line, no "&"), so the action travels as
 * one line there, beside the access pass; the server must echo exactly that text, and only state 3
 * for this session and this SecSign ID approves, naming the intent hash the session was started for.
 */
import { actionRequest } from '../../../lib/core/intent';
import { SecSignIdSimulator } from '../../../lib/testing/secsign-id-simulator';
import { PAYMENT } from '../../helpers/intents';
import { phoneView, providerFor, signal } from './setup';

const action = actionRequest(PAYMENT);
const LINE = 'Approve payment: 500.00 SEK to Anna Berg, account 5491-0000003, reference Rent May';

let sim: SecSignIdSimulator;
beforeEach(async () => {
  sim = await SecSignIdSimulator.start({ users: ['alice', 'bob'] });
});
afterEach(() => sim.close());

async function startedAction(request = action) {
  const provider = providerFor(sim.url);
  const started = await provider.start({ userId: 'alice', action: request }, signal());
  return { provider, started, view: phoneView(sim, 'alice', started) };
}

describe('SecSign ID for an action (classic API)', () => {
  it('declares what it can show and prove: one line of text, and the server saying yes', () => {
    expect(providerFor(sim.url).actions).toEqual({ shows: 'text', proves: 'provider-yes' });
  });

  it('shows the action as the service name on the phone, with the access pass; the handle keeps the hash', async () => {
    const { started } = await startedAction();
    expect(sim.lastRequest?.params).toMatchObject({
      servicename: LINE,
      serviceaddress: 'https://shop.example',
    });
    const [request] = sim.phone.pending('alice');
    expect(request).toMatchObject({ serviceName: LINE });
    expect(started.display.accessPass).toMatch(/^data:image\/png;base64,/);
    expect(started.handle).toMatchObject({ intentHash: action.hash });
    expect(JSON.stringify(started.handle)).not.toContain('Anna');
  });

  it('a generic action: its title and lines on one line', async () => {
    await startedAction(
      actionRequest({
        type: 'generic',
        title: 'Export customer data',
        lines: ['All customers', 'Format: CSV'],
      }),
    );
    expect(sim.lastRequest?.params['servicename']).toBe('Export customer data: All customers; Format: CSV');
  });

  it('state 3 for this session and ID approves, naming the intent hash, the session as proof', async () => {
    const { provider, started, view } = await startedAction();
    expect(sim.phone.approve(view.id, view.choice)).toBe(true);
    await expect(provider.check(started.handle, signal())).resolves.toEqual({
      state: 'approved',
      subject: 'alice',
      action: {
        intentHash: action.hash,
        proof: { authsessionid: view.id, secsignid: 'alice', authsessionstate: '3' },
      },
    });
  });

  it.each([
    [
      'longer than 255 characters',
      { ...PAYMENT, reference: 'R'.repeat(140), payee: { name: 'N'.repeat(120) } },
    ],
    ['with "&", which the server echoes raw', { ...PAYMENT, payee: { name: 'Berg & Son' } }],
  ])('an action %s is refused before the server is called, never cut', async (_case, intent) => {
    const error = await providerFor(sim.url)
      .start({ userId: 'alice', action: actionRequest(intent) }, signal())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'input', code: 'invalid_intent' });
    expect(sim.lastRequest).toBeUndefined();
  });

  it('a server that does not echo the action text it will show is refused at the start', async () => {
    sim.variance.otherServiceName = 'Approve payment: 5.00 SEK to Anna Berg';
    const error = await providerFor(sim.url)
      .start({ userId: 'alice', action }, signal())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'intent_mismatch' });
  });

  it('an approval that names another SecSign ID is refused (subject_mismatch)', async () => {
    const { provider, started, view } = await startedAction();
    sim.phone.approve(view.id, view.choice);
    sim.variance.approvedBy = 'bob';
    await expect(provider.check(started.handle, signal())).rejects.toMatchObject({
      code: 'subject_mismatch',
    });
  });

  it('an answer about another auth session is refused (transaction_mismatch)', async () => {
    const { provider, started, view } = await startedAction();
    sim.phone.approve(view.id, view.choice);
    sim.variance.foreignSessionId = true;
    await expect(provider.check(started.handle, signal())).rejects.toMatchObject({
      code: 'transaction_mismatch',
    });
  });
});

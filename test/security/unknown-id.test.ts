/**
 * An unknown ID (issue 25): the answer names the cause in the provider's words and in the
 * request's language, for every provider whose server can say "no such user", and the login form
 * gets the typed ID back so the user fixes the typo instead of typing it again.
 */
import { appFor, JSON_ACCEPT } from './browser';
import { TARGETS, type Target } from './harness';

/** What each provider's server calls an unknown ID, in the words the page shows. */
const CAUSE: Record<string, Record<string, string>> = {
  'secsign-id': {
    en: 'That SecSign ID does not exist. Check it and try again.',
    de: 'Diese SecSign ID existiert nicht. Prüfen Sie sie und versuchen Sie es erneut.',
    sv: 'Det SecSign ID:t finns inte. Kontrollera det och försök igen.',
  },
  authentiq8: {
    en: 'That ID is not known to Authentiq8 Me. Check it and try again.',
    de: 'Diese ID ist bei Authentiq8 Me nicht bekannt. Prüfen Sie sie und versuchen Sie es erneut.',
    sv: 'Det ID:t är okänt för Authentiq8 Me. Kontrollera det och försök igen.',
  },
  ciba: {
    en: 'That ID is not known to the login service. Check it and try again.',
    de: 'Diese ID ist beim Anmeldedienst nicht bekannt. Prüfen Sie sie und versuchen Sie es erneut.',
    sv: 'Det ID:t är okänt för inloggningstjänsten. Kontrollera det och försök igen.',
  },
  duo: {
    en: 'That ID is not enrolled in Duo. Check it, or enrol first.',
    de: 'Diese ID ist bei Duo nicht registriert. Prüfen Sie sie oder registrieren Sie sich zuerst.',
    sv: 'Det ID:t är inte registrerat i Duo. Kontrollera det eller registrera dig först.',
  },
};

describe.each(TARGETS)('%s', (name, startTarget) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(() => target.close());

  test.each(['en', 'de', 'sv'])(
    'in %s, JSON: unknown_user, and a message naming the cause',
    async (language) => {
      const { agent } = appFor(target);
      const answer = await agent()
        .post('/auth/push/start')
        .set(JSON_ACCEPT)
        .set('Accept-Language', language)
        .send({ username: 'nobody' });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'unknown_user', message: CAUSE[name]?.[language] });
    },
  );

  test('HTML: back to the login form with the code and the typed ID, so it keeps what was typed', async () => {
    const { agent } = appFor(target, { router: { retryWithUserId: true } });
    const answer = await agent().post('/auth/push/start').type('form').send({ username: 'nobody' });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/login?push=unknown_user&id=nobody');
  });
});

/** The wait page model and what the page shows for it: language, layout hook, safe output. */
import type { Request } from 'express';
import type { PushPending } from '../../../lib/core/outcome';
import { renderWaitPage, waitPageParts, type WaitPageModel } from '../../../lib/web/client/wait-page';
import { authentiq8Texts } from '../../../lib/providers/authentiq8/texts';
import { bankIdTexts } from '../../../lib/providers/bankid/texts';
import { catalogueFor } from '../../../lib/web/messages';
import { waitPageModel } from '../../../lib/web/wait-page-options';

const pending: PushPending = {
  state: 'pending',
  userId: 'alice',
  started: false,
  expiresAt: 1_000_000,
  expiresInMs: 125_000,
  retryAfterMs: 1000,
  challengeId: 'c-1',
  message: 'Waiting for approval on your phone…',
};

const urls: WaitPageModel['urls'] = {
  status: '/auth/status',
  cancel: '/auth/cancel',
  wait: '/auth/wait',
  script: '/auth/client.js',
  style: '/auth/client.css',
  retry: '/login',
  start: '/auth/start',
};

function model(overrides: Partial<WaitPageModel> = {}, locale = 'en'): WaitPageModel {
  return {
    ...waitPageModel({
      req: {} as Request,
      pending,
      display: undefined,
      urls,
      options: {},
      locale,
      overrides: {},
    }),
    ...overrides,
  };
}

describe('the page model', () => {
  test("carries the language, its catalogue's title, the challenge and the ID", () => {
    const m = model({}, 'sv');
    expect(m).toMatchObject({
      locale: 'sv',
      title: 'Godkänn i telefonen',
      challengeId: 'c-1',
      userId: 'alice',
      userIdField: 'username',
      state: 'pending',
    });
    expect(m.urls.retry).toBe('/login');
  });

  test('puts the ID into the Try again link only when the app allows it', () => {
    const m = waitPageModel({
      req: {} as Request,
      pending: { ...pending, userId: 'a&b' },
      display: undefined,
      urls,
      options: { retryWithUserId: true, title: 'Log in to Shop', userIdField: 'email' },
      locale: 'en',
      overrides: {},
    });
    expect(m.urls.retry).toBe('/login?id=a%26b');
    expect(m.title).toBe('Log in to Shop');
    expect(m.userIdField).toBe('email');
  });

  test("takes a provider's {key, text} message (PushPending.providerMessage), shown in the page's language", () => {
    const withKey = { ...pending, providerMessage: { key: 'bankid.rfa.1', text: 'Start your BankID app.' } };
    const m = waitPageModel({
      req: {} as Request,
      pending: withKey as unknown as PushPending,
      display: undefined,
      urls,
      options: {},
      locale: 'sv',
      overrides: {},
      texts: bankIdTexts,
    });
    expect(m.providerMessage).toEqual({ key: 'bankid.rfa.1', text: 'Start your BankID app.' });
    expect(renderWaitPage(m)).toContain('Starta BankID-appen.');
    expect(model().providerMessage).toBeUndefined();
  });
});

describe('the page', () => {
  test('is in the chosen language, lang attribute and state title included', () => {
    const html = renderWaitPage(model({}, 'de'));
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<title>Warten auf Bestätigung · Auf dem Telefon bestätigen</title>');
    expect(html).toContain('Bitte bestätigen Sie die Anmeldung auf Ihrem Telefon.');
    expect(html).toContain('Läuft ab in 2:05');
    expect(html).toContain('Keine Benachrichtigung erhalten?');
  });

  test("hands the app's layout the head, the fragment and the state's title", () => {
    const layout = jest.fn(
      ({ lang, title, head, fragment }) =>
        `<html lang="${lang}"><title>${title} · Shop</title>${head}<body>${fragment}`,
    );
    const html = renderWaitPage(model({ state: 'fetched' }), layout);
    expect(layout).toHaveBeenCalledTimes(1);
    const parts = layout.mock.calls[0]?.[0];
    expect(parts.title).toBe('Opened on your phone · Approve on your phone');
    expect(parts.head).toContain('href="/auth/client.css"');
    expect(parts.fragment).toContain('id="push-wait"');
    expect(parts.fragment).toContain('src="/auth/client.js"');
    expect(parts.model.challengeId).toBe('c-1');
    expect(html).toContain('data-challenge-id="c-1"');
  });

  test('gives the poller its texts as data, with nothing that could end the script block', () => {
    const m = model({
      messages: { ...catalogueFor('en'), 'state.denied': '</script><script>alert(1)</script>' },
    });
    const fragment = waitPageParts(m).fragment;
    const block = /<script type="application\/json" id="push-messages">([^<]*)<\/script>/.exec(fragment);
    expect(block).not.toBeNull();
    expect(JSON.parse(block?.[1] ?? '{}')['state.denied']).toBe('</script><script>alert(1)</script>');
    // The only scripts: that data block and the external poller (the CSP allows no inline code).
    expect(fragment.match(/<script/g)).toHaveLength(2);
  });

  test('escapes the ID everywhere it appears', () => {
    const html = renderWaitPage(model({ userId: '"><img src=x onerror=alert(1)>' }));
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
  });

  test('the access pass has a text alternative in the page language', () => {
    const accessPass = 'data:image/png;base64,iVBORw0KGgo=';
    const html = renderWaitPage(model({ display: { accessPass } }, 'sv'));
    expect(html).toContain(
      `src="${accessPass}" width="176" height="176" alt="Åtkomstbild: bilden du väljer i telefonen"`,
    );
  });

  test('a QR given as text is drawn here as an SVG image with a text alternative', () => {
    const html = renderWaitPage(model({ display: { qr: 'bankid.abc.1.def' } }));
    expect(html).toMatch(
      /<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" width="200" height="200" alt="QR code/,
    );
  });

  test('an app launch link is shown for app schemes and https, never for script URLs', () => {
    const shown = renderWaitPage(
      model({ display: { launchUrl: 'bankid:///?autostarttoken=x&redirect=null' } }),
    );
    expect(shown).toContain(
      'href="bankid:///?autostarttoken=x&amp;redirect=null">Open the app on this device</a>',
    );
    for (const launchUrl of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', 'not a url']) {
      expect(renderWaitPage(model({ display: { launchUrl } }))).not.toContain('id="push-launch"');
    }
  });

  test('the copy fits the flow: a QR to scan sends no notification, a launch link opens the app here', () => {
    // What the page shows: its texts for the poller (all of them) left out.
    const shown = (m: WaitPageModel) =>
      renderWaitPage(m).replace(/<script type="application\/json"[^<]*<\/script>/, '');
    const scan = shown(
      model({ display: { qr: 'bankid.abc.1.def', launchUrl: 'bankid:///?autostarttoken=x' } }),
    );
    expect(scan).toContain('data-flow="scan"');
    expect(scan).toContain('Scan the QR code with the app on your phone to approve this login.');
    expect(scan).toContain('<summary>Trouble scanning?</summary>');
    expect(scan).not.toContain('Check your phone');
    expect(scan).not.toContain('notification');

    const app = shown(model({ display: { launchUrl: 'bankid:///?autostarttoken=x' } }, 'sv'));
    expect(app).toContain('data-flow="app"');
    expect(app).toContain('Öppna appen på den här enheten för att godkänna inloggningen.');
    expect(app).toContain('<summary>Öppnades inte appen?</summary>');

    const push = shown(model({ display: { accessPass: 'data:image/png;base64,iVBORw0KGgo=' } }));
    expect(push).toContain('data-flow="push"');
    expect(push).toContain('Check your phone to approve this login.');
    expect(push).toContain('<summary>Didn&#39;t get a notification?</summary>');
  });

  test("a provider's instruction is shown in the page's language when its texts have it", () => {
    const display = {
      instruction: 'Confirm the request in the Authentiq8 Me app on your phone.',
      instructionKey: 'authentiq8.instruction',
    };
    const german = renderWaitPage({
      ...model({ display }, 'de'),
      messages: catalogueFor('de', {}, authentiq8Texts),
    });
    expect(german).toContain(
      '<p class="push-instruction">Bestätigen Sie die Anfrage in der Authentiq8-Me-App auf Ihrem Telefon.</p>',
    );
    // A key the texts do not know: the provider's own words.
    const own = renderWaitPage(
      model({ display: { instruction: 'Use the app.', instructionKey: 'x.y' } }, 'de'),
    );
    expect(own).toContain('<p class="push-instruction">Use the app.</p>');
  });

  test('Cancel posts the ID, so the login page can keep it', () => {
    const html = renderWaitPage(model());
    const cancel = /<form method="post" action="\/auth\/cancel"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    expect(cancel?.[1]).toContain('<input type="hidden" name="username" value="alice">');
  });

  test('the countdown is not a live region; a separate one is for the per-minute notices', () => {
    const html = renderWaitPage(model());
    expect(html).toMatch(/<span id="push-countdown">/);
    expect(html).toContain('<p class="push-sr-only" id="push-announce" aria-live="polite"></p>');
    expect(html).toMatch(/id="push-status" role="status"/);
  });
});

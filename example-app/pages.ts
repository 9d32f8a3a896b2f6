/** The demo's pages: plain server-rendered HTML, one stylesheet, no framework. */
import { escapeHtml as e } from './html';
import type { WaitPageParts } from 'passport-push';
import { failureText, format, type Catalogue } from 'passport-push/messages';
import type { PhoneRequest } from 'passport-push/testing';
import { demoMessages, PHONE_APPS, PROVIDER_NAMES, type DemoLocale } from './demo-messages';

export interface LayoutOptions {
  lang: DemoLocale | string;
  /** The document title, before the demo's name. */
  title: string;
  body: string;
  /** Extra `<head>` content (the wait page's stylesheet and no-JavaScript refresh). */
  head?: string;
  /** External scripts (the demo keeps a strict CSP possible: nothing inline). */
  scripts?: string[];
  /** Wrap the body in the demo's card; the wait page brings its own. */
  card?: boolean;
}

export function layout({ lang, title, body, head = '', scripts = [], card = true }: LayoutOptions): string {
  const t = demoText(lang);
  return `<!doctype html>
<html lang="${e(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} · ${e(t.brand)}</title>
<link rel="stylesheet" href="/static/style.css">
${head}
</head>
<body>
<header class="topbar"><a href="/" class="brand">${e(t.brand)}</a></header>
<main${card ? ' class="card"' : ' class="bare"'}>
${body}
</main>
${scripts.map((src) => `<script src="${e(src)}" defer></script>`).join('\n')}
</body>
</html>`;
}

/** The demo's `renderPage` hook: the library's wait page inside the demo's own header and styles. */
export function waitPage(parts: WaitPageParts): string {
  return layout({
    lang: parts.lang,
    title: parts.title,
    head: parts.head,
    body: parts.fragment,
    card: false,
  });
}

export function loginPage(options: {
  lang: string;
  catalogue: Catalogue;
  /** `push` from the query: why the last login ended. */
  reason?: string;
  retryAfterSeconds?: number;
  /** The ID typed before, to keep after "Try again". */
  userId?: string;
  providerLabel: string;
  /** The provider runs on an embedded simulator. */
  simulated?: boolean;
  hint?: DemoHint;
  phoneLink: boolean;
  /** The provider can start without an ID (BankID): offer the QR login first, the ID as an option. */
  userIdOptional?: boolean;
}): string {
  const t = demoText(options.lang);
  const reason = options.reason
    ? failureText(options.catalogue, options.reason, {
        ...(options.retryAfterSeconds ? { retryAfterSeconds: options.retryAfterSeconds } : {}),
      })
    : undefined;
  const phoneLink = format(e(t.phoneLink), {
    link: `<a href="/phone" target="_blank" rel="noopener">${e(t.phoneLinkText)}</a>`,
  });
  return layout({
    lang: options.lang,
    title: t.signIn,
    body: `<h1>${e(t.signIn)}</h1>
<p class="muted">${e(format(t.intro, { provider: options.simulated ? `${options.providerLabel} ${t.simulated}` : options.providerLabel }))}</p>
${reason ? `<p class="alert" role="alert">${e(reason)}</p>` : ''}
${options.userIdOptional ? optionalIdForms(t, options.userId) : requiredIdForm(t, options.userId)}
${options.hint ? `<p class="muted small">${demoHintHtml(t, options.hint)}</p>` : ''}
${options.phoneLink ? `<p class="small">${phoneLink}</p>` : ''}`,
  });
}

function requiredIdForm(t: DemoText, userId: string | undefined): string {
  return `<form method="post" action="/auth/push/start" class="stack">
<label for="username">${e(t.yourId)}</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="254" autofocus${userId ? ` value="${e(userId)}"` : ''}>
<button type="submit" class="primary">${e(t.submit)}</button>
</form>`;
}

/** BankID: the QR login needs no ID; a personal number only restricts who may approve. */
function optionalIdForms(t: DemoText, userId: string | undefined): string {
  return `<form method="post" action="/auth/push/start" class="stack">
<button type="submit" class="primary" id="login-qr">${e(t.qrLogin)}</button>
</form>
<form method="post" action="/auth/push/start" class="stack" id="login-with-id">
<label for="username">${e(t.personalNumber)}</label>
<input id="username" name="username" inputmode="numeric" autocomplete="off" required maxlength="13"${userId ? ` value="${e(userId)}"` : ''}>
<button type="submit" class="secondary">${e(t.withPersonalNumber)}</button>
</form>`;
}

export function profilePage(
  lang: string,
  user: { id: string; provider: string; loggedInAt: string; name?: string },
): string {
  const t = demoText(lang);
  return layout({
    lang,
    title: t.profile,
    body: `<h1>${e(format(t.welcome, { id: user.id }))}</h1>
<p class="muted">${e(t.signedInBy)}</p>
<dl class="facts">
<dt>${e(t.id)}</dt><dd id="profile-id">${e(user.id)}</dd>
${user.name ? `<dt>${e(t.name)}</dt><dd id="profile-name">${e(user.name)}</dd>` : ''}
<dt>${e(t.provider)}</dt><dd id="profile-provider">${e(providerName(user.provider))}</dd>
<dt>${e(t.signedInAt)}</dt><dd>${e(user.loggedInAt)}</dd>
</dl>
<p><a id="send-money-link" href="/send">${e(t.sendMoney)}</a></p>
<form method="post" action="/logout"><button type="submit" class="secondary">${e(t.signOut)}</button></form>`,
  });
}

/** Which demo IDs, or (BankID) which fictitious people, exist. */
export type DemoHint =
  { ids: readonly string[] } | { people: readonly { name: string; personalNumber: string }[] };

function demoHintHtml(t: DemoText, hint: DemoHint): string {
  const code = (value: string) => `<code>${e(value)}</code>`;
  if ('ids' in hint) return format(e(t.demoIds), { ids: hint.ids.map(code).join(', ') });
  const people = hint.people.map((p) => `${e(p.name)} ${code(p.personalNumber)}`).join(', ');
  return format(e(t.demoPeople), { people });
}

/** How the simulated phone shows a request: as the vendor's app would. */
export interface PhoneLook {
  /** The app's name, in the phone's top bar. */
  app: string;
  /** The service as its users know it (never a client id). */
  service: string;
  /** The request's text is what the service asks (Authentiq8's message), not a code to compare. */
  textIsMessage: boolean;
  /** The app's one text is the service name the request sent (SecSign ID: an action travels there). */
  showsServiceName: boolean;
  /** The app can report a push as fraud (Duo). */
  fraud: boolean;
}

/** The phone's look for a provider (`ciba:issuer` counts as `ciba`). */
export function phoneLook(providerName: string, fraud: boolean): PhoneLook {
  const kind = providerName.split(':')[0] ?? providerName;
  return {
    app: PHONE_APPS[kind] ?? 'Authenticator',
    service: demoMessages.en.brand,
    textIsMessage: kind === 'authentiq8',
    showsServiceName: kind === 'secsign-id',
    fraud,
  };
}

/** The simulated phone (English, as its app would be). It updates itself by script, never by reload. */
export function phonePage(requests: PhoneRequest[], look: PhoneLook, notice?: string): string {
  return layout({
    lang: 'en',
    title: 'Phone',
    scripts: ['/static/phone.js'],
    body: `<h1>Simulated phone</h1>
<p class="muted">This page plays the phone app: it shows login requests as the real app would.</p>
${notice ? `<p class="alert" role="alert">${e(notice)}</p>` : ''}
<div id="phone-requests" aria-live="polite">
${phoneRequests(requests, look)}
</div>`,
  });
}

/** The phone's request list, also served alone for the page's script to swap in. */
export function phoneRequests(requests: PhoneRequest[], look: PhoneLook): string {
  return (
    requests.map((request) => renderRequest(request, look)).join('\n') ||
    '<p class="empty">No login requests right now. Start one on the sign-in page.</p>'
  );
}

function renderRequest(request: PhoneRequest, look: PhoneLook): string {
  const approve = (choice: number | undefined, inner: string, cls: string) =>
    `<form method="post" action="/phone/approve" class="inline">
<input type="hidden" name="id" value="${e(request.id)}">${choice === undefined ? '' : `<input type="hidden" name="choice" value="${choice}">`}
<button type="submit" class="${cls}">${inner}</button></form>`;
  const text = request.bindingMessage;
  const action = request.action === undefined ? undefined : actionLines(request.action);
  // SecSign ID's app cannot tell a login from an action: it shows the service name and asks for the pass.
  const serviceName = look.showsServiceName ? request.serviceName : undefined;
  const asked =
    action !== undefined
      ? 'asks you to approve this action. It is not a login:'
      : look.textIsMessage && text
        ? text
        : serviceName !== undefined
          ? 'asks you to confirm with your access pass.'
          : 'wants to confirm that it is you signing in.';
  const code = !look.textIsMessage && text ? text : undefined;
  const answer = request.choices?.length
    ? `<p>Pick the access pass shown on the login page:</p><div class="passes">${request.choices
        .map((src, i) =>
          approve(
            i,
            `<img src="${e(src)}" width="88" height="88" alt="Access pass ${i + 1} of ${request.choices?.length ?? 0}">`,
            'pass',
          ),
        )
        .join('')}</div>`
    : `${code ? `<p>Check that the login page shows the same code:</p>\n<p><strong class="code">${e(code)}</strong></p>\n` : ''}${approve(undefined, 'Approve', 'primary')}`;
  const host = hostOf(request.serviceAddress);
  return `<section class="request" data-request-id="${e(request.id)}">
<p class="app-name">${e(look.app)}</p>
<h2>${e(serviceName ?? look.service)}</h2>
<p class="asked">${e(asked)}</p>
${action !== undefined ? `<pre class="signed-text">${e(action)}</pre>\n` : ''}<p class="muted small">${host ? `${e(host)} · ` : ''}Account: <strong>${e(request.userId)}</strong></p>
${answer}
<form method="post" action="/phone/deny" class="inline"><input type="hidden" name="id" value="${e(request.id)}">
<button type="submit" class="danger">Deny</button></form>
${look.fraud ? `<form method="post" action="/phone/fraud" class="inline"><input type="hidden" name="id" value="${e(request.id)}">\n<button type="submit" class="danger">Deny and report fraud</button></form>` : ''}
</section>`;
}

/**
 * The action as the phone app shows it (CIBA: the `authorization_details` JSON): the library's own
 * type as readable lines, anything else as indented JSON.
 */
function actionLines(details: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return details;
  }
  const first: unknown = Array.isArray(parsed) ? parsed[0] : undefined;
  const intent = (first as { intent?: Record<string, unknown> } | undefined)?.intent;
  if (intent?.['type'] === 'payment') {
    const payee = intent['payee'] as { name?: unknown; account?: unknown } | undefined;
    return [
      'Approve payment',
      `Amount: ${String(intent['amount'])} ${String(intent['currency'])}`,
      `To: ${String(payee?.name)}`,
      ...(payee?.account !== undefined ? [`Account: ${String(payee.account)}`] : []),
      ...(intent['reference'] !== undefined ? [`Reference: ${String(intent['reference'])}`] : []),
    ].join('\n');
  }
  if (intent?.['type'] === 'generic' && Array.isArray(intent['lines'])) {
    return [String(intent['title']), ...intent['lines'].map(String)].join('\n');
  }
  return JSON.stringify(parsed, null, 2);
}

/** The host the service named (`localhost`), or undefined when it sent none or no URL. */
function hostOf(address: string | undefined): string | undefined {
  if (!address) return undefined;
  try {
    return new URL(address).host || undefined;
  } catch {
    return undefined;
  }
}

type DemoText = (typeof demoMessages)[DemoLocale];

function demoText(lang: string): DemoText {
  return demoMessages[lang as DemoLocale] ?? demoMessages.en;
}

/** A provider's human name: by its `name`, or the part before `:` (`ciba:issuer.example`). */
export function providerName(name: string): string {
  return PROVIDER_NAMES[name] ?? PROVIDER_NAMES[name.split(':')[0] ?? ''] ?? name;
}

/** The demo's pages: plain server-rendered HTML, one stylesheet, no framework. */
import { escapeHtml as e } from './html';
import type { WaitPageParts } from 'passport-push';
import { failureText, format, type Catalogue } from 'passport-push/messages';
import type { PhoneRequest } from 'passport-push/testing';
import { demoMessages, PROVIDER_NAMES, type DemoLocale } from './demo-messages';

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
  hint?: string;
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
<p class="muted">${e(format(t.intro, { provider: options.providerLabel }))}</p>
${reason ? `<p class="alert" role="alert">${e(reason)}</p>` : ''}
${options.userIdOptional ? optionalIdForms(t, options.userId) : requiredIdForm(t, options.userId)}
${options.hint ? `<p class="muted small">${options.hint}</p>` : ''}
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
<form method="post" action="/logout"><button type="submit" class="secondary">${e(t.signOut)}</button></form>`,
  });
}

/** The simulated phone (English, as its app would be). It updates itself by script, never by reload. */
export function phonePage(requests: PhoneRequest[], notice?: string, fraud = false): string {
  return layout({
    lang: 'en',
    title: 'Phone',
    scripts: ['/static/phone.js'],
    body: `<h1>Simulated phone</h1>
<p class="muted">This page plays the phone app: it shows login requests as the real app would.</p>
${notice ? `<p class="alert" role="alert">${e(notice)}</p>` : ''}
<div id="phone-requests" aria-live="polite">
${phoneRequests(requests, fraud)}
</div>`,
  });
}

/** The phone's request list, also served alone for the page's script to swap in. */
export function phoneRequests(requests: PhoneRequest[], fraud = false): string {
  return (
    requests.map((request) => renderRequest(request, fraud)).join('\n') ||
    '<p class="empty">No login requests right now. Start one on the sign-in page.</p>'
  );
}

function renderRequest(request: PhoneRequest, fraud: boolean): string {
  const approve = (choice: number | undefined, inner: string, cls: string) =>
    `<form method="post" action="/phone/approve" class="inline">
<input type="hidden" name="id" value="${e(request.id)}">${choice === undefined ? '' : `<input type="hidden" name="choice" value="${choice}">`}
<button type="submit" class="${cls}">${inner}</button></form>`;
  const choices = request.choices?.length
    ? `<p>Pick the access pass shown on the login page:</p><div class="passes">${request.choices
        .map((src, i) =>
          approve(
            i,
            `<img src="${e(src)}" width="88" height="88" alt="Access pass ${i + 1} of ${request.choices?.length ?? 0}">`,
            'pass',
          ),
        )
        .join('')}</div>`
    : `${request.bindingMessage ? `<p>Code: <strong class="code">${e(request.bindingMessage)}</strong></p>` : ''}${approve(undefined, 'Approve', 'primary')}`;
  return `<section class="request" data-request-id="${e(request.id)}">
<h2>Login to ${e(request.serviceName ?? 'a service')}</h2>
<p class="muted small">${e(request.serviceAddress ?? '')} · as <strong>${e(request.userId)}</strong></p>
${choices}
<form method="post" action="/phone/deny" class="inline"><input type="hidden" name="id" value="${e(request.id)}">
<button type="submit" class="danger">Deny</button></form>
${fraud ? `<form method="post" action="/phone/fraud" class="inline"><input type="hidden" name="id" value="${e(request.id)}">\n<button type="submit" class="danger">Deny and report fraud</button></form>` : ''}
</section>`;
}

type DemoText = (typeof demoMessages)[DemoLocale];

function demoText(lang: string): DemoText {
  return demoMessages[lang as DemoLocale] ?? demoMessages.en;
}

/** A provider's human name: by its `name`, or the part before `:` (`ciba:issuer.example`). */
export function providerName(name: string): string {
  return PROVIDER_NAMES[name] ?? PROVIDER_NAMES[name.split(':')[0] ?? ''] ?? name;
}

/** The demo's pages: plain server-rendered HTML, one stylesheet, no framework. */
import { escapeHtml as e } from './html';
import type { PhoneRequest } from 'passport-push/testing';

export interface LayoutOptions {
  title: string;
  body: string;
  /** Seconds; the phone page refreshes itself to show new requests. */
  refresh?: number;
}

export function layout({ title, body, refresh }: LayoutOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} · passport-push demo</title>
<link rel="stylesheet" href="/static/style.css">
${refresh ? `<meta http-equiv="refresh" content="${refresh}">` : ''}
</head>
<body>
<header class="topbar"><a href="/" class="brand">passport-push demo</a></header>
<main class="card">
${body}
</main>
</body>
</html>`;
}

const reasons: Record<string, string> = {
  denied: 'The login was denied on the phone.',
  expired: 'The login request expired. Please try again.',
  cancelled: 'The login was cancelled.',
  suspended: 'The request was replaced by a newer one.',
  invalid: 'The login request is not valid any more. Please try again.',
  rejected: 'This ID has no account here.',
  missing_user_id: 'Please enter your ID.',
  invalid_user_id: 'That ID is not valid.',
  rate_limited: 'Too many login requests. Please wait a moment.',
  '20000': 'That SecSign ID does not exist.',
};

export function loginPage(options: {
  reason?: string;
  providerLabel: string;
  hint?: string;
  phoneLink: boolean;
}): string {
  const reason = options.reason
    ? (reasons[options.reason] ?? 'The login did not complete. Please try again.')
    : undefined;
  return layout({
    title: 'Sign in',
    body: `<h1>Sign in</h1>
<p class="muted">No password: approve the login on your phone with ${e(options.providerLabel)}.</p>
${reason ? `<p class="alert" role="alert">${e(reason)}</p>` : ''}
<form method="post" action="/auth/push/start" class="stack">
<label for="username">Your ID</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="254" autofocus>
<button type="submit" class="primary">Sign in with your phone</button>
</form>
${options.hint ? `<p class="muted small">${options.hint}</p>` : ''}
${options.phoneLink ? '<p class="small">No phone at hand? Open the <a href="/phone" target="_blank" rel="noopener">simulated phone</a> in another tab.</p>' : ''}`,
  });
}

export function profilePage(user: { id: string; provider: string; loggedInAt: string }): string {
  return layout({
    title: 'Your profile',
    body: `<h1>Welcome, ${e(user.id)}</h1>
<p class="muted">You signed in by approving on your phone.</p>
<dl class="facts">
<dt>ID</dt><dd id="profile-id">${e(user.id)}</dd>
<dt>Provider</dt><dd>${e(user.provider)}</dd>
<dt>Signed in at</dt><dd>${e(user.loggedInAt)}</dd>
</dl>
<form method="post" action="/logout"><button type="submit" class="secondary">Sign out</button></form>`,
  });
}

export function phonePage(requests: PhoneRequest[], notice?: string): string {
  const items = requests.map(renderRequest).join('\n');
  return layout({
    title: 'Phone',
    refresh: 3,
    body: `<h1>Simulated phone</h1>
<p class="muted">This page plays the phone app: it shows login requests as the real app would.</p>
${notice ? `<p class="alert" role="alert">${e(notice)}</p>` : ''}
${items || '<p class="empty">No login requests right now. Start one on the sign-in page.</p>'}`,
  });
}

function renderRequest(request: PhoneRequest): string {
  const approve = (choice: number | undefined, inner: string, cls: string) =>
    `<form method="post" action="/phone/approve" class="inline">
<input type="hidden" name="id" value="${e(request.id)}">${choice === undefined ? '' : `<input type="hidden" name="choice" value="${choice}">`}
<button type="submit" class="${cls}">${inner}</button></form>`;
  const choices = request.choices?.length
    ? `<p>Pick the access pass shown on the login page:</p><div class="passes">${request.choices
        .map((src, i) =>
          approve(i, `<img src="${e(src)}" width="88" height="88" alt="Access pass ${i + 1}">`, 'pass'),
        )
        .join('')}</div>`
    : `${request.bindingMessage ? `<p>Code: <strong class="code">${e(request.bindingMessage)}</strong></p>` : ''}${approve(undefined, 'Approve', 'primary')}`;
  return `<section class="request" data-request-id="${e(request.id)}">
<h2>Login to ${e(request.serviceName ?? 'a service')}</h2>
<p class="muted small">${e(request.serviceAddress ?? '')} · as <strong>${e(request.userId)}</strong></p>
${choices}
<form method="post" action="/phone/deny" class="inline"><input type="hidden" name="id" value="${e(request.id)}">
<button type="submit" class="danger">Deny</button></form>
</section>`;
}

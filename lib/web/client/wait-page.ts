/**
 * The wait page: shows what to compare on the phone and polls. Works without JavaScript (it
 * refreshes itself, and the router answers the refresh with the current state); with JavaScript
 * the poller updates it in place.
 */
import type { ChallengeDisplay } from '../../providers/provider';
import { escapeHtml, safeImageDataUrl } from './html';

export interface WaitPageModel {
  title: string;
  userId: string;
  state: 'pending' | 'fetched';
  display: ChallengeDisplay | undefined;
  expiresInMs: number;
  retryAfterMs: number;
  /** Route URLs, already relative to where the router is mounted. */
  urls: { status: string; cancel: string; wait: string; script: string; style: string; retry: string };
}

export function renderWaitPage(model: WaitPageModel): string {
  const refreshSeconds = Math.max(1, Math.ceil(model.retryAfterMs / 1000));
  const message =
    model.state === 'fetched'
      ? 'Opened on your phone. Waiting for your approval…'
      : 'Check your phone to approve this login.';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(model.title)}</title>
<link rel="stylesheet" href="${escapeHtml(model.urls.style)}">
<noscript><meta http-equiv="refresh" content="${refreshSeconds};url=${escapeHtml(model.urls.wait)}"></noscript>
</head>
<body>
<main class="push-card" id="push-wait"
  data-status-url="${escapeHtml(model.urls.status)}"
  data-retry-url="${escapeHtml(model.urls.retry)}"
  data-expires-in-ms="${Math.max(0, Math.round(model.expiresInMs))}"
  data-retry-after-ms="${Math.round(model.retryAfterMs)}">
<h1>${escapeHtml(model.title)}</h1>
<p class="push-user">Signing in as <strong>${escapeHtml(model.userId)}</strong></p>
${renderDisplay(model.display)}
<p class="push-status" id="push-status" role="status" aria-live="polite" data-state="${model.state}">${escapeHtml(message)}</p>
<p class="push-countdown" id="push-countdown">${renderCountdown(model.expiresInMs)}</p>
<form method="post" action="${escapeHtml(model.urls.cancel)}" class="push-actions" id="push-cancel">
<button type="submit" class="push-secondary">Cancel</button>
</form>
<p class="push-retry" id="push-retry" hidden><a class="push-button" href="${escapeHtml(model.urls.retry)}">Try again</a></p>
</main>
<script src="${escapeHtml(model.urls.script)}" defer></script>
</body>
</html>
`;
}

function renderDisplay(display: ChallengeDisplay | undefined): string {
  const pass = safeImageDataUrl(display?.accessPass);
  if (pass) {
    return `<figure class="push-pass"><img src="${pass}" width="176" height="176" alt="Access pass" id="push-access-pass">
<figcaption>On your phone, pick the access pass that looks like this one.</figcaption></figure>`;
  }
  const parts: string[] = [];
  if (display?.bindingMessage) {
    parts.push(
      `<p class="push-binding">Check that your phone shows <strong id="push-binding">${escapeHtml(display.bindingMessage)}</strong></p>`,
    );
  }
  const qr = safeImageDataUrl(display?.qr);
  if (qr)
    parts.push(
      `<figure class="push-qr"><img src="${qr}" width="200" height="200" alt="QR code to scan with your phone"></figure>`,
    );
  if (parts.length === 0) {
    parts.push(
      `<p class="push-instruction">${escapeHtml(display?.instruction ?? 'Confirm the login on your phone.')}</p>`,
    );
  }
  return parts.join('\n');
}

function renderCountdown(expiresInMs: number): string {
  const seconds = Math.max(0, Math.ceil(expiresInMs / 1000));
  return `Expires in ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

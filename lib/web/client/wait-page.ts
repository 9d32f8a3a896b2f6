/**
 * The wait page: shows what to compare on the phone and polls. Works without JavaScript (it
 * refreshes itself, and the router answers the refresh with the current state); with JavaScript
 * the poller updates it in place, with its texts taken from the page (the JSON block below).
 * Apps put the ready-made fragment into their own layout with a `renderPage` hook.
 */
import type { ChallengeDisplay } from '../../providers/provider';
import { format, providerText, type Catalogue, type ProviderMessage } from '../messages';
import { actionCatalogue } from '../messages/for-action';
import { escapeHtml as e, jsonForHtml, safeImageDataUrl, safeLaunchUrl } from './html';
import { qrSvgDataUrl } from '../../qr';

/**
 * What a provider asks the wait page to show; `launchUrl` opens its app on this device.
 *
 * @example
 * ```ts
 * import { pushLogin } from 'passport-push';
 *
 * pushLogin({
 *   strategy,
 *   renderPage: ({ head, fragment, model }) =>
 *     `<html><head>${head}</head><body>${model.display?.accessPass ? '<p>Compare the picture</p>' : ''}${fragment}</body></html>`,
 * });
 * ```
 */
export interface WaitDisplay extends ChallengeDisplay {
  launchUrl?: string;
}

/**
 * Everything the wait page shows, for the library's renderer and an app's `renderPage` hook.
 *
 * @example
 * ```ts
 * import { pushLogin } from 'passport-push';
 *
 * pushLogin({
 *   strategy,
 *   renderPage: ({ lang, title, head, fragment, model }) =>
 *     `<html lang="${lang}"><head><title>${title}</title>${head}</head><body data-state="${model.state}">${fragment}</body></html>`,
 * });
 * ```
 */
export interface WaitPageModel {
  /** The language the page is in (`en`, `de`, `sv`, or one the app added). */
  locale: string;
  /** The complete catalogue for `locale`, app overrides applied. */
  messages: Catalogue;
  /** Heading of the wait page. */
  title: string;
  /** The ID the login was sent to, shown as "Signing in as"; empty when the provider identifies the user. */
  userId: string;
  /** Form field name of the ID for "Send again" (the strategy's `usernameField`). */
  userIdField: string;
  /** `fetched` once the phone has opened the challenge. */
  state: 'pending' | 'fetched';
  /** The challenge this page waits for; the poller sends it so a newer one in another tab shows. */
  challengeId: string;
  /** What to show (access pass, binding message, QR, launch link); undefined when nothing. */
  display: WaitDisplay | undefined;
  /** A provider's current hint, shown in the user's language when its texts know the key. */
  providerMessage?: ProviderMessage;
  /** Time left until the local deadline, in ms (drives the countdown). */
  expiresInMs: number;
  /** When the page's first status poll is useful, in ms. */
  retryAfterMs: number;
  /** Route URLs, already relative to where the router is mounted. */
  urls: {
    /** The JSON status route the page polls. */
    status: string;
    /** The status stream (server-sent events); without it the page polls `status`. */
    events?: string;
    /** Where Cancel posts. */
    cancel: string;
    /** The wait page itself (reloaded for a newer login). */
    wait: string;
    /** The page's script. */
    script: string;
    /** The page's style sheet. */
    style: string;
    /** The app's login page (it gets `push=<state>` appended, and `id` when the app allows it). */
    retry: string;
    /** Where "Send again" posts. */
    start: string;
  };
}

/**
 * The pieces an app's layout needs: put `head` into `<head>` and `fragment` into the body.
 *
 * @example
 * ```ts
 * import { pushLogin, type WaitPageParts } from 'passport-push';
 *
 * const layout = ({ lang, title, head, fragment }: WaitPageParts) =>
 *   `<!doctype html><html lang="${lang}"><head><title>${title}</title>${head}</head><main>${fragment}</main></html>`;
 * pushLogin({ strategy, renderPage: layout });
 * ```
 */
export interface WaitPageParts {
  /** Everything the page knows (locale, messages, userId, state, challengeId, display, urls). */
  model: WaitPageModel;
  /** `<html lang>` value. */
  lang: string;
  /** Document title for the current state (the poller keeps it up to date). */
  title: string;
  /** Stylesheet link and the no-JavaScript refresh. */
  head: string;
  /** The wait page itself, including its script tags. */
  fragment: string;
}

/**
 * An app's layout hook: returns the full HTML document around the library's fragment.
 */
export type RenderWaitPage = (parts: WaitPageParts) => string;

/** The ring's circumference in `pathLength` units: the offset is the share of time used. */
const RING = 100;

/** The whole document: the app's layout when it gave one, else the library's plain page. */
export function renderWaitPage(model: WaitPageModel, renderPage?: RenderWaitPage): string {
  const parts = waitPageParts(model);
  return renderPage ? renderPage(parts) : defaultLayout(parts);
}

/** The wait page's head, fragment and title, for a layout. */
export function waitPageParts(page: WaitPageModel): WaitPageParts {
  const model = forAction(page);
  return {
    model,
    lang: model.locale,
    title: `${model.messages[`title.${model.state}`]} · ${model.title}`,
    head: renderHead(model),
    fragment: renderFragment(model),
  };
}

function defaultLayout({ lang, title, head, fragment }: WaitPageParts): string {
  return `<!doctype html>
<html lang="${e(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
${head}
</head>
<body class="push-page">
<main>
${fragment}
</main>
</body>
</html>
`;
}

function renderHead(model: WaitPageModel): string {
  const refreshSeconds = Math.max(1, Math.ceil(model.retryAfterMs / 1000));
  return `<link rel="stylesheet" href="${e(model.urls.style)}">
<noscript><meta http-equiv="refresh" content="${refreshSeconds};url=${e(refreshUrl(model))}"></noscript>`;
}

/**
 * Where the page refreshes to without JavaScript. An action's page names its challenge, so a
 * refresh after the action ended in another tab hears the action's ending, not a login's.
 */
function refreshUrl(model: WaitPageModel): string {
  if (model.display?.action === undefined) return model.urls.wait;
  return `${model.urls.wait}?challenge=${encodeURIComponent(model.challengeId)}`;
}

function renderFragment(model: WaitPageModel): string {
  const m = model.messages;
  const seconds = Math.max(0, Math.ceil(model.expiresInMs / 1000));
  const hint = model.providerMessage ? providerText(m, model.providerMessage) : '';
  const flow = flowOf(model);
  return `<section class="push-card" id="push-wait" aria-labelledby="push-heading"
  data-status-url="${e(model.urls.status)}"${
    model.urls.events
      ? `
  data-events-url="${e(model.urls.events)}"`
      : ''
  }
  data-retry-url="${e(model.urls.retry)}"
  data-challenge-id="${e(model.challengeId)}"
  data-flow="${flow}"
  data-expires-in-ms="${Math.max(0, Math.round(model.expiresInMs))}"
  data-retry-after-ms="${Math.round(model.retryAfterMs)}">
<h1 id="push-heading">${e(model.display?.action !== undefined ? m['approval.title'] : model.title)}</h1>
${renderAction(model)}${model.display?.action === undefined && model.userId ? `<p class="push-user">${e(m['page.signingInAs'])} <strong>${e(model.userId)}</strong></p>\n` : ''}${renderDisplay(model)}
<p class="push-status" id="push-status" role="status" data-state="${model.state}">${e(stateText(m, model.state, flow))}</p>
<p class="push-hint" id="push-hint"${hint ? '' : ' hidden'}>${e(hint)}</p>
<div class="push-countdown">
<svg class="push-ring" viewBox="0 0 36 36" width="28" height="28" aria-hidden="true" focusable="false"><circle class="push-ring-track" cx="18" cy="18" r="15"/><circle class="push-ring-bar" id="push-ring-bar" cx="18" cy="18" r="15" pathLength="${RING}" stroke-dasharray="${RING}" stroke-dashoffset="0"/></svg>
<span id="push-countdown">${e(format(m['countdown.left'], { time: clock(seconds) }))}</span>
</div>
<p class="push-sr-only" id="push-announce" aria-live="polite"></p>
<form method="post" action="${e(model.urls.cancel)}" class="push-actions" id="push-cancel">
${userIdInput(model)}<button type="submit" class="push-secondary">${e(m['action.cancel'])}</button>
</form>
<div class="push-actions" id="push-retry" hidden>
${sendAgain(model)}<a class="push-button" id="push-show-newer" href="${e(model.urls.wait)}" hidden>${e(m['action.showNewer'])}</a>
<a class="push-secondary" id="push-retry-link" href="${e(model.urls.retry)}">${e(m['action.retry'])}</a>
</div>
<details class="push-help">
<summary>${e(flowText(m, 'help.summary', flow))}</summary>
<p>${e(flowText(m, 'help.body', flow))}</p>
</details>
<script type="application/json" id="push-messages">${jsonForHtml(m)}</script>
<script src="${e(model.urls.script)}" defer></script>
</section>`;
}

/**
 * An action's page speaks of the action, never of a login (OWASP Transaction Authorization 1.4):
 * its status texts (also the poller's) are the catalogue's `approval.*` ones.
 */
function forAction(model: WaitPageModel): WaitPageModel {
  if (model.display?.action === undefined) return model;
  return { ...model, messages: actionCatalogue(model.messages) };
}

/**
 * "Send again" posts to the login's start: never on an action's page, whose intent only the app's
 * own route can send (there, "Try again" leads back to the app).
 */
function sendAgain(model: WaitPageModel): string {
  if (model.display?.action !== undefined) return '';
  return `<form method="post" action="${e(model.urls.start)}" id="push-send-again">
${userIdInput(model)}<button type="submit" class="push-button">${e(model.messages['action.sendAgain'])}</button>
</form>
`;
}

/** An action's details, as the phone is asked to show them: the user compares them (never a login). */
function renderAction(model: WaitPageModel): string {
  const action = model.display?.action;
  if (action === undefined) return '';
  return `<div class="push-action"><p>${e(model.messages['approval.details'])}</p><pre id="push-action">${e(action)}</pre></div>\n`;
}

function renderDisplay(model: WaitPageModel): string {
  const { display, messages: m } = model;
  const parts: string[] = [];
  const pass = safeImageDataUrl(display?.accessPass);
  if (pass) {
    parts.push(`<figure class="push-pass"><img src="${pass}" width="176" height="176" alt="${e(m['pass.alt'])}" id="push-access-pass">
<figcaption>${e(m['pass.caption'])}</figcaption></figure>`);
  }
  if (!pass && display?.bindingMessage) {
    parts.push(
      `<p class="push-binding">${e(m['binding.label'])} <strong id="push-binding">${e(display.bindingMessage)}</strong></p>`,
    );
  }
  const launch = safeLaunchUrl(display?.launchUrl);
  if (launch) {
    parts.push(
      `<p class="push-launch"><a class="push-button" id="push-launch" href="${e(launch)}">${e(m['action.openApp'])}</a></p>`,
    );
  }
  // Once the phone has the request (the app has started), a QR is of no more use.
  const qr = model.state === 'fetched' ? undefined : qrImage(display?.qr);
  if (qr) {
    parts.push(`<figure class="push-qr"><img src="${qr}" width="200" height="200" alt="${e(m['qr.alt'])}" id="push-qr">
<figcaption>${e(m['qr.caption'])}</figcaption></figure>`);
  }
  if (parts.length === 0) {
    parts.push(`<p class="push-instruction">${e(instructionText(m, display))}</p>`);
  }
  return parts.join('\n');
}

/**
 * How the user approves, for copy that fits: `scan` a QR code shown here, open the `app` on this
 * device (a launch link and nothing to scan), or answer a `push` on the phone.
 */
type WaitFlow = 'push' | 'scan' | 'app';

function flowOf({ display }: WaitPageModel): WaitFlow {
  if (qrImage(display?.qr)) return 'scan';
  const nothingToCompare = !display?.accessPass && !display?.bindingMessage;
  return safeLaunchUrl(display?.launchUrl) && nothingToCompare ? 'app' : 'push';
}

/** The flow's own text for `key` (`state.pending.scan`), else the push text. */
function flowText(m: Catalogue, key: string, flow: WaitFlow): string {
  return (flow !== 'push' && m[`${key}.${flow}`]) || (m[key] ?? '');
}

function stateText(m: Catalogue, state: WaitPageModel['state'], flow: WaitFlow): string {
  return flowText(m, `state.${state}`, flow);
}

/** The provider's instruction in the page's language when its texts have it, else as it sent it. */
function instructionText(m: Catalogue, display: WaitDisplay | undefined): string {
  const key = display?.instructionKey;
  const translated = key !== undefined && Object.hasOwn(m, key) ? m[key] : undefined;
  return translated || display?.instruction || m['instruction.default'];
}

/** The ID the login was sent to, posted with Send again and Cancel (the login page may keep it). */
function userIdInput(model: WaitPageModel): string {
  return `<input type="hidden" name="${e(model.userIdField)}" value="${e(model.userId)}">\n`;
}

/** A provider's QR: its own image when it sent one, else the text drawn here; junk is dropped. */
export function qrImage(qr: string | undefined): string | undefined {
  if (qr === undefined || qr.length === 0) return undefined;
  if (qr.startsWith('data:')) return safeImageDataUrl(qr);
  if (qr.length > 2048) return undefined;
  try {
    return qrSvgDataUrl(qr);
  } catch {
    return undefined; // more than a QR code holds: show the other cues instead
  }
}

function clock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

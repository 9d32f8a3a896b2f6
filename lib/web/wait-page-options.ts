/**
 * The wait page's options of `pushLogin()` (language, messages, layout) and what the router needs
 * from them per request: the page model, the rendered page, and the two-tab check.
 */
import type { Request } from 'express';
import type { PushPending } from '../core/outcome';
import {
  availableLocales,
  catalogueFor,
  DEFAULT_LOCALE,
  pickLocale,
  type Catalogue,
  type MessageOverrides,
  type ProviderTexts,
} from './messages';
import {
  renderWaitPage,
  type RenderWaitPage,
  type WaitDisplay,
  type WaitPageModel,
} from './client/wait-page';
import { withQuery } from './http-answers';

/**
 * The `pushLogin()` options that shape the wait page.
 *
 * @example
 * ```ts
 * import { pushLogin } from 'passport-push';
 *
 * pushLogin({
 *   strategy,
 *   title: 'Sign in to the shop',
 *   messages: { de: { 'page.title': 'Beim Shop anmelden' } },
 * });
 * ```
 */
export interface WaitPageOptions {
  /** Heading of the wait page. Default: the catalogue's `page.title` in the user's language. */
  title?: string;
  /**
   * The page language: a tag, or a function of the request (e.g. the signed-in app's setting).
   * Undefined (or a function returning undefined): chosen from `Accept-Language`.
   */
  locale?: string | ((req: Request) => string | undefined);
  /** Replacements for any message, per locale (`{ de: { 'page.title': 'Bitte bestätigen' } }`). */
  messages?: MessageOverrides;
  /** Puts the wait page into the app's own layout. Default: a plain page of its own. */
  renderPage?: RenderWaitPage;
  /** Form field of the ID for "Send again"; match the strategy's `usernameField`. Default `'username'`. */
  userIdField?: string;
  /**
   * Put the typed ID into the "Try again" link (`failureRedirect?id=…`), and into the redirect of a
   * start that failed or was refused by a limit, so the login form keeps it.
   * Default false: the ID then lands in URLs and server logs, so turn it on only for IDs that are
   * not personal numbers.
   */
  retryWithUserId?: boolean;
}

/** The router's view of the wait page options. */
export interface WaitPages {
  /** The user's language for this request. */
  locale(req: Request): string;
  catalogue(req: Request): Catalogue;
  render(
    req: Request,
    pending: PushPending,
    display: WaitDisplay | undefined,
    urls: WaitPageModel['urls'],
  ): string;
  /** True when the poll names a challenge other than the session's (a newer login in another tab). */
  superseded(req: Request, pending: Pick<PushPending, 'challengeId'>): boolean;
  /**
   * The JSON answer for a superseded poll: a stable code beside the text, of the action when the
   * superseded challenge approved one.
   */
  supersededBody(
    req: Request,
    action?: boolean,
  ): { state: 'superseded'; code: 'superseded'; message: string };
}

/** How many locales' catalogues a router keeps built. */
const MAX_BUILT_CATALOGUES = 32;
/** How many `Accept-Language` values a router remembers its choice for, and the longest one. */
const MAX_REMEMBERED_HEADERS = 256;
const MAX_REMEMBERED_HEADER = 256;

/**
 * The challenge a wait page's poll names (`?challenge=`), read by the router itself: the app's
 * `query parser` may parse nothing or nest values, and Express parses the query at every read.
 */
export function askedChallenge(req: Request): string | undefined {
  const query = req.url.indexOf('?');
  if (query === -1) return undefined;
  return new URLSearchParams(req.url.slice(query + 1)).get('challenge') ?? undefined;
}

/** Builds the per-request helpers from the options and the provider's texts. */
export function waitPages(options: WaitPageOptions, texts?: ProviderTexts): WaitPages {
  const overrides = options.messages ?? {};
  const locales = availableLocales(overrides);
  // The header's choice, remembered: a browser polls many times a second with the same header.
  // Bounded in entries and in key length, because the header is the browser's to choose.
  const picked = new Map<string, string>();
  // A client that sends no header (an API client, a script) polls as often as a browser.
  const withoutHeader = pickLocale(undefined, locales, DEFAULT_LOCALE);
  const fromHeader = (header: string | undefined): string => {
    if (header === undefined) return withoutHeader;
    if (header.length > MAX_REMEMBERED_HEADER) return pickLocale(header, locales, DEFAULT_LOCALE);
    let tag = picked.get(header);
    if (tag === undefined) {
      tag = pickLocale(header, locales, DEFAULT_LOCALE);
      if (picked.size < MAX_REMEMBERED_HEADERS) picked.set(header, tag);
    }
    return tag;
  };
  const locale = (req: Request): string => {
    const chosen = typeof options.locale === 'function' ? options.locale(req) : options.locale;
    return chosen ?? fromHeader(req.get('accept-language'));
  };
  // Built once per locale: every JSON poll answers in the request's language, many times a second.
  // Bounded, because an app's `locale` function may return any string.
  const built = new Map<string, Catalogue>();
  const catalogue = (req: Request): Catalogue => {
    const tag = locale(req);
    let found = built.get(tag);
    if (found === undefined) {
      found = Object.freeze(catalogueFor(tag, overrides, texts));
      if (built.size < MAX_BUILT_CATALOGUES) built.set(tag, found);
    }
    return found;
  };
  return {
    locale,
    catalogue,
    render(req, pending, display, urls) {
      const model = waitPageModel({
        req,
        pending,
        display,
        urls,
        options,
        locale: locale(req),
        overrides,
        texts,
      });
      return renderWaitPage(model, options.renderPage);
    },
    superseded(req, pending) {
      const asked = askedChallenge(req);
      return asked !== undefined && asked !== pending.challengeId;
    },
    supersededBody(req, action) {
      const message = catalogue(req)[action ? 'approval.state.superseded' : 'state.superseded'];
      return { state: 'superseded', code: 'superseded', message };
    },
  };
}

interface ModelInput {
  req: Request;
  pending: PushPending;
  display: WaitDisplay | undefined;
  urls: WaitPageModel['urls'];
  options: WaitPageOptions;
  locale: string;
  overrides: MessageOverrides;
  /** The provider's texts, under the app's overrides. */
  texts?: ProviderTexts;
}

/** The page model for one pending challenge. */
export function waitPageModel({
  pending,
  display,
  urls,
  options,
  locale,
  overrides,
  texts,
}: ModelInput): WaitPageModel {
  const messages = catalogueFor(locale, overrides, texts);
  const retry =
    options.retryWithUserId && pending.userId ? withQuery(urls.retry, 'id', pending.userId) : urls.retry;
  const providerMessage = pending.providerMessage;
  return {
    locale,
    messages,
    title: options.title ?? messages['page.title'],
    userId: pending.userId ?? '',
    userIdField: options.userIdField ?? 'username',
    state: pending.state,
    challengeId: pending.challengeId,
    display,
    ...(providerMessage ? { providerMessage } : {}),
    expiresInMs: pending.expiresInMs,
    retryAfterMs: pending.retryAfterMs,
    urls: { ...urls, retry },
  };
}

/** The provider's `{key, text}` message once the core sends one (today's plain strings are not shown). */

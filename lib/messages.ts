/**
 * The wait page's texts for an app's own pages: the catalogue of a language (with the app's
 * overrides), the notice for a failed login's `?push=<code>`, the language negotiation the wait
 * page uses, and the placeholder filling.
 *
 * @packageDocumentation
 * @module passport-push/messages
 */
export { catalogueFor, failureText, format, pickLocale } from './web/messages';
export type { Catalogue } from './web/messages';

/**
 * The `message` of every JSON answer, in the request's language like the pages: the provider's own
 * words where it gave some, else the catalogue's text for the state or code. Codes stay as they are.
 */
import type { ObservedState } from '../core/login';
import { defaultMessage, type PushFailure, type PushPending } from '../core/outcome';
import type { PushError } from '../errors';
import type { ProviderMessage } from '../providers/provider';
import { failureText, providerText, type Catalogue } from './messages';

/** A provider message with its text in the catalogue's language (its key unchanged). */
export function localMessage(catalogue: Catalogue, message: ProviderMessage): ProviderMessage {
  return { key: message.key, text: providerText(catalogue, message) };
}

/** What a pending answer says: the state's text. */
export function pendingMessage(catalogue: Catalogue, pending: Pick<PushPending, 'state'>): string {
  return catalogue[`state.${pending.state}`];
}

/** A status stream's state with its texts in the catalogue's language. */
export function localObserved(catalogue: Catalogue, observed: ObservedState): ObservedState {
  if (!('message' in observed)) return observed;
  return {
    ...observed,
    message: pendingMessage(catalogue, observed),
    ...(observed.providerMessage
      ? { providerMessage: localMessage(catalogue, observed.providerMessage) }
      : {}),
  };
}

/**
 * What a failed login says: the provider's words, the app's own words for a user its verify
 * callback refused, or the text for the failure's code (when there is one) or its state.
 */
export function failureMessage(catalogue: Catalogue, failure: PushFailure): string {
  if (failure.providerMessage) return providerText(catalogue, failure.providerMessage);
  if (failure.state === 'rejected' && failure.message !== defaultMessage.rejected) return failure.message;
  const code = failure.code !== undefined && Object.hasOwn(catalogue, `error.${failure.code}`);
  return failureText(catalogue, code ? (failure.code ?? failure.state) : failure.state);
}

/** What an error answer says to the user; the details stay in `error`, the code and the audit events. */
export function errorMessage(catalogue: Catalogue, error: PushError): string {
  return failureText(catalogue, error.code ?? error.kind, {
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  });
}

/**
 * The `message` of every JSON answer, in the request's language like the pages: the provider's own
 * words where it gave some, else the catalogue's text for the state or code. Codes stay as they are.
 */
import type { ObservedState } from '../core/login';
import { defaultMessage, type PushFailure, type PushPending } from '../core/outcome';
import type { PushError } from '../errors';
import type { ProviderMessage } from '../providers/provider';
import { failureText, providerText, type Catalogue } from './messages';
import { actionCatalogue } from './messages/for-action';

/** A provider message with its text in the catalogue's language (its key unchanged). */
export function localMessage(catalogue: Catalogue, message: ProviderMessage): ProviderMessage {
  return { key: message.key, text: providerText(catalogue, message) };
}

/** The texts an answer speaks from: an action's speak of the action, never of a login. */
function textsFor(catalogue: Catalogue, approval: boolean | undefined): Catalogue {
  return approval ? actionCatalogue(catalogue) : catalogue;
}

/** What a pending answer says: the state's text. */
export function pendingMessage(
  catalogue: Catalogue,
  pending: Pick<PushPending, 'state' | 'approval'>,
): string {
  return textsFor(catalogue, pending.approval)[`state.${pending.state}`];
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
  const texts = textsFor(catalogue, failure.approval);
  const code = failure.code !== undefined && Object.hasOwn(texts, `error.${failure.code}`);
  return failureText(texts, code ? (failure.code ?? failure.state) : failure.state);
}

/**
 * What an error answer says to the user (of the action, for an action's `approval`); the details
 * stay in `error`, the code and the audit events.
 */
export function errorMessage(catalogue: Catalogue, error: PushError, approval?: boolean): string {
  return failureText(textsFor(catalogue, approval), error.code ?? error.kind, {
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  });
}

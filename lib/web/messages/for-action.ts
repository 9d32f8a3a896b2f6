/**
 * An action's texts: the catalogue with its login wording replaced by the `approval.*` texts, so an
 * action's wait page and JSON answers speak of the action, never of a login (OWASP Transaction
 * Authorization 1.4).
 */
import type { Catalogue } from './index';
import type { MessageKey } from './en';

/** Each login text an action's answers can show, and the action's text that takes its place. */
const ACTION_TEXTS: Readonly<Partial<Record<MessageKey, MessageKey>>> = {
  'state.pending': 'approval.state.pending',
  'state.pending.scan': 'approval.state.pending.scan',
  'state.pending.app': 'approval.state.pending.app',
  'state.fetched': 'approval.state.fetched',
  'state.authenticated': 'approval.state.approved',
  'title.authenticated': 'approval.state.approved',
  'state.denied': 'approval.state.denied',
  'state.expired': 'approval.state.expired',
  'state.cancelled': 'approval.state.cancelled',
  'state.suspended': 'approval.state.suspended',
  'state.superseded': 'approval.state.superseded',
  'title.superseded': 'approval.title.ended',
  'action.showNewer': 'approval.action.showNewer',
  'state.invalid': 'approval.state.invalid',
  'state.none': 'approval.state.none',
  'state.failed': 'approval.state.failed',
  'title.denied': 'approval.title.ended',
  'title.expired': 'approval.title.ended',
  'title.ended': 'approval.title.ended',
  'error.generic': 'approval.error.generic',
  'error.rate_limited': 'approval.error.rate_limited',
  'error.rate_limited.after': 'approval.error.rate_limited.after',
  'error.subject_mismatch': 'approval.error.subject_mismatch',
  'error.timeout': 'approval.error.timeout',
  'error.store_unavailable': 'approval.error.store_unavailable',
};

/** The catalogue an action's answers speak from: its login texts replaced by the action's. */
export function actionCatalogue(catalogue: Catalogue): Catalogue {
  const texts = Object.entries(ACTION_TEXTS).map(([key, actionKey]) => [key, catalogue[actionKey]]);
  return { ...catalogue, ...Object.fromEntries(texts) };
}

/**
 * An action as one line of text, for a phone that shows the service's request as one text
 * (SecSign ID's `servicename`, Authentiq8 Me's `message`). Each provider checks its own limits on it.
 */
import type { GenericIntent, PaymentIntent } from './action';

/** "Approve payment: 500.00 SEK to Anna Berg, account …, reference …" or "Title: line; line". */
export function actionLine(intent: PaymentIntent | GenericIntent): string {
  if (intent.type === 'generic') return `${intent.title}: ${intent.lines.join('; ')}`;
  return [
    `Approve payment: ${intent.amount} ${intent.currency} to ${intent.payee.name}`,
    ...(intent.payee.account !== undefined ? [`account ${intent.payee.account}`] : []),
    ...(intent.reference !== undefined ? [`reference ${intent.reference}`] : []),
  ].join(', ');
}

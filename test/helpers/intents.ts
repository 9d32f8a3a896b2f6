/** The action the approval tests ask to approve: one payment, made on the "server" (the test). */
import type { PaymentIntent } from '../../lib/providers/action';

export const PAYMENT: PaymentIntent = {
  type: 'payment',
  amount: '500.00',
  currency: 'SEK',
  payee: { name: 'Anna Berg', account: '5491-0000003' },
  reference: 'Rent May',
};

/** README's "FAPI-CIBA" example, type-checked by `tsc --noEmit` (never run). */
import { readFileSync } from 'node:fs';
import { CibaProvider } from '../../lib';

export const provider = new CibaProvider({
  issuer: 'https://auth.bank.example',
  clientId: 'web-bank',
  privateKey: readFileSync('client-key.pem', 'utf8'), // RSA or EC P-256, registered at the OP
  privateKeyId: 'web-bank-2026',
  fapi: true,
  requestObject: { algorithm: 'PS256' }, // signed with privateKey
  acrValues: ['urn:bank:loa:high'],
  scope: 'openid',
});

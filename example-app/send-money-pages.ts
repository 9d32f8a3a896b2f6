/** The "send money" pages: the form with the sent payments, and a payment's receipt. */
import { format } from 'passport-push/messages';
import { demoMessages, type DemoLocale } from './demo-messages';
import { escapeHtml as e } from './html';
import { layout, providerName } from './pages';

/** A payment as the demo keeps it on the server: the intent is made from this, never from a request. */
export interface Payment {
  amount: string;
  currency: string;
  payee: string;
  reference?: string;
}

/** What the receipt shows of the approval the payment was sent with. */
export interface Receipt {
  provider: string;
  intentHash: string;
  challengeId: string;
  approvedAt: number;
}

/** A sent payment. */
export interface SentPayment {
  id: string;
  payment: Payment;
  receipt: Receipt;
}

/** The currencies the form offers. */
export const CURRENCIES = ['SEK', 'EUR'] as const;

type SendText = (typeof demoMessages)[DemoLocale];

function textOf(lang: string): SendText {
  return demoMessages[lang as DemoLocale] ?? demoMessages.en;
}

/** Why an approval ended without a yes (`push` in the query), in the page's words. */
function reasonText(t: SendText, reason: string): string {
  if (reason === 'denied') return t.reasonDenied;
  if (reason === 'expired') return t.reasonExpired;
  if (reason === 'cancelled') return t.reasonCancelled;
  return t.reasonOther;
}

/** The "send money" form, with why the last approval failed and the payments sent so far. */
export function sendPage(options: {
  lang: string;
  providerLabel: string;
  /** The provider approves actions; without it the form is not offered. */
  supported: boolean;
  /** `push` from the query: why the last approval ended. */
  reason?: string;
  /** The form did not pass the checks. */
  invalid?: boolean;
  values?: Partial<Payment>;
  sent: readonly SentPayment[];
}): string {
  const t = textOf(options.lang);
  const v = options.values ?? {};
  const alert = options.invalid
    ? t.sendInvalid
    : options.reason
      ? format(t.notApproved, { reason: reasonText(t, options.reason) })
      : undefined;
  const form = options.supported
    ? `<form method="post" action="/send" class="stack" id="send-money">
<label for="amount">${e(t.amount)}</label>
<input id="amount" name="amount" inputmode="decimal" required maxlength="12" autocomplete="off"${v.amount ? ` value="${e(v.amount)}"` : ''}>
<label for="currency">${e(t.currency)}</label>
<select id="currency" name="currency">${CURRENCIES.map((c) => `<option${c === v.currency ? ' selected' : ''}>${c}</option>`).join('')}</select>
<label for="payee">${e(t.payee)}</label>
<input id="payee" name="payee" required maxlength="70" autocomplete="off"${v.payee ? ` value="${e(v.payee)}"` : ''}>
<label for="reference">${e(t.referenceOptional)}</label>
<input id="reference" name="reference" maxlength="70" autocomplete="off"${v.reference ? ` value="${e(v.reference)}"` : ''}>
<button type="submit" class="primary">${e(t.sendSubmit)}</button>
</form>`
    : `<p class="alert" role="alert">${e(format(t.sendUnsupported, { provider: options.providerLabel }))}</p>`;
  const sent = options.sent.length
    ? `<ul id="transfers">${options.sent
        .map(
          (s) =>
            `<li><a href="/send/receipt/${e(s.id)}">${e(`${s.payment.amount} ${s.payment.currency}`)} · ${e(s.payment.payee)}</a></li>`,
        )
        .join('')}</ul>`
    : `<p class="muted" id="transfers">${e(t.noTransfers)}</p>`;
  return layout({
    lang: options.lang,
    title: t.sendMoney,
    body: `<h1>${e(t.sendMoney)}</h1>
<p class="muted">${e(format(t.sendIntro, { provider: options.providerLabel }))}</p>
${alert ? `<p class="alert" role="alert">${e(alert)}</p>` : ''}
${form}
<h2>${e(t.transfers)}</h2>
${sent}
<p class="small"><a href="/">${e(t.profile)}</a></p>`,
  });
}

/** A sent payment's receipt: what was sent, and the approval it was sent with. */
export function receiptPage(lang: string, sent: SentPayment): string {
  const t = textOf(lang);
  const { payment, receipt } = sent;
  return layout({
    lang,
    title: t.receipt,
    body: `<h1>${e(t.receipt)}</h1>
<p class="muted">${e(t.receiptIntro)}</p>
<dl class="facts" id="receipt">
<dt>${e(t.amount)}</dt><dd>${e(`${payment.amount} ${payment.currency}`)}</dd>
<dt>${e(t.to)}</dt><dd>${e(payment.payee)}</dd>
${payment.reference ? `<dt>${e(t.reference)}</dt><dd>${e(payment.reference)}</dd>` : ''}
<dt>${e(t.approvedWith)}</dt><dd id="receipt-provider">${e(providerName(receipt.provider))}</dd>
<dt>${e(t.approvedAt)}</dt><dd id="receipt-time">${e(new Date(receipt.approvedAt).toISOString())}</dd>
<dt>${e(t.intentHash)}</dt><dd><code id="receipt-hash" class="wrap">${e(receipt.intentHash)}</code></dd>
<dt>${e(t.nonce)}</dt><dd><code class="wrap">${e(receipt.challengeId)}</code></dd>
</dl>
<p class="small"><a href="/send">${e(t.backToSend)}</a></p>`,
  });
}

/** Nothing approved to send (a reload or a replay of the confirm route): nothing was sent. */
export function nothingToConfirmPage(lang: string): string {
  const t = textOf(lang);
  return layout({
    lang,
    title: t.sendMoney,
    body: `<h1>${e(t.sendMoney)}</h1>
<p class="alert" role="alert">${e(t.nothingToConfirm)}</p>
<p class="small"><a href="/send">${e(t.backToSend)}</a></p>`,
  });
}

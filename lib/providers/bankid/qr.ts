/**
 * BankID's animated QR code: `bankid.<qrStartToken>.<seconds since the order started>.<qrAuthCode>`,
 * where `qrAuthCode` is HMAC-SHA256 over the decimal seconds, keyed with `qrStartSecret`, in hex.
 * A new frame every second means a screenshot of the page is useless a second later.
 */
import { createHmac } from 'node:crypto';

/** The `qrAuthCode` for one second of an order: lowercase hex HMAC-SHA256(qrStartSecret, String(seconds)). */
export function qrAuthCode(qrStartSecret: string, seconds: number): string {
  return createHmac('sha256', qrStartSecret).update(String(seconds)).digest('hex');
}

/** Whole seconds between the order's start and `now`; never negative (a clock step back shows frame 0). */
export function qrSeconds(startedAt: number, now: number): number {
  return Math.max(0, Math.floor((now - startedAt) / 1000));
}

/** The text to encode in the QR code shown at `now` for an order started at `startedAt`. */
export function qrData(qrStartToken: string, qrStartSecret: string, startedAt: number, now: number): string {
  const seconds = qrSeconds(startedAt, now);
  return `bankid.${qrStartToken}.${seconds}.${qrAuthCode(qrStartSecret, seconds)}`;
}

/** The same-device link that opens the BankID app; `redirect=null` keeps the app from switching back to a browser of its choice. */
export function launchUrl(autoStartToken: string): string {
  return `bankid:///?autostarttoken=${encodeURIComponent(autoStartToken)}&redirect=null`;
}

/**
 * Typed readers for each call's success answer (`rsp_code` 0000). Field names come from the
 * INFERRED table; values are checked for type and size, and an unexpected value is a protocol error
 * (fail closed), never a guess.
 */
import { malformed } from './errors';
import { isJsonObject, type Envelope } from './envelope';
import {
  ENVELOPE_FIELDS,
  INFERRED_AUTH_STATUS,
  INFERRED_FIELDS as F,
  INFERRED_LINK_STATUS,
  type AuthStatus,
  type LinkStatusValue,
} from './wire-fields';

/** Ids and tokens we keep in the session must stay small and printable. */
const MAX_ID_LENGTH = 256;
const MAX_QR_CHARS = 200_000;
/** An expiry beyond a day is not a push login. */
const MAX_EXPIRES_IN_S = 86_400;

export interface PingAnswer {
  message: string | undefined;
  serverTime: string | number | undefined;
}
export interface AuthenticateAnswer {
  authId: string;
  expiresInS: number | undefined;
  /** The message the server will show, when it echoes one (not a string: as JSON, never equal to ours). */
  message: string | undefined;
}
export interface Device {
  deviceId: string;
  name: string | undefined;
  platform: string | undefined;
  lastSeen: string | undefined;
}
export interface DevicesAnswer {
  /** True when at least one device can receive a push. */
  connected: boolean;
  devices: Device[];
}
export interface CreditsAnswer {
  credits: number;
}
export interface QrAnswer {
  /** A PNG (data URL or bare base64) when the API renders it … */
  image: string | undefined;
  /** … or the text to encode ourselves. */
  payload: string | undefined;
  expiresInS: number | undefined;
}
export interface AuthStatusAnswer {
  status: AuthStatus;
  /** The user the answer is about, when echoed. */
  userId: string | undefined;
  /** The authentication the answer is about, when echoed. */
  authId: string | undefined;
  approvedAt: string | undefined;
}
export interface LinkStatusAnswer {
  status: LinkStatusValue;
}

export function readPing(envelope: Envelope): PingAnswer {
  return {
    message: optionalString(envelope, ENVELOPE_FIELDS.pingMessage, 10_000),
    serverTime: optionalStringOrNumber(envelope, F.serverTime),
  };
}

export function readAuthenticate(envelope: Envelope): AuthenticateAnswer {
  const authId = requiredId(envelope, F.authId);
  // Read loosely: a login ignores the echo, an action compares it, so any other shape is "not ours".
  const raw = envelope.fields[F.message];
  const message =
    raw === undefined || raw === null ? undefined : typeof raw === 'string' ? raw : JSON.stringify(raw);
  return { authId, expiresInS: optionalExpiresIn(envelope), message };
}

export function readDevices(envelope: Envelope): DevicesAnswer {
  const rawDevices = envelope.fields[F.devices];
  const registered = envelope.fields[F.registered];
  if (registered !== undefined && typeof registered !== 'boolean')
    throw malformed(envelope.txnType, F.registered);
  if (rawDevices === undefined) {
    if (registered === undefined) throw malformed(envelope.txnType, `${F.devices} missing`);
    return { connected: registered, devices: [] };
  }
  if (!Array.isArray(rawDevices) || rawDevices.length > 1000) throw malformed(envelope.txnType, F.devices);
  const devices = rawDevices.map((raw): Device => {
    if (!isJsonObject(raw)) throw malformed(envelope.txnType, F.devices);
    const deviceId = raw[F.deviceId];
    if (typeof deviceId !== 'string' || deviceId === '' || deviceId.length > MAX_ID_LENGTH) {
      throw malformed(envelope.txnType, F.deviceId);
    }
    return {
      deviceId,
      name: stringOrUndefined(raw[F.deviceName]),
      platform: stringOrUndefined(raw[F.devicePlatform]),
      lastSeen: stringOrUndefined(raw[F.deviceLastSeen]),
    };
  });
  // Both present and disagreeing: trust the narrower claim (fail closed towards "no device").
  return { connected: devices.length > 0 && registered !== false, devices };
}

export function readCredits(envelope: Envelope): CreditsAnswer {
  const raw = envelope.fields[F.credits];
  // PHP back ends often send numbers as strings; accept plain digits either way.
  const credits = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
  if (typeof credits !== 'number' || !Number.isSafeInteger(credits) || credits < 0) {
    throw malformed(envelope.txnType, F.credits);
  }
  return { credits };
}

export function readQr(envelope: Envelope): QrAnswer {
  const image = optionalString(envelope, F.qrImage, MAX_QR_CHARS);
  const payload = optionalString(envelope, F.qrPayload, 4096);
  if (!image && !payload) throw malformed(envelope.txnType, `neither ${F.qrImage} nor ${F.qrPayload}`);
  return {
    image: image || undefined,
    payload: payload || undefined,
    expiresInS: optionalExpiresIn(envelope),
  };
}

export function readAuthStatus(envelope: Envelope): AuthStatusAnswer {
  const status = envelope.fields[F.status];
  const known = Object.values(INFERRED_AUTH_STATUS) as readonly unknown[];
  if (!known.includes(status)) throw malformed(envelope.txnType, `unknown ${F.status}`);
  return {
    status: status as AuthStatus,
    userId: optionalString(envelope, F.statusUserId, MAX_ID_LENGTH),
    authId: optionalString(envelope, F.statusAuthId, MAX_ID_LENGTH),
    approvedAt: optionalStringOrNumber(envelope, F.approvedAt)?.toString(),
  };
}

export function readLinkStatus(envelope: Envelope): LinkStatusAnswer {
  const status = envelope.fields[F.status];
  const known = Object.values(INFERRED_LINK_STATUS) as readonly unknown[];
  if (!known.includes(status)) throw malformed(envelope.txnType, `unknown ${F.status}`);
  return { status: status as LinkStatusValue };
}

function requiredId(envelope: Envelope, field: string): string {
  const value = envelope.fields[field];
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(value))
    throw malformed(envelope.txnType, field);
  return value;
}

function optionalString(envelope: Envelope, field: string, maxLength: number): string | undefined {
  const value = envelope.fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > maxLength) throw malformed(envelope.txnType, field);
  return value;
}

function optionalStringOrNumber(envelope: Envelope, field: string): string | number | undefined {
  const value = envelope.fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.length <= 64) return value;
  throw malformed(envelope.txnType, field);
}

function optionalExpiresIn(envelope: Envelope): number | undefined {
  const value = envelope.fields[F.expiresIn];
  if (value === undefined || value === null) return undefined;
  const seconds = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;
  if (
    typeof seconds !== 'number' ||
    !Number.isFinite(seconds) ||
    seconds <= 0 ||
    seconds > MAX_EXPIRES_IN_S
  ) {
    throw malformed(envelope.txnType, F.expiresIn);
  }
  return seconds;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_ID_LENGTH ? value : undefined;
}

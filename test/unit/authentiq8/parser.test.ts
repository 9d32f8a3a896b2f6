import fc from 'fast-check';
import { PushError } from '../../../lib/errors';
import {
  readAuthenticate,
  readAuthStatus,
  readCredits,
  readDevices,
  readLinkStatus,
  readPing,
  readQr,
} from '../../../lib/providers/authentiq8/answers';
import { parseEnvelope, type Envelope } from '../../../lib/providers/authentiq8/envelope';
import { TXN_TYPES } from '../../../lib/providers/authentiq8/wire-fields';

const TID = 'tid-1';
const readers = [
  readPing,
  readAuthenticate,
  readDevices,
  readCredits,
  readQr,
  readAuthStatus,
  readLinkStatus,
];

function answer(body: unknown, status = 200) {
  return { status, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) };
}

function envelope(fields: Record<string, unknown>): Envelope {
  return parseEnvelope('get-user-status', answer({ rsp_code: '0000', transaction_id: TID, ...fields }), TID);
}

function thrown(run: () => unknown): PushError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PushError);
    return error as PushError;
  }
  throw new Error('expected a PushError');
}

describe('Authentiq8 answer envelope', () => {
  it('reads the guide example', () => {
    const parsed = parseEnvelope(
      'ping',
      answer({ message: 'Hello World', rsp_msg: 'success', rsp_code: '0000', transaction_id: 'uniqueID1' }),
      'uniqueID1',
    );
    expect(parsed).toMatchObject({ rspCode: '0000', rspMsg: 'success', transactionId: 'uniqueID1' });
    expect(readPing(parsed).message).toBe('Hello World');
  });

  it('refuses an answer to another transaction, even an error answer', () => {
    for (const rsp_code of ['0000', '1044']) {
      const error = thrown(() => parseEnvelope('ping', answer({ rsp_code, transaction_id: 'other' }), TID));
      expect(error).toMatchObject({ kind: 'protocol', code: 'transaction_mismatch', retryable: false });
    }
    thrown(() => parseEnvelope('ping', answer({ rsp_code: '0000' }), TID));
  });

  it('HTTP 5xx and 429 are retryable, other statuses are not', () => {
    expect(thrown(() => parseEnvelope('ping', answer('<h1>oops</h1>', 500), TID))).toMatchObject({
      kind: 'protocol',
      retryable: true,
      code: 'http_status',
    });
    expect(thrown(() => parseEnvelope('ping', answer('', 429), TID)).retryable).toBe(true);
    expect(thrown(() => parseEnvelope('ping', answer('', 404), TID)).retryable).toBe(false);
  });

  it.each([
    ['not JSON', '<html>'],
    ['an array', '[]'],
    ['a fractional rsp_code', '{"rsp_code":0.5,"transaction_id":"tid-1"}'],
    ['a short rsp_code', '{"rsp_code":"00","transaction_id":"tid-1"}'],
    ['a non-string rsp_msg', '{"rsp_code":"0000","rsp_msg":1,"transaction_id":"tid-1"}'],
  ])('refuses %s as malformed', (_what, body) => {
    expect(thrown(() => parseEnvelope('ping', answer(body), TID))).toMatchObject({
      kind: 'protocol',
      code: 'invalid_response',
    });
  });
});

describe('Authentiq8 call answers', () => {
  it('authenticate needs a printable auth_id and a sane expires_in', () => {
    expect(readAuthenticate(envelope({ auth_id: 'a-1', expires_in: 60 }))).toEqual({
      authId: 'a-1',
      expiresInS: 60,
    });
    expect(readAuthenticate(envelope({ auth_id: 'a-1', expires_in: '60' })).expiresInS).toBe(60);
    thrown(() => readAuthenticate(envelope({})));
    thrown(() => readAuthenticate(envelope({ auth_id: 'has space' })));
    thrown(() => readAuthenticate(envelope({ auth_id: 'x'.repeat(300) })));
    thrown(() => readAuthenticate(envelope({ auth_id: 'a', expires_in: -1 })));
    thrown(() => readAuthenticate(envelope({ auth_id: 'a', expires_in: 10 ** 9 })));
  });

  it('devices: connected only with at least one device, and never when registered is false', () => {
    expect(readDevices(envelope({ registered: true, devices: [{ device_id: 'd1' }] })).connected).toBe(true);
    expect(readDevices(envelope({ registered: false, devices: [{ device_id: 'd1' }] })).connected).toBe(
      false,
    );
    expect(readDevices(envelope({ devices: [] })).connected).toBe(false);
    expect(readDevices(envelope({ registered: true })).connected).toBe(true);
    thrown(() => readDevices(envelope({})));
    thrown(() => readDevices(envelope({ devices: [{}] })));
    thrown(() => readDevices(envelope({ devices: 'd1' })));
    thrown(() => readDevices(envelope({ registered: 'yes', devices: [] })));
  });

  it('credits: a non-negative integer, as number or digit string', () => {
    expect(readCredits(envelope({ credits: 42 })).credits).toBe(42);
    expect(readCredits(envelope({ credits: '42' })).credits).toBe(42);
    for (const credits of [-1, 1.5, '4x', null, undefined]) thrown(() => readCredits(envelope({ credits })));
  });

  it('status: only the known values; anything else is malformed, never approval', () => {
    expect(readAuthStatus(envelope({ status: 'approved', user_id: 'alice' }))).toMatchObject({
      status: 'approved',
      userId: 'alice',
    });
    for (const status of ['APPROVED', 'authenticated', 'ok', true, 1, null]) {
      thrown(() => readAuthStatus(envelope({ status })));
    }
    expect(readLinkStatus(envelope({ status: 'linked' })).status).toBe('linked');
    thrown(() => readLinkStatus(envelope({ status: 'approved' })));
  });

  it('qr: an image or a payload is required', () => {
    expect(readQr(envelope({ qr_payload: 'authentiq8me://x', expires_in: 120 }))).toEqual({
      image: undefined,
      payload: 'authentiq8me://x',
      expiresInS: 120,
    });
    thrown(() => readQr(envelope({})));
    thrown(() => readQr(envelope({ qr_payload: '' })));
    thrown(() => readQr(envelope({ qr_code: 5 })));
  });
});

describe('Authentiq8 answer parser, property', () => {
  const run = (txnIndex: number, status: number, body: Buffer, expected: string): void => {
    const txnType = TXN_TYPES[txnIndex % TXN_TYPES.length] ?? 'ping';
    try {
      const parsed = parseEnvelope(txnType, { status, body }, expected);
      for (const read of readers) {
        try {
          read(parsed);
        } catch (error) {
          if (!(error instanceof PushError)) throw error;
        }
      }
    } catch (error) {
      if (!(error instanceof PushError)) throw error;
    }
  };

  it('throws nothing but PushError on arbitrary bytes', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: 100, max: 599 }),
        fc.uint8Array({ maxLength: 300 }),
        (i, status, bytes) => run(i, status, Buffer.from(bytes), TID),
      ),
      { numRuns: 500 },
    );
  });

  it('throws nothing but PushError on arbitrary JSON shaped like an answer', () => {
    const value = fc.oneof(fc.jsonValue(), fc.constantFrom('0000', TID, 'approved', 'linked', 'pending'));
    const fields = fc.dictionary(
      fc.constantFrom(
        'rsp_code',
        'rsp_msg',
        'transaction_id',
        'auth_id',
        'expires_in',
        'status',
        'user_id',
        'devices',
        'registered',
        'credits',
        'qr_code',
        'qr_payload',
        'message',
        'server_time',
        'approved_at',
        '__proto__',
        'constructor',
      ),
      value,
    );
    const body = fc
      .record({ base: fields, envelope: fc.boolean() })
      .map(({ base, envelope: wrap }) => (wrap ? { ...base, rsp_code: '0000', transaction_id: TID } : base));
    fc.assert(
      fc.property(fc.nat(), body, (i, json) => run(i, 200, Buffer.from(JSON.stringify(json)), TID)),
      { numRuns: 1000 },
    );
  });
});

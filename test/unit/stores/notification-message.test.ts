/**
 * The wire form of a notification between instances. Whatever arrives on the channel (another app's
 * messages, a truncated write, an attacker with Redis access) is either a well-formed notification
 * or ignored: the parser never throws.
 */
import fc from 'fast-check';
import { SETTLED_STATES, type NotificationEvent } from '../../../lib/core/notification-bus';
import {
  decodeNotification,
  encodeNotification,
  MAX_NOTIFICATION_MESSAGE_LENGTH,
} from '../../../lib/stores/notification-message';

const challengeId = fc.string({ minLength: 1, maxLength: 128 });
const event: fc.Arbitrary<NotificationEvent> = fc.oneof(
  fc.constant({ type: 'check' as const }),
  fc.constantFrom(...SETTLED_STATES).map((state) => ({ type: 'settled' as const, state })),
);

describe('notification messages', () => {
  it('decode(encode(x)) is x for every challenge id and event', () => {
    fc.assert(
      fc.property(challengeId, event, (id, ev) => {
        expect(decodeNotification(encodeNotification(id, ev))).toEqual({ challengeId: id, event: ev });
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (raw) => {
        expect(() => decodeNotification(raw)).not.toThrow();
      }),
    );
  });

  it('never throws on arbitrary JSON, and accepts only well-typed notifications', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const decoded = decodeNotification(JSON.stringify(value));
        if (decoded) {
          expect(typeof decoded.challengeId).toBe('string');
          expect(['check', 'settled']).toContain(decoded.event.type);
        }
      }),
    );
  });

  it('never throws on near-miss messages (fields of the wrong type or value)', () => {
    const field = fc.oneof(fc.jsonValue(), fc.constantFrom('check', 'settled', 'approved', 1));
    fc.assert(
      fc.property(
        fc.record({ v: field, id: field, type: field, state: field }, { requiredKeys: [] }),
        (fields) => {
          const decoded = decodeNotification(JSON.stringify(fields));
          if (decoded)
            expect(decodeNotification(encodeNotification(decoded.challengeId, decoded.event))).toEqual(
              decoded,
            );
        },
      ),
    );
  });

  it.each([
    ['not JSON', '{'],
    ['JSON null', 'null'],
    ['an array', '[1,"c1","check"]'],
    ['another version', '{"v":2,"id":"c1","type":"check"}'],
    ['no id', '{"v":1,"type":"check"}'],
    ['an empty id', '{"v":1,"id":"","type":"check"}'],
    ['a numeric id', '{"v":1,"id":7,"type":"check"}'],
    ['an unknown type', '{"v":1,"id":"c1","type":"approve"}'],
    ['settled without a state', '{"v":1,"id":"c1","type":"settled"}'],
    ['settled with an unknown state', '{"v":1,"id":"c1","type":"settled","state":"logged_in"}'],
    ['settled while still pending', '{"v":1,"id":"c1","type":"settled","state":"pending"}'],
    ['a state inherited from Object', '{"v":1,"id":"c1","type":"settled","state":"constructor"}'],
    ['a prototype key', '{"__proto__":{"v":1,"id":"c1","type":"check"}}'],
  ])('ignores %s', (_name, raw) => {
    expect(decodeNotification(raw)).toBeUndefined();
  });

  it('ignores an oversized message without parsing it', () => {
    const id = 'x'.repeat(MAX_NOTIFICATION_MESSAGE_LENGTH);
    expect(decodeNotification(JSON.stringify({ v: 1, id, type: 'check' }))).toBeUndefined();
  });

  it('drops unknown extra fields of a well-formed message', () => {
    expect(decodeNotification('{"v":1,"id":"c1","type":"settled","state":"denied","extra":true}')).toEqual({
      challengeId: 'c1',
      event: { type: 'settled', state: 'denied' },
    });
  });
});

/**
 * The in-memory display store: what the wait page shows comes back exactly as it was stored until
 * the challenge's expiry, and the store never grows past its cap.
 */
import fc from 'fast-check';
import {
  MAX_DISPLAY_BYTES,
  MemoryDisplayStore,
  parseDisplay,
  serializeDisplay,
} from '../../../lib/core/display-store';
import { manualClock } from '../../helpers/clock';
import { randomDesign, renderAccessPass, toDataUrl } from '../../../lib/testing/secsign-id-access-pass';
import type { ChallengeDisplay } from '../../../lib/providers/provider';

const MINUTE = 60_000;

function accessPassDisplay(): ChallengeDisplay {
  return { accessPass: toDataUrl(renderAccessPass(randomDesign())), instruction: 'Pick this picture' };
}

describe('MemoryDisplayStore', () => {
  it('gives back exactly what was stored, access pass included', async () => {
    const clock = manualClock();
    const store = new MemoryDisplayStore({ now: clock.now });
    const display = accessPassDisplay();
    await store.set('c1', display, clock.now() + MINUTE);
    await expect(store.get('c1')).resolves.toEqual(display);
  });

  it.each<[string, ChallengeDisplay]>([
    ['a binding message and instruction', { bindingMessage: 'K7 QX', instruction: 'Compare the code' }],
    ['a QR URL', { qr: 'https://example.com/enrol?code=abc' }],
    ['an image in another format', { qr: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' }],
    ['a PNG data URL whose base64 is not canonical', { accessPass: 'data:image/png;base64,iVBORw0KGgo' }],
    ['a PNG data URL with stray characters', { accessPass: 'data:image/png;base64,iVBO Rw0K\nGgo=' }],
    ['an empty display', {}],
  ])('keeps %s unchanged', async (_name, display) => {
    const clock = manualClock();
    const store = new MemoryDisplayStore({ now: clock.now });
    await store.set('c1', display, clock.now() + MINUTE);
    await expect(store.get('c1')).resolves.toEqual(display);
  });

  it('keeps fields it does not know (a newer provider contract) as they are', async () => {
    const clock = manualClock();
    const store = new MemoryDisplayStore({ now: clock.now });
    const display = { instruction: 'Open the app', launchUrl: 'authentiq8://auth?x=1' } as ChallengeDisplay;
    await store.set('c1', display, clock.now() + MINUTE);
    await expect(store.get('c1')).resolves.toEqual(display);
  });

  it('returns a copy: changing what get() returned changes nothing stored', async () => {
    const clock = manualClock();
    const store = new MemoryDisplayStore({ now: clock.now });
    await store.set('c1', { instruction: 'Confirm' }, clock.now() + MINUTE);
    const first = await store.get('c1');
    if (first) first.instruction = 'changed';
    await expect(store.get('c1')).resolves.toEqual({ instruction: 'Confirm' });
  });

  it('forgets an entry at its expiry, by the injected clock', async () => {
    const clock = manualClock();
    const store = new MemoryDisplayStore({ now: clock.now });
    await store.set('c1', { instruction: 'Confirm' }, clock.now() + MINUTE);
    clock.advance(MINUTE - 1);
    await expect(store.get('c1')).resolves.toEqual({ instruction: 'Confirm' });
    clock.advance(1);
    await expect(store.get('c1')).resolves.toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('does not store what has already expired', async () => {
    const clock = manualClock();
    const store = new MemoryDisplayStore({ now: clock.now });
    await store.set('c1', { instruction: 'Confirm' }, clock.now());
    expect(store.size).toBe(0);
  });

  it('delete() forgets at once', async () => {
    const clock = manualClock();
    const store = new MemoryDisplayStore({ now: clock.now });
    await store.set('c1', { instruction: 'Confirm' }, clock.now() + MINUTE);
    await store.delete('c1');
    await store.delete('never-stored');
    await expect(store.get('c1')).resolves.toBeUndefined();
  });

  it('never holds more than maxEntries: the oldest goes first', async () => {
    const clock = manualClock();
    const store = new MemoryDisplayStore({ maxEntries: 3, now: clock.now });
    for (const id of ['c1', 'c2', 'c3', 'c4']) await store.set(id, { instruction: id }, clock.now() + MINUTE);
    expect(store.size).toBe(3);
    await expect(store.get('c1')).resolves.toBeUndefined();
    await expect(store.get('c4')).resolves.toEqual({ instruction: 'c4' });
  });

  it('setting an id again replaces it and makes it the newest', async () => {
    const clock = manualClock();
    const store = new MemoryDisplayStore({ maxEntries: 2, now: clock.now });
    await store.set('c1', { instruction: 'old' }, clock.now() + MINUTE);
    await store.set('c2', { instruction: 'c2' }, clock.now() + MINUTE);
    await store.set('c1', { instruction: 'new' }, clock.now() + MINUTE);
    await store.set('c3', { instruction: 'c3' }, clock.now() + MINUTE);
    await expect(store.get('c1')).resolves.toEqual({ instruction: 'new' });
    await expect(store.get('c2')).resolves.toBeUndefined();
  });

  it('drops expired entries at the old end as it stores new ones, so they do not wait for the cap', async () => {
    const clock = manualClock();
    const store = new MemoryDisplayStore({ maxEntries: 100, now: clock.now });
    await store.set('short1', { instruction: 'a' }, clock.now() + MINUTE);
    await store.set('short2', { instruction: 'b' }, clock.now() + MINUTE);
    clock.advance(MINUTE);
    await store.set('c3', { instruction: 'c' }, clock.now() + MINUTE);
    expect(store.size).toBe(1);
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => new MemoryDisplayStore({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => new MemoryDisplayStore({ maxEntries: 1.5 })).toThrow(/maxEntries/);
  });
});

describe('MemoryDisplayStore field names', () => {
  it('gives back a field named __proto__ as a field, whatever its value', async () => {
    const clock = manualClock();
    const store = new MemoryDisplayStore({ now: clock.now });
    const display = JSON.parse('{"__proto__":"data:image/png;base64,iVBORw0KGgo=","instruction":"x"}');
    await store.set('c1', display, clock.now() + MINUTE);
    const read = await store.get('c1');
    expect(read && Object.prototype.hasOwnProperty.call(read, '__proto__')).toBe(true);
    expect(read).toEqual(display);
  });
});

describe('MemoryDisplayStore size cap', () => {
  it('refuses a display larger than maxEntryBytes with a typed limit error, keeping nothing', async () => {
    const clock = manualClock();
    const store = new MemoryDisplayStore({ maxEntryBytes: 1024, now: clock.now });
    await expect(
      store.set('c1', { instruction: 'x'.repeat(2000) }, clock.now() + MINUTE),
    ).rejects.toMatchObject({
      kind: 'limit',
      code: 'display_too_large',
    });
    expect(store.size).toBe(0);
  });

  it('accepts a real access pass with the default cap', async () => {
    const clock = manualClock();
    const store = new MemoryDisplayStore({ now: clock.now });
    await store.set('c1', accessPassDisplay(), clock.now() + MINUTE);
    expect(store.size).toBe(1);
  });
});

describe('parseDisplay (what a shared store gives back)', () => {
  it('never throws, and gives back only objects of text fields', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((value) => JSON.stringify(value)),
        ),
        (raw) => {
          const display = parseDisplay(raw, MAX_DISPLAY_BYTES);
          if (display) expect(Object.values(display).every((value) => typeof value === 'string')).toBe(true);
        },
      ),
    );
  });

  it('reads back what serializeDisplay wrote', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (display) => {
        expect(parseDisplay(serializeDisplay(display, MAX_DISPLAY_BYTES), MAX_DISPLAY_BYTES)).toEqual(
          display,
        );
      }),
    );
  });
});

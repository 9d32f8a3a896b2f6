import fc from 'fast-check';
import { PushError } from '../../../lib/errors';
import { SECSIGN_STATES, lookupState } from '../../../lib/providers/secsign-id/states';

describe('SecSign ID state table', () => {
  it.each([
    ['1', 'pending'],
    ['7', 'fetched'],
    ['3', 'approved'],
    ['4', 'denied'],
    ['2', 'expired'],
    ['5', 'suspended'],
    ['6', 'cancelled'],
    ['8', 'invalid'],
  ])('maps %s to %s', (code, state) => {
    expect(lookupState(code).state).toBe(state);
  });

  it('gives every ending state a reason safe to show', () => {
    for (const entry of Object.values(SECSIGN_STATES)) {
      const ends = !['pending', 'fetched', 'approved'].includes(entry.state);
      expect(entry.message !== undefined).toBe(ends);
      if (entry.message) expect(entry.message.key).toBe(`secsign.${entry.state}`);
    }
  });

  it.each([
    ['0'],
    ['9'],
    [''],
    ['03'],
    [' 3'],
    ['3.0'],
    ['-3'],
    ['__proto__'],
    ['constructor'],
    ['toString'],
  ])('refuses %j as a protocol error', (code) => {
    expect(() => lookupState(code)).toThrow(PushError);
    try {
      lookupState(code);
    } catch (error) {
      expect((error as PushError).kind).toBe('protocol');
    }
  });

  it('refuses a missing state as a protocol error', () => {
    expect(() => lookupState(undefined)).toThrow(
      expect.objectContaining({ kind: 'protocol', code: 'invalid_response' }),
    );
  });

  it('never reads anything but exactly "3" as approval', () => {
    fc.assert(
      fc.property(fc.string(), (code) => {
        fc.pre(code !== '3');
        try {
          expect(lookupState(code).state).not.toBe('approved');
        } catch (error) {
          expect(error).toBeInstanceOf(PushError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

/** Decoy access passes on the simulated phone differ by shape, not only by colour. */
import fc from 'fast-check';
import {
  ACCESS_PASS_COLOURS,
  ACCESS_PASS_SYMBOLS,
  designKey,
  randomDecoy,
} from '../../../lib/testing/secsign-id-access-pass';

test('every decoy has a symbol that no pass shown before it has', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: ACCESS_PASS_SYMBOLS.length - 1 }),
      fc.integer({ min: 0, max: ACCESS_PASS_COLOURS.length - 1 }),
      fc.integer({ min: 1, max: 6 }),
      (symbol, colour, decoys) => {
        const taken = new Set([designKey({ symbol, colour })]);
        const symbols = new Set([symbol]);
        for (let i = 0; i < decoys; i++) {
          const decoy = randomDecoy(taken);
          expect(symbols.has(decoy.symbol)).toBe(false);
          symbols.add(decoy.symbol);
          taken.add(designKey(decoy));
        }
      },
    ),
  );
});

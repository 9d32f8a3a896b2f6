/**
 * Heap per display kept by the in-memory stores, with real 88×88 access passes: N entries stored,
 * forced GC before and after, (heapUsed + arrayBuffers) growth / N: MemoryDisplayStore (PNG bytes)
 * with an access pass and with text only. Run alone, it is not part of `npm run bench`:
 *   node --expose-gc --import tsx bench/display-store-memory.ts
 */
import { randomDesign, renderAccessPass, toDataUrl } from '../lib/testing/secsign-id-access-pass';
import { MemoryDisplayStore } from '../lib/core/display-store';

const COUNT = 10_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

/** A few distinct pictures, copied per entry so no two entries share a string. */
const pictures = Array.from({ length: 50 }, () => renderAccessPass(randomDesign()));
const pictureBytes = pictures.reduce((sum, png) => sum + png.length, 0) / pictures.length;
const displayFor = (i: number) => ({
  accessPass: toDataUrl(Buffer.from(pictures[i % pictures.length] as Buffer)),
  instruction: 'Pick the picture on your phone',
});

function used(): number {
  gc?.();
  gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

async function measure(name: string, store: (id: string, i: number) => Promise<void> | void): Promise<void> {
  const before = used();
  for (let i = 0; i < COUNT; i++) await store(`challenge-${i}`, i);
  const perEntry = (used() - before) / COUNT;
  console.log(`${name.padEnd(40)} ${(perEntry / 1024).toFixed(2)} KB per display`);
}

async function main(): Promise<void> {
  console.log(`access pass: ${(pictureBytes / 1024).toFixed(2)} KB of PNG on average, ${COUNT} entries`);
  const expiresAt = Date.now() + 3_600_000;
  const store = new MemoryDisplayStore({ maxEntries: COUNT });
  await measure('MemoryDisplayStore (PNG bytes)', (id, i) => store.set(id, displayFor(i), expiresAt));
  const textOnly = new MemoryDisplayStore({ maxEntries: COUNT });
  await measure('MemoryDisplayStore, text only (CIBA)', (id) =>
    textOnly.set(id, { bindingMessage: 'K7QX-2M', instruction: 'Compare the code' }, expiresAt),
  );
  // Keep both alive until every measurement is done.
  if (store.size + textOnly.size !== 2 * COUNT) throw new Error('entries went missing');
}

void main();

// After tsc: copies the wait page's static assets next to the compiled router, and writes an ESM
// face next to each CommonJS entry of package.json "exports" (dist/index, dist/redis, …): a .mjs so
// that `import` gets named exports (Node
// reads the names from the CommonJS build, so nothing is listed by hand), and a .d.mts
// so that TypeScript sees that face as ESM too (an `import` typed by a .d.ts would "masquerade as
// CJS": TypeScript would allow a default import that Node does not give).
import { copyFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { entryPoints } from './entry-points.mjs';

for (const asset of ['poller.js', 'wait.css'])
  copyFileSync(`lib/web/client/${asset}`, `dist/web/client/${asset}`);
for (const { base } of entryPoints) {
  const reexport = `export * from './${basename(base)}.js';\n`;
  writeFileSync(`${base}.mjs`, reexport);
  writeFileSync(`${base}.d.mts`, reexport);
}

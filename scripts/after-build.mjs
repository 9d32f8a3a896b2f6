// After tsc: copies the wait page's static assets next to the compiled router, and writes an ESM
// face next to each CommonJS entry: dist/**/index.mjs so that `import` gets named exports (Node
// reads the names from the CommonJS build, so nothing is listed by hand), and dist/**/index.d.mts
// so that TypeScript sees that face as ESM too (an `import` typed by a .d.ts would "masquerade as
// CJS": TypeScript would allow a default import that Node does not give).
import { copyFileSync, writeFileSync } from 'node:fs';

for (const asset of ['poller.js', 'wait.css'])
  copyFileSync(`lib/web/client/${asset}`, `dist/web/client/${asset}`);
for (const entry of ['dist/index', 'dist/testing/index']) {
  writeFileSync(`${entry}.mjs`, "export * from './index.js';\n");
  writeFileSync(`${entry}.d.mts`, "export * from './index.js';\n");
}

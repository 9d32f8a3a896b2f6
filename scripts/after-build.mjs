// After tsc: copies the wait page's static assets next to the compiled router, and writes
// dist/**/index.mjs next to each CommonJS entry so that `import` gets named exports (Node reads the
// names from the CommonJS build, so nothing is listed by hand).
import { copyFileSync, writeFileSync } from 'node:fs';

for (const asset of ['poller.js', 'wait.css'])
  copyFileSync(`lib/web/client/${asset}`, `dist/web/client/${asset}`);
for (const entry of ['dist/index', 'dist/testing/index'])
  writeFileSync(`${entry}.mjs`, "export * from './index.js';\n");

// Writes dist/**/index.mjs next to each CommonJS entry point so that `import` gets named exports.
// Node reads the names from the CommonJS build (cjs-module-lexer), so nothing is listed by hand.
import { writeFileSync } from 'node:fs';

for (const entry of ['dist/index', 'dist/testing/index']) {
  writeFileSync(`${entry}.mjs`, "export * from './index.js';\n");
}

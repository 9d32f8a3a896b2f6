// What a fragment may take from its reader's own app (`<!-- snippet: fragment; needs: … -->`): the
// declarations of test/docs/snippet-globals.d.ts, the one list of such names (the Jest docs test
// compiles the pages and lib's @examples with it too). Each name a fragment lists is declared after
// its code (declarations are hoisted, so the block's line numbers stay the block's); a name it uses
// but does not list fails to compile. Add a name there only when a block cannot import or define it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const file = join(
  dirname(dirname(dirname(fileURLToPath(import.meta.url)))),
  'test/docs/snippet-globals.d.ts',
);
const text = readFileSync(file, 'utf8');
const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);

/** Types the declarations use (`DocsUser`): declared with every fragment that needs anything. */
export const SHARED = source.statements
  .filter((statement) => ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement))
  .map((statement) => statement.getText(source))
  .join('\n');

/** Name → its declaration (`declare const app: import('express').Express;`). */
export const CONTEXT = Object.fromEntries(
  source.statements.flatMap((statement) => {
    if (ts.isVariableStatement(statement))
      return statement.declarationList.declarations.map((declaration) => [
        declaration.name.getText(source),
        statement.getText(source),
      ]);
    if (ts.isFunctionDeclaration(statement) && statement.name)
      return [[statement.name.text, statement.getText(source)]];
    return [];
  }),
);

/**
 * The API reference's standard: every export of `passport-push` and `passport-push/testing` has a
 * JSDoc comment with a one-line summary and an `@example` (which code-blocks.test.ts compiles).
 * Editors and TypeDoc show only the comment on the declaration, never a file's header comment.
 */
import path from 'node:path';
import ts from 'typescript';
import { root } from './markdown-files';

const entryPoints = { 'passport-push': 'lib/index.ts', 'passport-push/testing': 'lib/testing/index.ts' };

/** Each export's name and what its declarations' JSDoc lacks. */
function undocumentedExports(): Record<string, string[]> {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const files = Object.values(entryPoints).map((file) => path.join(root, file));
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const lacking: Record<string, string[]> = {};
  for (const [entry, file] of Object.entries(entryPoints)) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(path.join(root, file))!)!;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = symbol.declarations ?? [];
      const docs = declarations.flatMap((declaration) => {
        // A variable's JSDoc sits on its statement, not on the declaration.
        const node = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
        return ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
      });
      const summary = docs.some((doc) => ts.getTextOfJSDocComment(doc.comment)?.trim());
      const example = docs.some((doc) => (doc.tags ?? []).some((tag) => tag.tagName.text === 'example'));
      const missing = [...(summary ? [] : ['summary']), ...(example ? [] : ['@example'])];
      if (missing.length > 0) lacking[`${entry}: ${exported.name}`] = missing;
    }
  }
  return lacking;
}

test('every public export has a JSDoc summary and an @example', () => {
  expect(undocumentedExports()).toEqual({});
}, 60_000);

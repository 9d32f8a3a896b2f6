/**
 * The API reference's standard: every export of `passport-push` and its subpaths (public-api.ts) has a
 * JSDoc comment with a one-line summary and an `@example` (which code-blocks.test.ts compiles).
 * Editors and TypeDoc show only the comment on the declaration, never a file's header comment.
 */
import ts from 'typescript';
import { publicExports } from './public-api';

/** Each export's name and what its declarations' JSDoc lacks. */
function undocumentedExports(): Record<string, string[]> {
  const lacking: Record<string, string[]> = {};
  for (const { entry, name, declarations } of publicExports()) {
    const docs = declarations.flatMap((declaration) => {
      // A variable's JSDoc sits on its statement, not on the declaration.
      const node = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
      return ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
    });
    const summary = docs.some((doc) => ts.getTextOfJSDocComment(doc.comment)?.trim());
    const example = docs.some((doc) => (doc.tags ?? []).some((tag) => tag.tagName.text === 'example'));
    const missing = [...(summary ? [] : ['summary']), ...(example ? [] : ['@example'])];
    if (missing.length > 0) lacking[`${entry}: ${name}`] = missing;
  }
  return lacking;
}

test('every public export has a JSDoc summary and an @example', () => {
  expect(undocumentedExports()).toEqual({});
}, 60_000);

/**
 * Every `@example` in lib/'s JSDoc, also on internal declarations (which code-blocks.test.ts does
 * not compile, yet TypeDoc renders when a public signature names them), imports from a package
 * entry only names that entry exports: a reader who copies an example must not meet "has no
 * exported member".
 */
import ts from 'typescript';
import { jsdocExamples, read, typeScriptFiles } from './markdown-files';
import { entryPoints, publicExports } from './public-api';

/** The names each package specifier exports. */
function exportedBy(): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>(Object.keys(entryPoints).map((entry) => [entry, new Set()]));
  for (const { entry, name } of publicExports()) names.get(entry)?.add(name);
  return names;
}

/** `file:line name from 'specifier'` for each imported name the specifier does not export. */
function wrongImports(): string[] {
  const names = exportedBy();
  const wrong: string[] = [];
  for (const file of typeScriptFiles('lib'))
    for (const block of jsdocExamples(read(file))) {
      const source = ts.createSourceFile('example.ts', block.code, ts.ScriptTarget.Latest);
      for (const statement of source.statements) {
        if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
        const specifier = statement.moduleSpecifier.text;
        const exported = names.get(specifier);
        const bindings = statement.importClause?.namedBindings;
        if (exported === undefined || bindings === undefined || !ts.isNamedImports(bindings)) continue;
        for (const element of bindings.elements) {
          const name = (element.propertyName ?? element.name).text;
          if (!exported.has(name)) wrong.push(`${file}:${block.line} ${name} from '${specifier}'`);
        }
      }
    }
  return wrong;
}

test("lib/'s examples import from each entry point only names it exports", () => {
  expect(wrongImports()).toEqual([]);
}, 60_000);

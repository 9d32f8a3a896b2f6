/**
 * The package's public entry points, read as a user's compiler reads them: which names each
 * exports and where in lib/ those names are declared. Shared by the docs tests and the root-size test.
 */
import path from 'node:path';
import ts from 'typescript';
import { root } from './markdown-files';

/** Each package specifier and the lib/ file behind it (package.json "exports" builds these). */
export const entryPoints: Readonly<Record<string, string>> = {
  'passport-push': 'lib/index.ts',
  'passport-push/testing': 'lib/testing/index.ts',
  'passport-push/redis': 'lib/redis.ts',
  'passport-push/messages': 'lib/messages.ts',
};

/** An exported name, the symbol it stands for, and that symbol's declarations. */
export interface PublicExport {
  entry: string;
  name: string;
  symbol: ts.Symbol;
  declarations: ts.Declaration[];
}

/** Every export of every entry point, from one program over the repository's tsconfig. */
export function publicExports(): PublicExport[] {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const files = Object.values(entryPoints).map((file) => path.join(root, file));
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  return Object.entries(entryPoints).flatMap(([entry, file]) => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(path.join(root, file))!)!;
    return checker.getExportsOfModule(module).map((exported) => {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      return { entry, name: exported.name, symbol, declarations: symbol.declarations ?? [] };
    });
  });
}

/**
 * The lines of lib/ that public declarations span (their JSDoc and members included), by
 * root-relative file: an `@example` there is part of the API reference.
 */
export function publicLines(exports: readonly PublicExport[]): Map<string, [number, number][]> {
  const spans = new Map<string, [number, number][]>();
  for (const declaration of exports.flatMap((exported) => exported.declarations)) {
    // A variable's JSDoc sits on its statement, not on the declaration.
    const node = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
    const source = node.getSourceFile();
    const file = path.relative(root, source.fileName).split(path.sep).join('/');
    const line = (position: number) => source.getLineAndCharacterOfPosition(position).line + 1;
    spans.set(file, [...(spans.get(file) ?? []), [line(node.getFullStart()), line(node.getEnd())]]);
  }
  return spans;
}

// The names (types and values) a declaration file exports, as a user's compiler resolves them:
// `export *` followed, re-exports counted once (scripts/check-package.mjs).
import ts from 'typescript';

/** Sorted exported names of the module in `file` (a .d.ts or a .ts). */
export function exportedNames(file) {
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file));
  if (!module) throw new Error(`${file} is not a module`);
  return checker
    .getExportsOfModule(module)
    .map((symbol) => symbol.name)
    .sort();
}

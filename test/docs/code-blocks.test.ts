/**
 * Every ```ts block in the hand-written Markdown and every `@example` in lib/'s JSDoc (what the
 * API reference shows: on a declaration an entry point exports) compiles against the public entry
 * points, as a user would paste it; a
 * Markdown block marked `<!-- include: examples/<file>.ts -->` is that file as it is (the examples
 * themselves are compiled by the type check and run by test/examples).
 */
import path from 'node:path';
import ts from 'typescript';
import { codeBlocks, jsdocExamples, markdownFiles, read, root, typeScriptFiles } from './markdown-files';
import { publicExports, publicLines } from './public-api';

interface Snippet {
  name: string;
  file: string;
  code: string;
}

// Only what the API reference shows: an example on a declaration no entry point exports is internal.
const publicSpans = publicLines(publicExports());
const isPublic = (file: string, line: number) =>
  (publicSpans.get(file) ?? []).some(([from, to]) => from <= line && line <= to);
const blocks = [
  ...markdownFiles().map((file) => ({ file, found: codeBlocks(read(file)) })),
  ...typeScriptFiles('lib').map((file) => ({
    file,
    found: jsdocExamples(read(file)).filter((block) => isPublic(file, block.line)),
  })),
].flatMap(({ file, found }) =>
  found
    .filter((block) => block.lang === 'ts')
    .map((block) => ({ ...block, file, name: `${file}:${block.line}` })),
);
const included = blocks.filter((block) => block.include !== undefined);
const snippets: Snippet[] = blocks
  .filter((block) => block.include === undefined)
  .map((block) => ({
    name: block.name,
    // Beside the globals file; .mts: an ES module, where a user may await at the top level.
    file: path.join(root, 'test', 'docs', `snippet-${block.name.replace(/[^\w]+/g, '-')}.mts`),
    // `export {}` makes each block a module: its own names shadow the declared globals.
    code: `${block.code}\nexport {};\n`,
  }));

/** Type errors of every snippet, by snippet name, from one program. */
function compile(): Map<string, string[]> {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true };
  const byFile = new Map(snippets.map((snippet) => [snippet.file, snippet]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (file) => byFile.has(file) || fileExists(file);
  host.readFile = (file) => byFile.get(file)?.code ?? readFile(file);
  host.getSourceFile = (file, languageVersion, ...rest) => {
    const snippet = byFile.get(file);
    return snippet
      ? ts.createSourceFile(file, snippet.code, languageVersion, true)
      : getSourceFile(file, languageVersion, ...rest);
  };
  const globals = path.join(root, 'test', 'docs', 'snippet-globals.d.ts');
  const program = ts.createProgram([globals, ...byFile.keys()], options, host);
  const errors = new Map<string, string[]>(snippets.map((snippet) => [snippet.name, []]));
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const snippet = diagnostic.file && byFile.get(diagnostic.file.fileName);
    const where = snippet
      ? `line ${diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
      : (diagnostic.file?.fileName ?? 'options');
    const message = `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    if (snippet) errors.get(snippet.name)!.push(message);
    else for (const list of errors.values()) list.push(message); // a broken globals file fails all
  }
  return errors;
}

let errors: Map<string, string[]>;
beforeAll(() => {
  errors = compile();
}, 120_000);

test('the documentation has code to check', () => {
  expect(snippets.filter((snippet) => snippet.name.includes('.md:'))).not.toEqual([]);
  expect(snippets.filter((snippet) => snippet.name.startsWith('lib/'))).not.toEqual([]);
});

test('every Markdown code block is ts (compiled), sh or text, so no code escapes the check', () => {
  const others = markdownFiles().flatMap((file) =>
    codeBlocks(read(file))
      .filter((block) => !['ts', 'sh', 'text'].includes(block.lang))
      .map((block) => `${file}:${block.line} \`\`\`${block.lang}`),
  );
  expect(others).toEqual([]);
});

test.each(snippets.map((snippet) => snippet.name))('the ts block at %s compiles', (name) => {
  expect(errors.get(name)).toEqual([]);
});

test.each(included.map((block) => [block.name, block.include!, block.code] as const))(
  'the ts block at %s is %s, as it is',
  (_name, include, code) => {
    expect(code).toBe(read(include));
  },
);

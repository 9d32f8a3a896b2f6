// The ```ts blocks of README.md and docs/ (not the generated docs/api/), with the HTML comments
// that say what each block is. A block is a program unless a comment right before it says
// otherwise:
//   <!-- snippet: fragment; needs: app, strategy -->   compiled with those names declared, not run
//   <!-- snippet: esm-only; why: top-level await -->    compiled and run as ESM only
//   <!-- snippet: fragment, esm-only; needs: …; why: … -->
//   <!-- include: examples/x.ts -->                     the file itself (test/docs checks it is)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Root-relative paths of README.md and every docs/ page but the generated API reference. */
export function snippetFiles(root) {
  const files = ['README.md'];
  const walk = (dir) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const file = `${dir}/${name}`;
      if (file === 'docs/api') continue;
      if (statSync(join(root, file)).isDirectory()) walk(file);
      else if (name.endsWith('.md')) files.push(file);
    }
  };
  if (existsSync(join(root, 'docs'))) walk('docs');
  return files;
}

const KINDS = new Set(['fragment', 'esm-only']);

/** Reads a `snippet:` comment's fields, or throws a message naming what is wrong with it. */
function parseMarker(text) {
  const marker = { fragment: false, esmOnly: false, needs: [], why: undefined };
  for (const part of text.split(';')) {
    const match = /^\s*([\w-]+)\s*:\s*(.*?)\s*$/.exec(part);
    if (!match) throw new Error(`cannot read "${part.trim()}" (want key: value; key: value)`);
    const [, key, value] = match;
    if (key === 'snippet') {
      for (const kind of value.split(',').map((word) => word.trim())) {
        if (!KINDS.has(kind)) throw new Error(`unknown kind "${kind}" (fragment, esm-only)`);
        if (kind === 'fragment') marker.fragment = true;
        if (kind === 'esm-only') marker.esmOnly = true;
      }
    } else if (key === 'needs')
      marker.needs = value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
    else if (key === 'why') marker.why = value;
    else throw new Error(`unknown key "${key}" (snippet, needs, why)`);
  }
  if (marker.esmOnly && !marker.why)
    throw new Error('esm-only needs a why: (the reason CommonJS cannot run it)');
  if (marker.needs.length > 0 && !marker.fragment) throw new Error('needs: is for fragments only');
  return marker;
}

/**
 * The ts blocks of one Markdown text: `line` is the line of the opening fence, `code` the text
 * between the fences, `include` the file an include comment names, and the marker's fields.
 * A marker that cannot be read becomes `problem` (reported like a compiler error).
 */
export function tsBlocks(markdown) {
  const blocks = [];
  for (const match of markdown.matchAll(/^```(\w*)[^\n]*\n([\s\S]*?)^```$/gm)) {
    if (match[1] !== 'ts') continue;
    const before = markdown.slice(0, match.index);
    // The comments directly before the fence, in any order (none may reach past its own `-->`).
    const comments = /((?:<!--(?:(?!-->)[\s\S])*-->\s*)*)$/.exec(before)[1];
    const block = {
      line: before.split('\n').length,
      code: match[2],
      fragment: false,
      esmOnly: false,
      needs: [],
    };
    for (const [, text] of comments.matchAll(/<!--\s*([\s\S]*?)\s*-->/g)) {
      const include = /^include:\s*(\S+)$/.exec(text);
      if (include) block.include = include[1];
      else if (text.startsWith('snippet:')) {
        try {
          Object.assign(block, parseMarker(text));
        } catch (error) {
          block.problem = `marker <!-- ${text} -->: ${error.message}`;
        }
      }
    }
    blocks.push(block);
  }
  return blocks;
}

/** Every ts block of the given files, each with its file. */
export function allBlocks(root, files) {
  return files.flatMap((file) =>
    tsBlocks(readFileSync(join(root, file), 'utf8')).map((block) => ({ ...block, file })),
  );
}

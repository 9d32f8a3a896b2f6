/**
 * No broken documentation link: every relative link in the hand-written Markdown names a file or
 * folder that exists, and every `#anchor` names a heading of its target.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { anchors, markdownFiles, read, relativeLinks, root } from './markdown-files';

test('the documentation is there', () => {
  expect(markdownFiles()).toEqual(
    expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'bench/README.md']),
  );
});

test.each(markdownFiles())('every relative link in %s resolves', (file) => {
  const broken: string[] = [];
  for (const { target, line } of relativeLinks(read(file))) {
    const [pathPart = '', anchor] = target.split('#', 2);
    const resolved = pathPart ? path.join(path.dirname(file), decodeURI(pathPart)) : file;
    if (!existsSync(path.join(root, resolved))) {
      broken.push(`${file}:${line} ${target} (no such file)`);
      continue;
    }
    if (anchor === undefined) continue;
    const isMarkdown = resolved.endsWith('.md') && statSync(path.join(root, resolved)).isFile();
    if (!isMarkdown || !anchors(read(resolved)).has(decodeURIComponent(anchor))) {
      broken.push(`${file}:${line} ${target} (no heading #${anchor})`);
    }
  }
  expect(broken).toEqual([]);
});

describe('the link checker itself', () => {
  test('slugs headings as GitHub does', () => {
    const slugs = anchors(
      '# The router: `pushLogin(options)`\n## Errors\n## Errors\n```\n# not a heading\n```\n',
    );
    expect([...slugs]).toEqual(['the-router-pushloginoptions', 'errors', 'errors-1']);
  });

  test('finds relative links outside code only', () => {
    const links = relativeLinks(
      '[a](docs/a.md#x) [b](https://example.com) `[c](c.md)`\n```\n[d](d.md)\n```\n[e](e.md)',
    );
    expect(links).toEqual([
      { target: 'docs/a.md#x', line: 1 },
      { target: 'e.md', line: 5 },
    ]);
  });
});

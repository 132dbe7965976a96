// Every relative link and image in README.md and docs/*.md points at a file
// that exists and, with a `#fragment`, at a heading of that file.
//
//   node --test tests/docs/            (scripts/test.sh docs)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT, docFiles, read, links, anchors, slug } from './markdown.mjs';

/** The broken links of `file` (repository-relative), given its text: strings saying what is wrong. */
export function broken(file, markdown, readDoc = read) {
  const found = [];
  for (const { target } of links(markdown)) {
    const [where, fragment] = target.split('#', 2);
    const to = where === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(where)));
    const full = path.join(ROOT, to);
    if (to.startsWith('..') || !existsSync(full)) {
      found.push(`${target}: ${to} does not exist`);
      continue;
    }
    if (fragment === undefined) continue;
    if (!to.endsWith('.md') || statSync(full).isDirectory()) {
      found.push(`${target}: a #fragment into ${to}, which is not a Markdown file`);
      continue;
    }
    const headings = anchors(to === file ? markdown : readDoc(to));
    if (!headings.has(decodeURIComponent(fragment))) found.push(`${target}: ${to} has no heading #${fragment}`);
  }
  return found;
}

test("GitHub's heading anchors", () => {
  assert.equal(slug('After the update: endpoints, versions and the two ways back'), 'after-the-update-endpoints-versions-and-the-two-ways-back');
  assert.equal(slug('CloudFront: `deploy/cloudfront.yaml`'), 'cloudfront-deploycloudfrontyaml');
  assert.equal(slug('Deploy for your team'), 'deploy-for-your-team');
  assert.deepEqual([...anchors('# A\n## B\n## B\n```\n# not a heading\n```\n')], ['a', 'b', 'b-1']);
});

test('a broken link is caught', () => {
  const doc = [
    '# Title',
    '[ok](#title) [ok](docs/contract.md) [ok](docs/contract.md#automation-contract) ![ok](Makefile)',
    '[bad](#nothing) [bad](docs/nosuch.md) [bad](docs/contract.md#nosuch) <img src="docs/nosuch.png">',
    '`[not a link](nosuch.md)` [web](https://example.com/x)',
  ].join('\n');
  assert.deepEqual(broken('README.md', doc), [
    '#nothing: README.md has no heading #nothing',
    'docs/nosuch.md: docs/nosuch.md does not exist',
    'docs/contract.md#nosuch: docs/contract.md has no heading #nosuch',
    'docs/nosuch.png: docs/nosuch.png does not exist',
  ]);
});

for (const file of docFiles()) {
  test(`the relative links of ${file} resolve`, () => {
    assert.deepEqual(broken(file, read(file)), [], file);
  });
}

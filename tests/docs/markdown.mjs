// What the documentation tests read in Markdown: which files are the docs,
// their fenced code blocks, inline code spans, links and heading anchors.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** README.md and every docs/*.md, as read now (other guides may land in docs/ later). */
export function docFiles() {
  const docs = readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

export const read = (file) => readFileSync(path.join(ROOT, file), 'utf8');

/** Splits Markdown into fenced code blocks ({lang, code}) and the prose between them. */
export function split(markdown) {
  const blocks = [];
  const prose = [];
  let fence = null;
  let lines = [];
  for (const line of markdown.split('\n')) {
    const open = line.match(/^\s*(```+|~~~+)\s*([\w-]*)/);
    if (fence === null && open) {
      fence = { marker: open[1], lang: open[2] };
      lines = [];
    } else if (fence !== null && line.trim().startsWith(fence.marker)) {
      blocks.push({ lang: fence.lang, code: lines.join('\n') });
      fence = null;
    } else if (fence !== null) {
      lines.push(line);
    } else {
      prose.push(line);
    }
  }
  return { blocks, prose: prose.join('\n') };
}

/** Inline code spans of prose. */
export const codeSpans = (prose) => [...prose.matchAll(/(`+)([^`]+?)\1/g)].map((m) => m[2].trim());

/** Prose with its inline code spans blanked out (links in code are not links). */
export const withoutCode = (prose) => prose.replace(/(`+)[^`]+?\1/g, '``');

/**
 * The shell commands a document shows: every line of its fenced blocks (a
 * trailing `\` joins the next line; `# comment`s dropped) and every inline
 * code span.
 */
export function commands(markdown) {
  const { blocks, prose } = split(markdown);
  const out = [];
  for (const { lang, code } of blocks) {
    if (['js', 'mjs', 'json', 'yaml', 'yml', 'rust', 'rs', 'python', 'py', 'html', 'css'].includes(lang)) continue;
    for (const line of code.replace(/\\\n\s*/g, ' ').split('\n')) out.push(line.replace(/(^|\s)#.*$/, '').trim());
  }
  return [...out, ...codeSpans(prose)].filter(Boolean);
}

/** Relative links and image sources of a document: [{ target, text }]. */
export function links(markdown) {
  const prose = withoutCode(split(markdown).prose);
  const found = [];
  for (const m of prose.matchAll(/!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    found.push({ text: m[1], target: m[2] });
  }
  for (const m of prose.matchAll(/<(?:img|a)\b[^>]*?\b(?:src|href)="([^"]+)"/g)) found.push({ text: m[0], target: m[1] });
  return found.filter(({ target }) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** GitHub's anchor for a heading's text: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a document's headings, with GitHub's `-1`, `-2` for repeated ones. */
export function anchors(markdown) {
  const seen = new Map();
  const out = new Set();
  for (const [, text] of split(markdown).prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

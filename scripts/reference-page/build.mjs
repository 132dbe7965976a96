#!/usr/bin/env node
// Builds the reference page of scripts/bench-browser.mjs into
// target/reference-page/: main.jsx bundled by esbuild (--bundle --minify
// --format=esm, process.env.NODE_ENV "production", React's automatic JSX
// runtime) from the packages pinned in .tools/package.json, next to
// index.html and style.css. Needs `npm ci` in .tools (scripts/setup.sh).
//
//   node scripts/reference-page/build.mjs
//
// bench-browser.mjs calls buildReferencePage() when the output is missing or
// older than these sources or .tools/package-lock.json.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
export const REFERENCE_DIR = path.join(ROOT, 'target', 'reference-page');
const SOURCES = ['index.html', 'style.css', 'main.jsx', 'build.mjs'].map((f) => path.join(HERE, f));
const LOCK = path.join(ROOT, '.tools', 'package-lock.json');

/** Builds target/reference-page/ unless it is newer than its sources; returns its path. */
export function buildReferencePage({ force = false } = {}) {
  const out = path.join(REFERENCE_DIR, 'main.js');
  const newest = Math.max(...[...SOURCES, LOCK].map((f) => statSync(f).mtimeMs));
  if (!force && existsSync(out) && existsSync(path.join(REFERENCE_DIR, 'index.html')) && statSync(out).mtimeMs >= newest) {
    return REFERENCE_DIR;
  }
  mkdirSync(REFERENCE_DIR, { recursive: true });
  execFileSync(path.join(ROOT, '.tools', 'node_modules', '.bin', 'esbuild'), [
    path.join(HERE, 'main.jsx'),
    '--bundle', '--minify', '--format=esm', '--jsx=automatic',
    '--define:process.env.NODE_ENV="production"',
    '--log-level=warning',
    `--outfile=${out}`,
  ], { stdio: 'inherit', env: { ...process.env, NODE_PATH: path.join(ROOT, '.tools', 'node_modules') } });
  copyFileSync(path.join(HERE, 'index.html'), path.join(REFERENCE_DIR, 'index.html'));
  copyFileSync(path.join(HERE, 'style.css'), path.join(REFERENCE_DIR, 'style.css'));
  return REFERENCE_DIR;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(buildReferencePage({ force: true }));
}

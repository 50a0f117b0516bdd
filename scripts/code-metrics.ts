// Two figures issue 21 tracks, printed so anyone can reproduce them:
// - type escapes in product code (server/, protocol/, client/, overlay/; .ts and .svelte):
//   `x as T` casts (not `as const`, not import/export renames) and non-null assertions `x!`;
// - each page's JavaScript as the browser loads it after `vite build` (entry + preloaded
//   chunks), gzipped, with the chunks it is made of.
// Run: npx tsx scripts/code-metrics.ts   (builds into a temporary folder; dist/ is left alone)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parse as parseSvelte } from 'svelte/compiler';
import ts from 'typescript';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const PRODUCT = ['server', 'protocol', 'client', 'overlay'];

function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && accept(e.name))
    .map((e) => join(e.parentPath, e.name));
}

interface Escapes {
  casts: number;
  nonNull: number;
}

function tsEscapes(source: string, fileName: string): Escapes {
  const found: Escapes = { casts: 0, nonNull: 0 };
  const visit = (node: ts.Node): void => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
      if (!(ts.isTypeReferenceNode(node.type) && node.type.typeName.getText() === 'const')) found.casts++;
    } else if (ts.isNonNullExpression(node)) {
      found.nonNull++;
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true));
  return found;
}

/** Svelte's parser keeps TypeScript nodes, in the scripts and in the markup alike. */
function svelteEscapes(source: string): Escapes {
  const found: Escapes = { casts: 0, nonNull: 0 };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const n = node as { type?: unknown; typeAnnotation?: { type?: string; typeName?: { name?: string } } };
    if (n.type === 'TSAsExpression') {
      const t = n.typeAnnotation;
      if (!(t?.type === 'TSTypeReference' && t.typeName?.name === 'const')) found.casts++;
    } else if (n.type === 'TSNonNullExpression') {
      found.nonNull++;
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'parent') visit(value);
  };
  visit(parseSvelte(source, { modern: true }));
  return found;
}

function escapesByFolder(): void {
  console.log('Type escapes in product code (as-casts excluding `as const`; non-null `!`)');
  const total: Escapes = { casts: 0, nonNull: 0 };
  for (const folder of PRODUCT) {
    const sum: Escapes = { casts: 0, nonNull: 0 };
    const files = filesUnder(join(root, folder), (n) => (n.endsWith('.ts') && !n.endsWith('.d.ts')) || n.endsWith('.svelte'));
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const e = file.endsWith('.svelte') ? svelteEscapes(source) : tsEscapes(source, file);
      sum.casts += e.casts;
      sum.nonNull += e.nonNull;
    }
    total.casts += sum.casts;
    total.nonNull += sum.nonNull;
    console.log(`  ${folder.padEnd(10)} as: ${String(sum.casts).padStart(3)}   !: ${String(sum.nonNull).padStart(3)}`);
  }
  console.log(`  ${'total'.padEnd(10)} as: ${String(total.casts).padStart(3)}   !: ${String(total.nonNull).padStart(3)}`);
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** The scripts a built page loads up front: its module entry and the chunks it preloads. */
function pageScripts(html: string): string[] {
  const refs = [...html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)];
  return refs.map((m) => (m[1] ?? m[2] ?? '').replace(/^\//, ''));
}

async function pageSizes(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'radacast-metrics-'));
  try {
    await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true } });
    console.log('\nPages: JavaScript loaded up front, gzipped (level 9)');
    const pages = filesUnder(outDir, (n) => n.endsWith('.html')).sort();
    for (const page of pages) {
      const chunks = pageScripts(readFileSync(page, 'utf8')).map((path) => ({
        name: basename(path).replace(/-[\w-]{8}\.js$/, ''),
        gzip: gzipSync(readFileSync(join(outDir, path)), { level: 9 }).length,
      }));
      const sum = chunks.reduce((s, c) => s + c.gzip, 0);
      chunks.sort((a, b) => b.gzip - a.gzip);
      console.log(`  ${relative(outDir, page).padEnd(26)} ${kb(sum).padStart(9)}  (${chunks.map((c) => `${c.name} ${kb(c.gzip)}`).join(', ')})`);
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

escapesByFolder();
await pageSizes();

// The README and the pages in docs/ point at files, headings, repository paths and npm scripts.
// Each of those must exist, so that a reader who follows one lands somewhere. Nothing here
// needs Temporal: it reads the markdown and the repository.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');

/** The pages checked: the README, every page in docs/, and the Helm chart's README. */
const pages = [
  'README.md',
  ...fs
    .readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
  'deploy/helm/temporal-fulfillment/README.md',
];

const README_MAX_LINES = 300;

/** The first folder of a path the pages may name in backticks. */
const REPO_FOLDERS = ['src', 'test', 'deploy', 'docs', 'scripts', 'web', 'bench', '.ci'];
/** Made by a build or a run, never committed: a page may name them though they are not here yet. */
const GENERATED = ['dist/', '.data/', 'bench/results/', '.temporal/', '.tools/', 'node_modules/'];

const scripts = new Set(Object.keys((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts));

interface Page {
  file: string;
  text: string;
  /** The text with fenced code blocks blanked out (lines kept, so positions still give line numbers). */
  prose: string;
  anchors: Set<string>;
}

const cache = new Map<string, Page>();

function page(file: string): Page {
  let found = cache.get(file);
  if (!found) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const prose = withoutFences(text);
    found = { file, text, prose, anchors: headingAnchors(prose) };
    cache.set(file, found);
  }
  return found;
}

/** Fenced code is not markdown: its `# comments` are no headings and its brackets no links. */
function withoutFences(text: string): string {
  let fence: string | null = null;
  return text
    .split('\n')
    .map((line) => {
      const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence === null && marker) {
        fence = marker;
        return '';
      }
      if (fence !== null) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
        return '';
      }
      return line;
    })
    .join('\n');
}

/** GitHub's anchor for a heading: lowercase, markup and punctuation dropped but - and _, spaces as -. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every heading's anchor, a repeated one numbered as GitHub numbers it (-1, -2...). */
function headingAnchors(prose: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose.split('\n')) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Inline code spans (they may run over a line break), with the line each starts on. */
function codeSpans(prose: string): { code: string; line: number }[] {
  const spans: { code: string; line: number }[] = [];
  for (const match of prose.matchAll(/(`+)([^`][\s\S]*?)\1(?!`)/g)) {
    spans.push({ code: match[2]!, line: lineOf(prose, match.index) });
  }
  return spans;
}

/** The markdown links and images, outside code, with their targets as written. */
function links(prose: string): { target: string; line: number }[] {
  const outsideCode = prose.replace(/(`+)([^`][\s\S]*?)\1(?!`)/g, (span) => span.replace(/[^\n]/g, ' '));
  const found: { target: string; line: number }[] = [];
  for (const match of outsideCode.matchAll(/!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
    found.push({ target: match[1]!.replace(/^<|>$/g, ''), line: lineOf(outsideCode, match.index) });
  }
  for (const match of outsideCode.matchAll(/^\s{0,3}\[[^\]]+\]:\s*(\S+)/gm)) {
    found.push({ target: match[1]!.replace(/^<|>$/g, ''), line: lineOf(outsideCode, match.index) });
  }
  return found;
}

/** A link to another site (http:, mailto:...) is not checked here. */
function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

function exists(file: string): boolean {
  return fs.existsSync(path.join(root, file));
}

/** What is wrong with one link of `from`, if anything. */
function brokenLink(from: string, target: string): string | undefined {
  const hash = target.indexOf('#');
  const filePart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const file = filePart === '' ? from : path.posix.normalize(path.posix.join(path.posix.dirname(from), filePart));
  if (file.startsWith('..')) return `leads out of the repository (${file})`;
  if (!exists(file)) return `leads to ${file}, which does not exist`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!file.endsWith('.md')) return `has an anchor into ${file}, which is not a markdown page`;
  if (!page(file).anchors.has(anchor)) return `names #${anchor}, which is no heading of ${file}`;
  return undefined;
}

/** The words of a code span that name a path in the repository (not a glob, a placeholder or a build output). */
function repoPaths(code: string): string[] {
  return code
    .split(/\s+/)
    .map((word) => word.replace(/^\.\//, ''))
    .filter((word) => REPO_FOLDERS.some((folder) => word.startsWith(`${folder}/`)))
    .filter((word) => /^[A-Za-z0-9_.\/-]+$/.test(word) && !word.includes('...'))
    .filter((word) => !GENERATED.some((prefix) => word.startsWith(prefix)));
}

describe.each(pages)('%s', (file) => {
  it('links only to files that exist, and to headings those files have', () => {
    const { prose } = page(file);
    const problems = links(prose)
      .filter(({ target }) => !isExternal(target))
      .flatMap(({ target, line }) => {
        const why = brokenLink(file, target);
        return why ? [`${file}:${line}: (${target}) ${why}`] : [];
      });
    expect(problems).toEqual([]);
  });

  it('names in backticks only repository paths that exist', () => {
    const problems = codeSpans(page(file).prose).flatMap(({ code, line }) =>
      repoPaths(code)
        .filter((repoPath) => !exists(repoPath.replace(/\/$/, '')))
        .map((repoPath) => `${file}:${line}: ${repoPath} does not exist`),
    );
    expect(problems).toEqual([]);
  });

  it('runs only npm scripts that package.json defines', () => {
    const { text } = page(file);
    const problems: string[] = [];
    for (const match of text.matchAll(/\bnpm run((?:\s+--?[a-z][\w-]*)*)\s+([A-Za-z0-9:_.-]+)/g)) {
      const script = match[2]!;
      if (!scripts.has(script)) problems.push(`${file}:${lineOf(text, match.index)}: npm run ${script} is not a script of package.json`);
    }
    for (const match of text.matchAll(/\bnpm (start|test)\b/g)) {
      if (!scripts.has(match[1]!)) problems.push(`${file}:${lineOf(text, match.index)}: npm ${match[1]} has no script in package.json`);
    }
    expect(problems).toEqual([]);
  });
});

describe('README.md', () => {
  it(`fits a first visit: under ${README_MAX_LINES} lines`, () => {
    const lines = page('README.md').text.replace(/\n$/, '').split('\n').length;
    expect(lines).toBeLessThan(README_MAX_LINES);
  });

  it('links every page in docs/, so none is left to be found by chance', () => {
    const linked = new Set(
      links(page('README.md').prose)
        .filter(({ target }) => !isExternal(target))
        .map(({ target }) => path.posix.normalize(decodeURIComponent(target.split('#')[0]!))),
    );
    const unlinked = pages.filter((file) => file.startsWith('docs/') && !linked.has(file));
    expect(unlinked).toEqual([]);
  });
});

describe('the GitHub anchor of a heading', () => {
  it.each([
    ["The shop's pages", 'the-shops-pages'],
    ['Kubernetes (Helm)', 'kubernetes-helm'],
    ['Known issue: a query can run a workflow ahead of its history', 'known-issue-a-query-can-run-a-workflow-ahead-of-its-history'],
    ['`npm run bench` on a cluster', 'npm-run-bench-on-a-cluster'],
    ['Staff and their roles_v2 - draft', 'staff-and-their-roles_v2---draft'],
  ])('of "%s" is %s', (heading, anchor) => {
    expect(slug(heading)).toBe(anchor);
  });
});

/** Every source, test and deployment file, whose comments and messages cite the docs by section. */
function codeFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return codeFiles(relative);
    return /\.(ts|js|cjs|ya?ml|tpl|txt|sh)$/.test(entry.name) ? [relative] : [];
  });
}

describe('the code', () => {
  it('cites only sections the docs have, in the form README (or docs/<page>.md, or chart README), then the heading in quotes', () => {
    const dead: string[] = [];
    for (const file of ['src', 'test', 'deploy', 'web', 'scripts', 'bench'].filter((d) => exists(d)).flatMap(codeFiles)) {
      const text = fs.readFileSync(path.join(root, file), 'utf8').replace(/\n\s*(\/\/|#|\*)\s*/g, ' ');
      for (const match of text.matchAll(/([Cc]hart README|README|docs\/[A-Z-]+\.md),\s+(?:section\s+)?"([^"]+)"/g)) {
        const cited = match[1] === 'README' ? 'README.md' : /chart README/i.test(match[1]!) ? 'deploy/helm/temporal-fulfillment/README.md' : match[1]!;
        if (!exists(cited) || !page(cited).anchors.has(slug(match[2]!))) dead.push(`${file}: ${match[0]}`);
      }
    }
    expect(dead).toEqual([]);
  });
});

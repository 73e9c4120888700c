/**
 * Checks that keep the repository's documentation self-contained: every relative link in a
 * Markdown file reaches a file (and a heading) of the repository, every doc citation in a code
 * comment names a document that exists and a section it has, and nothing points outside the
 * clone. Pure functions over a `Repo` (a file list and a reader), so test/docs/links.test.ts can
 * run them on the working tree and on small synthetic repositories that must fail.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface Repo {
  /** Every file of the repository, as a POSIX path relative to its root. */
  files: readonly string[];
  /** The text of a file, or null when it is binary or unreadable. */
  read(path: string): string | null;
}

export interface Problem {
  file: string;
  line: number;
  message: string;
}

export const REPO_ROOT = join(__dirname, '..', '..');

// ------------------------------------------------------------------ the repository on disk

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'coverage']);

/** Tracked files plus untracked ones git does not ignore (new documents count from day one). */
export function listRepoFiles(root: string = REPO_ROOT): string[] {
  let names: string[];
  try {
    names = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
      .split('\0')
      .filter(Boolean);
  } catch {
    names = walk(root, '');
  }
  // A file deleted in the working tree is still listed by git until the deletion is committed.
  return [...new Set(names)].filter((name) => existsSync(join(root, name))).sort();
}

function walk(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walk(root, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

export function diskRepo(root: string = REPO_ROOT): Repo {
  const files = listRepoFiles(root);
  const cache = new Map<string, string | null>();
  return {
    files,
    read(path) {
      if (!cache.has(path)) {
        let text: string | null = null;
        try {
          const full = join(root, path);
          if (statSync(full).size <= 4 * 1024 * 1024) {
            const buffer = readFileSync(full);
            text = buffer.includes(0) ? null : buffer.toString('utf8');
          }
        } catch {
          text = null;
        }
        cache.set(path, text);
      }
      return cache.get(path) ?? null;
    },
  };
}

/** An in-memory repository, for the tests that show each check can fail. */
export function memoryRepo(files: Record<string, string>): Repo {
  return { files: Object.keys(files).sort(), read: (path) => files[path] ?? null };
}

// ------------------------------------------------------------------ Markdown: headings

export interface Heading {
  text: string;
  /** GitHub's anchor for it (without '#'). */
  slug: string;
  /** "6", "6.2", "2.6"... when the heading starts with a section number. */
  number: string | null;
  line: number;
}

/** The lines of a Markdown text with fenced code blocks blanked out (line numbers kept). */
export function withoutFences(markdown: string): string[] {
  const lines = markdown.split(/\r?\n/);
  let fence: string | null = null;
  return lines.map((line) => {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null) {
      if (m) {
        fence = m[1];
        return '';
      }
      return line;
    }
    if (m && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) fence = null;
    return '';
  });
}

/** Heading text as GitHub renders it to plain text: markup gone, link texts kept. */
export function plainHeadingText(raw: string): string {
  return raw
    .replace(/\s+#+\s*$/, '') // closing sequence
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images → their text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/`/g, '')
    .replace(/\*\*|__|~~/g, '')
    .replace(/\*/g, '')
    .replace(/(^|[^\w])_([^_]+)_(?=[^\w]|$)/g, '$1$2') // _emphasis_, not snake_case
    .trim();
}

/** GitHub's heading anchor (github-slugger): lower case, punctuation and symbols dropped, spaces → '-'. */
export function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

export function headingsOf(markdown: string): Heading[] {
  const seen = new Map<string, number>();
  const out: Heading[] = [];
  withoutFences(markdown).forEach((line, index) => {
    const m = /^ {0,3}#{1,6}[ \t]+(.*)$/.exec(line);
    if (!m) return;
    const text = plainHeadingText(m[1]);
    const base = githubSlug(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const number = /^(?:§\s*)?(\d+(?:\.\d+)*)\.?(?=\s|$)/.exec(text)?.[1] ?? null;
    out.push({ text, slug: count === 0 ? base : `${base}-${count}`, number, line: index + 1 });
  });
  return out;
}

/** Every anchor a link may target in this document: heading slugs and explicit HTML ids. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set(headingsOf(markdown).map((h) => h.slug));
  for (const m of markdown.matchAll(/<a\s[^>]*(?:name|id)="([^"]+)"/gi)) anchors.add(m[1]);
  return anchors;
}

// ------------------------------------------------------------------ Markdown: links

export interface Link {
  target: string;
  line: number;
}

/** Inline links, images and reference definitions outside code (fenced blocks and code spans). */
export function linksOf(markdown: string): Link[] {
  const out: Link[] = [];
  withoutFences(markdown).forEach((rawLine, index) => {
    const line = rawLine.replace(/(`+)[^`]*?\1/g, (span) => ' '.repeat(span.length));
    for (const m of line.matchAll(/\]\(\s*(<[^>]*>|[^)\s]*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
      out.push({ target: m[1].replace(/^<|>$/g, ''), line: index + 1 });
    }
    const ref = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(line);
    if (ref) out.push({ target: ref[1].replace(/^<|>$/g, ''), line: index + 1 });
  });
  return out;
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** The repository path a relative link from `file` points at, or null when it leaves the repository. */
export function resolveLink(file: string, path: string): string | null {
  const joined = path.startsWith('/') ? path.slice(1) : posix.join(posix.dirname(file), path);
  const normal = posix.normalize(joined).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) return null;
  return normal === '.' ? '' : normal;
}

function isDirectory(repo: Repo, path: string): boolean {
  return path === '' || repo.files.some((f) => f.startsWith(`${path}/`));
}

export function checkMarkdownLinks(repo: Repo): Problem[] {
  const problems: Problem[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchors = (path: string) => {
    if (!anchorCache.has(path)) anchorCache.set(path, anchorsOf(repo.read(path) ?? ''));
    return anchorCache.get(path)!;
  };
  for (const file of repo.files.filter(isMarkdown)) {
    const text = repo.read(file);
    if (text === null) continue;
    for (const { target, line } of linksOf(text)) {
      if (target === '' || EXTERNAL.test(target)) continue;
      const hash = target.indexOf('#');
      const rawPath = hash < 0 ? target : target.slice(0, hash);
      const anchor = hash < 0 ? null : target.slice(hash + 1);
      let path: string;
      try {
        path = decodeURIComponent(rawPath.split('?')[0]);
      } catch {
        path = rawPath;
      }
      const resolved = path === '' ? file : resolveLink(file, path);
      if (resolved === null) {
        problems.push({ file, line, message: `link "${target}" leaves the repository` });
        continue;
      }
      const isFile = repo.files.includes(resolved);
      if (!isFile && !isDirectory(repo, resolved)) {
        problems.push({ file, line, message: `link "${target}": no file ${resolved} in the repository` });
        continue;
      }
      if (anchor !== null && anchor !== '' && isFile && isMarkdown(resolved)) {
        let wanted = anchor;
        try {
          wanted = decodeURIComponent(anchor);
        } catch {
          /* keep it as written */
        }
        if (!anchors(resolved).has(wanted.toLowerCase()) && !anchors(resolved).has(wanted)) {
          problems.push({ file, line, message: `link "${target}": ${resolved} has no heading with anchor #${anchor}` });
        }
      }
    }
  }
  return problems;
}

// ------------------------------------------------------------------ mentions of the world outside

const SHARED = ['..', 'shared'].join('/');
const WORK = ['', 'work', ''].join('/');
/**
 * CI entry points run in a fresh clone with the shared tools beside it, and call them: the one
 * place a path outside the clone is part of how things work, not a pointer a reader follows.
 */
const ALLOWED_OUTSIDE = [{ prefix: '.ci/', mention: SHARED }];

export function checkOutsideMentions(repo: Repo): Problem[] {
  const problems: Problem[] = [];
  for (const file of repo.files) {
    const text = repo.read(file);
    if (text === null) continue;
    text.split(/\r?\n/).forEach((line, index) => {
      for (const needle of [SHARED, WORK]) {
        let at = line.indexOf(needle);
        while (at >= 0) {
          const allowed = ALLOWED_OUTSIDE.some((a) => file.startsWith(a.prefix) && line.startsWith(a.mention, at));
          if (!allowed) {
            problems.push({ file, line: index + 1, message: `mentions "${needle}", which a clone does not have` });
          }
          at = line.indexOf(needle, at + needle.length);
        }
      }
    });
  }
  return problems;
}

/** "seed §N" names a document outside the repository: it must come with its pointer into it. */
export function checkSeedCitations(repo: Repo): Problem[] {
  const problems: Problem[] = [];
  for (const file of repo.files) {
    if (file === 'docs/deployment-design.md') continue;
    const text = repo.read(file);
    if (text === null) continue;
    text.split(/\r?\n/).forEach((line, index) => {
      if (/\bseed\b[^§\n]{0,30}§\s*\d/i.test(line) && !line.includes('deployment-design.md')) {
        problems.push({
          file,
          line: index + 1,
          message: 'cites the seed by section without pointing into docs/deployment-design.md',
        });
      }
    });
  }
  return problems;
}

// ------------------------------------------------------------------ comments in code

export interface Comment {
  text: string;
  /** The source line the comment starts on. */
  line: number;
  /** Offsets in `text` where each further source line of the comment begins. */
  breaks: number[];
}

/** Appends one source line's worth of comment text (joined by a space). */
function appendLine(comment: Comment, body: string): void {
  if (comment.text === '') {
    comment.text = body;
    return;
  }
  comment.text += ' ';
  comment.breaks.push(comment.text.length);
  comment.text += body;
}

/** The source line of an offset in a comment's text. */
export function lineInComment(comment: Comment, offset: number): number {
  return comment.line + comment.breaks.filter((b) => b <= offset).length;
}

type CommentStyle = 'c' | 'hash' | null;

export function commentStyle(file: string, text: string): CommentStyle {
  if (/\.(?:[cm]?[jt]s|tsx|jsx)$/.test(file)) return 'c';
  if (/(?:\.(?:sh|bash|ya?ml|toml|env\.example|dockerignore|gitignore)|(?:^|\/)Dockerfile[^/]*)$/.test(file))
    return 'hash';
  if (text.startsWith('#!')) return 'hash';
  return null;
}

/**
 * The comments of a file, each as one line of text (a block comment's lines, or a run of line
 * comments, joined by spaces, so a citation may wrap). Strings are skipped, approximately:
 * quotes end at the end of a line, template literals may span lines.
 */
export function commentsOf(file: string, source: string): Comment[] {
  const style = commentStyle(file, source);
  if (style === 'hash') return hashComments(source);
  if (style === 'c') return cComments(source);
  return [];
}

function hashComments(source: string): Comment[] {
  const out: Comment[] = [];
  let run: { comment: Comment; endLine: number } | null = null;
  source.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    const m = /(?:^|\s)#(?!!)(.*)$/.exec(text);
    if (!m) {
      run = null;
      return;
    }
    const whole = /^\s*#/.test(text);
    if (run && run.endLine === line - 1 && whole) {
      appendLine(run.comment, m[1].trim());
      run.endLine = line;
    } else {
      const comment: Comment = { text: m[1].trim(), line, breaks: [] };
      out.push(comment);
      run = whole ? { comment, endLine: line } : null;
    }
  });
  return out;
}

function cComments(source: string): Comment[] {
  const out: Comment[] = [];
  let i = 0;
  let line = 1;
  let run: { comment: Comment; endLine: number } | null = null;
  while (i < source.length) {
    const ch = source[i];
    const next = source[i + 1];
    if (ch === '\n') {
      line++;
      i++;
    } else if (ch === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const body = source.slice(i + 2, end < 0 ? source.length : end).trim();
      if (run && run.endLine === line - 1) {
        appendLine(run.comment, body);
        run.endLine = line;
      } else {
        const comment: Comment = { text: body, line, breaks: [] };
        out.push(comment);
        run = { comment, endLine: line };
      }
      i = end < 0 ? source.length : end;
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const body = source.slice(i + 2, end < 0 ? source.length : end);
      const comment: Comment = { text: '', line, breaks: [] };
      body.split('\n').forEach((l, k) => {
        const cleaned = l.replace(/^\s*\*?\s?/, '').trim();
        if (k === 0) comment.text = cleaned;
        else if (comment.text === '') {
          comment.breaks.push(0);
          comment.text = cleaned;
        } else {
          comment.text += ' ';
          comment.breaks.push(comment.text.length);
          comment.text += cleaned;
        }
      });
      comment.text = comment.text.trimEnd();
      out.push(comment);
      line += body.split('\n').length - 1;
      i = end < 0 ? source.length : end + 2;
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== ch && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      i = source[j] === '\n' ? j : j + 1;
    } else if (ch === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== '`') {
        if (source[j] === '\n') line++;
        j += source[j] === '\\' ? 2 : 1;
      }
      i = j + 1;
    } else {
      i++;
    }
  }
  return out;
}

// ------------------------------------------------------------------ citations

export interface Citation {
  /** The document as written: docs/api.md, a bare name, bench/README.md. */
  doc: string;
  /** Section numbers cited after it (§2.6, §2.3-2.6, §1.1, §2). */
  sections: string[];
  /** A section cited by name: `docs/api.md, "Rate limits"` or `docs/api.md, GET /status`. */
  title: string | null;
  /** Offset of the citation in the text. */
  index: number;
}

const NUM = String.raw`\d+(?:\.\d+)*`;
const SECTION_RUN = new RegExp(
  String.raw`^\s*,?\s*§\s*(${NUM})(?:\s*[-–]\s*§?\s*(${NUM}))?((?:\s*(?:,|and)\s*§\s*${NUM}(?:\s*[-–]\s*§?\s*${NUM})?)*)`,
);
const TITLE_AFTER = /^(?:\s*,\s*|\s+)(?:"([^"]+)"|“([^”]+)”|((?:GET|POST|PUT|PATCH|DELETE) \/[\w/{}.-]*\w[}]?))/;

/** Every "<path>.md" in a text, with the sections cited right after it. */
export function citationsIn(text: string): Citation[] {
  const out: Citation[] = [];
  for (const m of text.matchAll(/(?<![\w./-])((?:\.{1,2}\/)*(?:[\w.-]+\/)*[\w.-]+\.md)\b/g)) {
    const after = text.slice(m.index! + m[1].length).replace(/^\]\([^)]*\)/, '');
    const sections: string[] = [];
    const run = SECTION_RUN.exec(after);
    if (run) {
      sections.push(run[1]);
      if (run[2]) sections.push(run[2]);
      for (const more of (run[3] ?? '').matchAll(
        new RegExp(String.raw`§\s*(${NUM})(?:\s*[-–]\s*§?\s*(${NUM}))?`, 'g'),
      )) {
        sections.push(more[1]);
        if (more[2]) sections.push(more[2]);
      }
    }
    const title = run ? null : TITLE_AFTER.exec(after);
    out.push({ doc: m[1], sections, title: title ? (title[1] ?? title[2] ?? title[3]) : null, index: m.index! });
  }
  return out;
}

function lineAt(text: string, index: number): number {
  let n = 0;
  for (let i = 0; i < index && i < text.length; i++) if (text[i] === '\n') n++;
  return n;
}

/** Problems of one citation, whose document resolves to `path` (or does not exist). */
function citationProblems(repo: Repo, cite: Citation, path: string | null): string[] {
  if (path === null || !repo.files.includes(path)) return [`cites ${cite.doc}, which is not in the repository`];
  const headings = headingsOf(repo.read(path) ?? '');
  const problems: string[] = [];
  for (const section of cite.sections) {
    if (!headings.some((h) => h.number === section)) {
      problems.push(`cites ${cite.doc} §${section}, but ${path} has no heading numbered ${section}`);
    }
  }
  if (cite.title) {
    const wanted = cite.title.toLowerCase();
    if (!headings.some((h) => h.text.toLowerCase().includes(wanted))) {
      problems.push(`cites ${cite.doc}, "${cite.title}", but ${path} has no heading with that name`);
    }
  }
  return problems;
}

/**
 * Names that comments used for the specifications the project started from, and the project's
 * own document that carries each now (a bare name resolves nowhere from a code file).
 */
const FORMER_SPECS: Record<string, string> = {
  'api.md': 'docs/api.md',
  'food-safety.md': 'docs/food-safety.md',
  'anova-protocol.md': 'docs/anova-protocol.md',
  'architecture.md': 'docs/architecture.md',
  'deployment.md': 'docs/deployment-design.md',
};

/** Files whose comments are checked: the code, scripts and container files. */
export const CODE_DIRS = ['app/', 'test/', 'bench/', 'scripts/', 'docker/'];

function isCodeFile(file: string): boolean {
  return CODE_DIRS.some((d) => file.startsWith(d)) || /^(?:compose[\w.-]*\.ya?ml|\.env\.example|\.ci\/.*)$/.test(file);
}

function isMarkdown(file: string): boolean {
  return /\.md$/i.test(file);
}

/**
 * Doc citations in code comments: `docs/<name>.md` must exist, and a section it cites (§N, or
 * a quoted heading name, or a route such as GET /status) must be a heading of it. A citation
 * by bare name followed by § is refused: it resolves nowhere from a code file.
 */
export function checkCommentCitations(repo: Repo): Problem[] {
  const problems: Problem[] = [];
  for (const file of repo.files.filter((f) => isCodeFile(f) && !isMarkdown(f))) {
    const source = repo.read(file);
    if (source === null) continue;
    for (const comment of commentsOf(file, source)) {
      for (const cite of citationsIn(comment.text)) {
        const bare = !cite.doc.includes('/');
        const isDocs = /^(?:\.\.\/)*docs\//.test(cite.doc);
        if (bare && cite.sections.length > 0) {
          problems.push({
            file,
            line: lineInComment(comment, cite.index),
            message: `cites "${cite.doc} §${cite.sections[0]}" without its path (write docs/${cite.doc})`,
          });
          continue;
        }
        if (bare && (repo.files.includes(`docs/${cite.doc}`) || FORMER_SPECS[cite.doc])) {
          const where = FORMER_SPECS[cite.doc] ?? `docs/${cite.doc}`;
          problems.push({
            file,
            line: lineInComment(comment, cite.index),
            message: `cites "${cite.doc}" without its path (write ${where})`,
          });
          continue;
        }
        if (!isDocs && (bare || cite.sections.length === 0)) continue; // README.md, bench/README.md...
        const path = isDocs ? cite.doc.replace(/^(?:\.\.\/)*/, '') : resolveLink('', cite.doc);
        for (const message of citationProblems(repo, cite, path)) {
          problems.push({ file, line: lineInComment(comment, cite.index), message });
        }
      }
    }
  }
  return problems;
}

/**
 * § citations in Markdown prose (a document name followed by §N, as plain text or as a link's
 * text): the document resolves from the citing file (or from the root) and has that heading.
 */
export function checkMarkdownCitations(repo: Repo): Problem[] {
  const problems: Problem[] = [];
  for (const file of repo.files.filter(isMarkdown)) {
    const text = repo.read(file);
    if (text === null) continue;
    const prose = withoutFences(text).join('\n');
    for (const cite of citationsIn(prose)) {
      if (cite.sections.length === 0) continue;
      const near = resolveLink(file, cite.doc);
      const path = near !== null && repo.files.includes(near) ? near : resolveLink('', cite.doc);
      for (const message of citationProblems(repo, cite, path)) {
        problems.push({ file, line: lineAt(prose, cite.index) + 1, message });
      }
    }
  }
  return problems;
}

export function checkAll(repo: Repo): Problem[] {
  return [
    ...checkMarkdownLinks(repo),
    ...checkOutsideMentions(repo),
    ...checkSeedCitations(repo),
    ...checkCommentCitations(repo),
    ...checkMarkdownCitations(repo),
  ];
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n');
}

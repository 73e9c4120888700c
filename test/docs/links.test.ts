/**
 * The documentation is self-contained: a clone of the repository alone is enough to follow every
 * link, every doc citation in a comment and every section pointer. Each check is shown failing on
 * a small synthetic repository first, then run over the real one.
 */
import {
  anchorsOf,
  checkAll,
  checkCommentCitations,
  checkMarkdownCitations,
  checkMarkdownLinks,
  checkOutsideMentions,
  checkSeedCitations,
  citationsIn,
  commentsOf,
  diskRepo,
  formatProblems,
  githubSlug,
  headingsOf,
  linksOf,
  memoryRepo,
} from './doc-checks';

// Built from parts, so that this file itself mentions no path outside the clone.
const SHARED = ['..', 'shared'].join('/');
const WORK = ['', 'work', ''].join('/');

const GOOD_DOC = [
  '# Title',
  '',
  '## 1. First',
  '### 1.2 Sub part',
  '## GET /status',
  '## Rate limits',
  '## Rate limits',
  '```sh',
  '# not a heading',
  '```',
].join('\n');

describe('the parts', () => {
  test('GitHub anchors: lower case, punctuation dropped, spaces become hyphens, duplicates numbered', () => {
    expect(githubSlug('1. What you need')).toBe('1-what-you-need');
    expect(githubSlug('5. Configure .env')).toBe('5-configure-env');
    expect(githubSlug('GET /cooks/{cook_id}')).toBe('get-cookscook_id');
    expect(githubSlug('4.2 Offline (M)')).toBe('42-offline-m');
    expect(githubSlug('Reading: °C → °F')).toBe('reading-c--f');
    const slugs = headingsOf(GOOD_DOC).map((h) => h.slug);
    expect(slugs).toEqual(['title', '1-first', '12-sub-part', 'get-status', 'rate-limits', 'rate-limits-1']);
    expect(headingsOf('### 4.2 Offline **(M)**\n#### A) `a3` flat')[0].slug).toBe('42-offline-m');
    expect(headingsOf('## 1. Classifying `food_type`')[0].slug).toBe('1-classifying-food_type');
    expect([...anchorsOf('<a id="here"></a>\n# x')]).toEqual(['x', 'here']);
  });

  test('headings carry their section numbers; fenced code has no headings', () => {
    expect(headingsOf(GOOD_DOC).map((h) => h.number)).toEqual([null, '1', '1.2', null, null, null]);
    expect(headingsOf('## §6 Six\n## 6.2.1. Deep')[1].number).toBe('6.2.1');
  });

  test('links: inline, images and references, never inside code', () => {
    const md = ['[a](x.md#y) ![i](img.png "t") `[no](code.md)`', '[ref]: <z.md>', '```', '[no](fenced.md)', '```'].join(
      '\n',
    );
    expect(linksOf(md)).toEqual([
      { target: 'x.md#y', line: 1 },
      { target: 'img.png', line: 1 },
      { target: 'z.md', line: 2 },
    ]);
  });

  test('comments are found in TypeScript and shell, across lines, and strings are not comments', () => {
    const ts = [
      "const url = 'https://example.com/a'; // see docs/api.md",
      '/**',
      ' * wraps (docs/anova-protocol.md',
      ' * §2.6 C)',
      ' */',
      "const s = 'docs/not-a-comment.md §9';",
      '// one',
      '// two',
    ].join('\n');
    const plain = (file: string, text: string) =>
      commentsOf(file, text).map(({ text: t, line }) => ({ text: t, line }));
    expect(plain('app/x.ts', ts)).toEqual([
      { text: 'see docs/api.md', line: 1 },
      { text: 'wraps (docs/anova-protocol.md §2.6 C)', line: 2 },
      { text: 'one two', line: 7 },
    ]);
    expect(plain('scripts/x.sh', '#!/bin/sh\n# a\n# b\necho hi # c\n')).toEqual([
      { text: 'a b', line: 2 },
      { text: 'c', line: 4 },
    ]);
  });

  test('citations: section runs, ranges, names and routes', () => {
    const [a, b, c, d, e] = citationsIn(
      'docs/anova-protocol.md §1.1, §2, §4 and docs/x.md §2.3-2.6; docs/api.md, GET /status; docs/api.md "Rate limits"; food-safety.md §5',
    );
    expect(a).toMatchObject({ doc: 'docs/anova-protocol.md', sections: ['1.1', '2', '4'] });
    expect(b).toMatchObject({ doc: 'docs/x.md', sections: ['2.3', '2.6'] });
    expect(c).toMatchObject({ doc: 'docs/api.md', sections: [], title: 'GET /status' });
    expect(d).toMatchObject({ doc: 'docs/api.md', title: 'Rate limits' });
    expect(e).toMatchObject({ doc: 'food-safety.md', sections: ['5'] });
  });
});

describe('each check fails on a bad input', () => {
  const base = { 'docs/api.md': GOOD_DOC, 'docs/other.md': '# Other\n## 6. Six\n### 6.2 Sub' };

  test('a relative link to a missing file', () => {
    const repo = memoryRepo({
      ...base,
      'README.md': '[x](docs/missing.md) [ok](docs/api.md) [web](https://example.com/x.md)',
    });
    expect(formatProblems(checkMarkdownLinks(repo))).toBe(
      'README.md:1: link "docs/missing.md": no file docs/missing.md in the repository',
    );
  });

  test('a relative link to a missing heading anchor (and to an existing one, which passes)', () => {
    const repo = memoryRepo({
      ...base,
      'docs/guide.md':
        '# Guide\n[a](api.md#get-status) [b](other.md#62-sub) [c](api.md#nope) [d](#guide) [e](api.md#title)',
    });
    expect(checkMarkdownLinks(repo).map((p) => p.message)).toEqual([
      'link "api.md#nope": docs/api.md has no heading with anchor #nope',
    ]);
    const self = memoryRepo({ 'a.md': '# A\n[me](#b)' });
    expect(checkMarkdownLinks(self)).toHaveLength(1);
  });

  test('a link that leaves the repository', () => {
    const repo = memoryRepo({ 'README.md': `[spec](${SHARED}/spec/api.md)` });
    expect(checkMarkdownLinks(repo)[0].message).toMatch(/leaves the repository/);
  });

  test('any file mentioning the shared folder or an absolute machine path', () => {
    const repo = memoryRepo({
      'docs/a.md': `see ${SHARED}/spec/x.md`,
      'app/b.ts': `// from ${WORK}main`,
      '.ci/run': `bash ${SHARED}/tools/node-here.sh 24`,
      '.ci/other': `cd ${WORK}main`,
    });
    expect(checkOutsideMentions(repo).map((p) => p.file)).toEqual(['.ci/other', 'app/b.ts', 'docs/a.md']);
  });

  test('a "seed §N" citation that does not point into docs/deployment-design.md', () => {
    const repo = memoryRepo({
      'docs/pi.md':
        'Hardening (seed §11): keys only.\nChecklist (seed §13, [design](deployment-design.md#2-the-seed-section-by-section)).',
      'docs/deployment-design.md': 'seed §11 is here',
    });
    expect(checkSeedCitations(repo)).toEqual([
      {
        file: 'docs/pi.md',
        line: 1,
        message: 'cites the seed by section without pointing into docs/deployment-design.md',
      },
    ]);
  });

  test('a comment citing a docs/ document that does not exist', () => {
    const repo = memoryRepo({ ...base, 'app/x.ts': '/** Rules of docs/missing.md. */\n// fine: docs/api.md\n' });
    expect(formatProblems(checkCommentCitations(repo))).toBe(
      'app/x.ts:1: cites docs/missing.md, which is not in the repository',
    );
  });

  test('a comment citing a section number the document has no heading for', () => {
    const repo = memoryRepo({
      ...base,
      'test/y.test.ts': '// docs/other.md §6.2 is fine\n// docs/other.md §7 is not\n/* docs/other.md §6, §6.3 */',
    });
    expect(checkCommentCitations(repo).map((p) => `${p.line}: ${p.message}`)).toEqual([
      '2: cites docs/other.md §7, but docs/other.md has no heading numbered 7',
      '3: cites docs/other.md §6.3, but docs/other.md has no heading numbered 6.3',
    ]);
  });

  test('a comment citing a section by a name or a route the document has no heading for', () => {
    const repo = memoryRepo({
      ...base,
      'app/z.ts':
        '// docs/api.md, GET /status\n// docs/api.md "Rate limits"\n// docs/api.md, POST /nowhere\n// docs/api.md, "Nope"',
    });
    expect(checkCommentCitations(repo).map((p) => p.line)).toEqual([3, 4]);
  });

  test('a bare "<name>.md §N" citation without the docs/ prefix', () => {
    const repo = memoryRepo({ ...base, 'bench/x.js': '// the rules of api.md §1 apply\n// docs/api.md §1 is fine\n' });
    expect(formatProblems(checkCommentCitations(repo))).toBe(
      'bench/x.js:1: cites "api.md §1" without its path (write docs/api.md)',
    );
  });

  test('a bare name of a project document, even without §', () => {
    const repo = memoryRepo({
      ...base,
      'app/w.ts': '/** Shapes of api.md. Limits of deployment.md. See README.md. */',
    });
    expect(checkCommentCitations(repo).map((p) => p.message)).toEqual([
      'cites "api.md" without its path (write docs/api.md)',
      'cites "deployment.md" without its path (write docs/deployment-design.md)',
    ]);
  });

  test('comments in shell scripts and Dockerfiles are checked too', () => {
    const repo = memoryRepo({
      ...base,
      'docker/Dockerfile': '# see docs/gone.md\nFROM x',
      'scripts/a.sh': '# other.md §6\n',
    });
    expect(checkCommentCitations(repo).map((p) => p.file)).toEqual(['docker/Dockerfile', 'scripts/a.sh']);
  });

  test('a § citation in Markdown prose to a document or section that does not exist', () => {
    const repo = memoryRepo({
      ...base,
      'docs/guide.md':
        'As other.md §6.2 says. But other.md §9 does not exist, nor does gone.md §1.\n```\nother.md §99 in code\n```',
    });
    expect(checkMarkdownCitations(repo).map((p) => p.message)).toEqual([
      'cites other.md §9, but docs/other.md has no heading numbered 9',
      'cites gone.md, which is not in the repository',
    ]);
  });
});

describe('the repository', () => {
  const repo = diskRepo();

  test('finds the documents', () => {
    expect(repo.files).toEqual(
      expect.arrayContaining(['README.md', 'docs/api.md', 'docs/food-safety.md', 'docs/anova-protocol.md']),
    );
    expect(repo.files.some((f) => f.startsWith('node_modules/') || f.startsWith('dist/'))).toBe(false);
  });

  test('every relative link, doc citation and section pointer resolves inside the clone', () => {
    const problems = checkAll(repo);
    expect(formatProblems(problems)).toBe('');
  });
});

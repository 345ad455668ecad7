import { describe, expect, it } from 'vitest';
import { EdgeshipError } from '../../errors.js';
import { countLayout, detectProject } from './detect.js';
import type { ProjectFacts } from './facts.js';
import { UNREAD } from './literal.js';

const NEXT_DEFAULT_BUILD = ['404.html', '_not-found.html', 'about.html', 'blog/hello.html', 'blog/world.html', 'index.html'];
const DIRECTORY_BUILD = ['404.html', 'about/index.html', 'blog/hello/index.html', 'index.html'];

function facts(over: Partial<ProjectFacts>): ProjectFacts {
  return { entries: [], dependencies: [], builds: {}, ...over };
}

describe('detectProject: the preset and layout from the framework config and the build', () => {
  it.each([
    // name, facts, preset, site, layout, trailing slash, redirect, base path
    ['Next.js default (trailingSlash unset)', facts({ next: { file: 'next.config.mjs', values: { output: 'export' } }, builds: { out: NEXT_DEFAULT_BUILD } }), 'nextjs-export', 'out', 'file', false, 308, ''],
    ['Next.js trailingSlash: true', facts({ next: { file: 'next.config.js', values: { output: 'export', trailingSlash: true } } }), 'nextjs-export', 'out', 'directory', true, 308, ''],
    ['Next.js distDir is the export folder', facts({ next: { file: 'next.config.ts', values: { output: 'export', distDir: './build/' } } }), 'nextjs-export', 'build', 'file', false, 308, ''],
    ['Next.js basePath', facts({ next: { file: 'next.config.mjs', values: { output: 'export', basePath: '/docs' } } }), 'nextjs-export', 'out', 'file', false, 308, '/docs'],
    ['Next.js from package.json only', facts({ dependencies: ['react', 'next'] }), 'nextjs-export', 'out', 'file', false, 308, ''],
    ['Next.js trailingSlash unreadable: the build decides', facts({ next: { file: 'next.config.mjs', values: { output: 'export', trailingSlash: UNREAD } }, builds: { out: DIRECTORY_BUILD } }), 'nextjs-export', 'out', 'directory', true, 308, ''],
    ['Astro defaults', facts({ astro: { file: 'astro.config.mjs', values: {} } }), 'astro', 'dist', 'directory', true, 301, ''],
    ["Astro build.format 'file'", facts({ astro: { file: 'astro.config.ts', values: { build: { format: 'file' } } } }), 'astro', 'dist', 'file', false, 301, ''],
    ["Astro trailingSlash 'never'", facts({ astro: { file: 'astro.config.mjs', values: { trailingSlash: 'never', outDir: './site' } } }), 'astro', 'site', 'directory', false, 301, ''],
    ['Astro base', facts({ astro: { file: 'astro.config.mjs', values: { base: '/blog/' } } }), 'astro', 'dist', 'directory', true, 301, '/blog'],
    ['Hugo defaults', facts({ hugo: { file: 'hugo.toml', values: { baseurl: 'https://example.org/' } } }), 'hugo', 'public', 'directory', true, 301, ''],
    ['Hugo uglyURLs, publishDir', facts({ hugo: { file: 'config.yaml', values: { uglyurls: true, publishdir: 'docs' } } }), 'hugo', 'docs', 'file', false, 301, ''],
    ['Hugo under a sub-path', facts({ hugo: { file: 'hugo.toml', values: { baseurl: 'https://example.org/handbook/' } } }), 'hugo', 'public', 'directory', true, 301, '/handbook'],
    ['a plain folder of page/index.html', facts({ builds: { public: DIRECTORY_BUILD } }), 'static', 'public', 'directory', true, 301, ''],
    ['a plain folder of page.html in dist/', facts({ builds: { public: [], dist: ['index.html', 'about.html', 'contact.html'] } }), 'static', 'dist', 'file', false, 301, ''],
  ] as const)('%s', (_name, f, preset, site, layout, trailingSlash, redirectStatus, basePath) => {
    const d = detectProject(f);
    expect({ preset: d.preset, site: d.site, ...pick(d.url) }).toEqual({ preset, site, layout, trailingSlash, redirectStatus, basePath });
    expect(d.facts.length).toBeGreaterThan(0);
  });

  it('nothing recognizable: the static preset, with a note saying what was looked for', () => {
    const d = detectProject(facts({}));
    expect(d.preset).toBe('static');
    expect(d.notes.join('\n')).toContain('no Next.js, Astro or Hugo config found (looked for next.config.*');
  });

  it('two frameworks in one folder: exit 2 naming both and --preset', () => {
    const f = facts({ next: { file: 'next.config.mjs', values: {} }, astro: { file: 'astro.config.mjs', values: {} } });
    const error = (() => {
      try {
        detectProject(f);
      } catch (e) {
        return e as EdgeshipError;
      }
    })();
    expect(error).toBeInstanceOf(EdgeshipError);
    expect(error).toMatchObject({ code: 'INIT_AMBIGUOUS', exitCode: 2 });
    expect(error!.message).toBe('found Next.js (next.config.mjs exists) and Astro (astro.config.mjs exists) in one folder');
    expect(error!.hint).toBe('pass the one to use: --preset nextjs-export or --preset astro');
    expect(detectProject(f, 'astro').preset).toBe('astro');
  });

  it("config.toml alone is not Hugo's, so it is no second framework (facts only list Hugo beside its folders)", () => {
    expect(detectProject(facts({ next: { file: 'next.config.mjs', values: {} } })).preset).toBe('nextjs-export');
  });

  it('Next.js without output export: a note that says to add it', () => {
    const d = detectProject(facts({ next: { file: 'next.config.mjs', values: {} } }));
    expect(d.notes.join('\n')).toContain("next.config.mjs has no output: 'export'");
  });

  it('a build that disagrees with the config: a note to rebuild', () => {
    const d = detectProject(facts({ next: { file: 'next.config.mjs', values: { output: 'export', trailingSlash: true } }, builds: { out: NEXT_DEFAULT_BUILD } }));
    expect(d.notes.join('\n')).toContain('out/ holds page.html pages, but the config says page/index.html: rebuild');
  });

  it('the 404 page: the build\'s own, none when the build has none', () => {
    expect(detectProject(facts({ builds: { public: DIRECTORY_BUILD } })).notFoundPage).toBe('/404.html');
    const none = detectProject(facts({ builds: { public: ['index.html', 'about/index.html'] } }));
    expect(none.notFoundPage).toBeNull();
    expect(none.notes.join('\n')).toContain('public/ has no 404.html');
  });
});

describe('countLayout', () => {
  it.each([
    [NEXT_DEFAULT_BUILD, { file: 3, directory: 0 }],
    [DIRECTORY_BUILD, { file: 0, directory: 2 }],
    [['404/index.html', '_not-found/index.html', 'index.html', 'about/index.html'], { file: 0, directory: 1 }],
    [['index.html'], undefined],
  ])('%j -> %j', (html, counted) => {
    expect(countLayout(html)).toEqual(counted);
  });
});

function pick(url: { layout: string; trailingSlash: boolean; redirectStatus: number; basePath: string }) {
  return { layout: url.layout, trailingSlash: url.trailingSlash, redirectStatus: url.redirectStatus, basePath: url.basePath };
}

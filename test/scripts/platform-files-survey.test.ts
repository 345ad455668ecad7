/**
 * The survey's counting, apart from the files it reads: a refusal message becomes a reason
 * shared across files, and each file is judged by the dialect it loads best in.
 */
import { describe, expect, it } from 'vitest';
import { reasonOf, summarize, type FileResult } from '../../scripts/platform-files-survey.js';

describe('reasonOf: one reason for the same refusal in different files', () => {
  it.each([
    ['"418" is not a status edgeship can answer (418 would need the origin\'s body)', '… is not a status edgeship can answer'],
    ['"299!" is not a status edgeship can answer', '… is not a status edgeship can answer'],
    ['the source "/a/*/b/*" has more than one "*"', 'the source … has more than one …'],
    ['the rule is 1200 characters long', 'the rule is N characters long'],
    ['a 200 rewrite to another site (https://elsewhere.test/x) would proxy it', 'a N rewrite to another site'],
    ['X-Frame-Options: "ALLOWALL" is not a value CloudFront\'s security headers take (spec §6.2)', 'X-Frame-Options: … is not a value CloudFront\'s security headers take'],
    ['14 custom headers for one path; a CloudFront policy holds 10', 'N custom headers for one path'],
    ['x-demo is set by headers policy base on behavior * and by _headers on paths of it', 'x-demo is set by headers policy base'],
    ['there is no target', 'there is no target'],
  ])('%s', (message, reason) => {
    expect(reasonOf(message)).toBe(reason);
  });
});

const file = (name: string, dialect: FileResult['dialect'], refused: Record<string, number>, kind: FileResult['kind'] = 'redirects'): FileResult => ({
  kind,
  file: name,
  dialect,
  rules: 5,
  accepted: 5 - Object.values(refused).reduce((a, b) => a + b, 0),
  refused,
  examples: {},
});

describe('summarize: files that load, and reasons ranked by files they block', () => {
  it.each<[string, FileResult[], { files: number; loadUnchanged: number; reasons: { reason: string; files: number; lines: number }[] }]>([
    ['no files', [], { files: 0, loadUnchanged: 0, reasons: [] }],
    [
      'a file read in both dialects counts once, by the one with fewer refusals',
      [file('one', 'netlify', { 'bad status': 2 }), file('one', 'cloudflare', {})],
      { files: 1, loadUnchanged: 1, reasons: [] },
    ],
    [
      'the same name under _redirects and _headers is two files',
      [file('same', 'netlify', { 'no target': 1 }), file('same', 'netlify', {}, 'headers')],
      { files: 2, loadUnchanged: 1, reasons: [{ reason: 'no target', files: 1, lines: 1 }] },
    ],
    [
      'more files first; on a tie, more lines; then by name',
      [
        file('a', 'netlify', { 'other host': 1, 'bad status': 3 }),
        file('b', 'netlify', { 'other host': 1 }),
        file('c', 'cloudflare', { 'bad status': 1, 'no target': 1 }),
        file('d', 'cloudflare', { 'loop': 1 }),
      ],
      {
        files: 4,
        loadUnchanged: 0,
        reasons: [
          { reason: 'bad status', files: 2, lines: 4 },
          { reason: 'other host', files: 2, lines: 2 },
          { reason: 'loop', files: 1, lines: 1 },
          { reason: 'no target', files: 1, lines: 1 },
        ],
      },
    ],
  ])('%s', (_name, results, expected) => {
    expect(summarize(results)).toEqual(expected);
  });
});

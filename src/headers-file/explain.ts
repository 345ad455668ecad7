/** What `explain` says about `_headers`: the lines whose path matches a URL, and the headers they send there. */
import path from 'node:path';
import type { SiteModel } from '../config/model.js';
import { rulesFor } from './match.js';
import { mergedHeaders } from './policy.js';

export interface HeadersExplanation {
  /** `out/_headers:1`, one per matching rule, in file order. */
  at: string[];
  /** The headers sent, as written in the file, values joined as the platforms join them. */
  headers: Record<string, string>;
  dialect: string;
}

export function explainHeaders(site: Pick<SiteModel, 'headersFile' | 'rootDir'>, url: string): HeadersExplanation | null {
  const file = site.headersFile;
  if (!file) return null;
  const rules = rulesFor(file.rules, url.split('?')[0]!);
  if (rules.length === 0) return null;
  const shown = path.relative(site.rootDir, file.file);
  const headers = Object.fromEntries([...mergedHeaders(rules).values()].map((h) => [h.name, h.value]));
  return { at: rules.map((r) => `${shown}:${r.line}`), headers, dialect: file.dialect };
}

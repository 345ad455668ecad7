/**
 * One answer per request, in the same shape for every server (edgeship's local edge and each
 * platform's own engine), and the comparison of two answer sets.
 */
import { request } from '../edge/fixture.js';
import type { Case } from './site.js';

export interface Answer {
  status: number;
  location?: string;
  /** The page's marker, for a 200 or 404 (which file answered). */
  body?: string;
  /** Only the headers the `_headers` file names, lower-cased. */
  headers: Record<string, string>;
}

/** What an HTTP server answers `url`, reduced to an Answer. */
export async function askServer(base: string, c: Case, names: readonly string[]): Promise<Answer> {
  const reply = await request(`${base}${c.url}`, { headers: c.headers });
  return toAnswer(reply.status, reply.headers, reply.body.toString(), names);
}

export function toAnswer(status: number, headers: Record<string, string | undefined>, body: string, names: readonly string[]): Answer {
  const answer: Answer = { status, headers: {} };
  if (headers.location !== undefined) answer.location = headers.location;
  if (status === 200 || status === 404) answer.body = body.trim();
  for (const name of names) if (headers[name] !== undefined) answer.headers[name] = headers[name]!;
  return answer;
}

export interface Difference {
  url: string;
  peer: Answer;
  edgeship: Answer;
}

/** The requests whose answers differ, as `url: peer | edgeship` lines (readable in a failure). */
export function differences(cases: readonly Case[], peer: readonly Answer[], edgeship: readonly Answer[]): Map<string, Difference> {
  const out = new Map<string, Difference>();
  cases.forEach((c, i) => {
    const key = c.headers ? `${c.url} ${JSON.stringify(c.headers)}` : c.url;
    if (JSON.stringify(peer[i]) !== JSON.stringify(edgeship[i])) out.set(key, { url: c.url, peer: peer[i]!, edgeship: edgeship[i]! });
  });
  return out;
}

export function show(diffs: Map<string, Difference>): string {
  return [...diffs].map(([key, d]) => `${key}\n  peer:     ${JSON.stringify(d.peer)}\n  edgeship: ${JSON.stringify(d.edgeship)}`).join('\n');
}

/**
 * The data audit works on. The crawler (an HTTP adapter) produces `FetchedResource` and
 * `RedirectProbe` records; every rule is a pure function of an `AuditInput` to findings.
 */
import type { BehaviorTable } from '../behavior/table.js';

export type Severity = 'error' | 'warning' | 'info';

/** How a URL was found: the first page, the sitemap, the store listing, or a reference from a page. */
export type ViaKind = 'start' | 'sitemap' | 'store' | 'link' | 'script' | 'style' | 'image' | 'srcset' | 'redirect';

export interface Via {
  kind: ViaKind;
  /** The page (or redirecting URL) that referenced it. */
  from?: string;
}

/** What the response is, from its `Content-Type` (or its extension when the type is missing). */
export type ResourceType = 'html' | 'css' | 'script' | 'image' | 'font' | 'json' | 'xml' | 'text' | 'other';

/** One `<img>` on a page, with what the page offers around it. */
export interface ImageUse {
  /** Absolute URL of the `src` (or of the first `srcset` candidate when there is no `src`). */
  src: string;
  /** Absolute URLs of every candidate the browser may pick: `src`, `srcset`, and the `<picture>`'s `<source>`s. */
  candidates: string[];
  /** `type` attributes of the surrounding `<picture>`'s `<source>` elements (lower-case). */
  sourceTypes: string[];
}

/** What a page references, parsed from its HTML. */
export interface PageInfo {
  refs: { url: string; kind: Exclude<ViaKind, 'start' | 'sitemap' | 'store' | 'redirect'> }[];
  images: ImageUse[];
}

export interface FetchedResource {
  /** Absolute URL as requested (same origin as the audit's base URL). */
  url: string;
  /** 0 when the request failed without an HTTP response (`error` says why). */
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The decoded body, kept for HTML only (the rules that need it read `page`). */
  body?: Buffer;
  /** Bytes of the body as sent (compressed when `content-encoding` is set). */
  wireSize: number;
  /** Bytes of the body after decoding. */
  size: number;
  type: ResourceType;
  /** Every way the URL was reached; the first is how it entered the crawl. */
  via: Via[];
  /** For a 3xx: the absolute `Location`. */
  location?: string;
  /** For an HTML page: what it references. */
  page?: PageInfo;
  /** For a request that failed without a response. */
  error?: string;
  /** The same request made again after the crawl: its `X-Cache` (absent when the site sends none). */
  secondPass?: { status: number; xCache?: string };
}

/** One hop of a redirect probe. */
export interface RedirectHop {
  url: string;
  host: string;
  status: number;
  location?: string;
  error?: string;
}

/** `GET /` with `Host: <alias>` sent to the site's own origin, Locations followed (on the same origin) while they redirect. */
export interface RedirectProbe {
  /** The host asked for, e.g. `www.example.com`. */
  host: string;
  /** The host it should end on. */
  expectedHost: string;
  hops: RedirectHop[];
}

/** What rules know about the configured site (absent for a bare URL). */
export interface SiteExpectations {
  domain?: string;
  aliases: string[];
  /** The compiled behavior table: what each path promises. */
  table?: BehaviorTable;
  defaultRootObject: string;
}

/** One `_redirects` rule asked on the live site, its Locations followed on the same origin. */
export interface RedirectRuleProbe {
  /** The rule's line in the file. */
  line: number;
  rule: string;
  url: string;
  /** What the rules say the first answer is (the rule that matches first, maybe another one). */
  expected?: { line: number; status: number; target: string };
  hops: RedirectHop[];
}

/** A Netlify `_redirects` rule without `!` that a served file shadows at the path it is asked at. */
export interface ShadowedRule {
  line: number;
  rule: string;
  /** An exact rule's own source; a pattern rule's sample path. */
  path: string;
  /** Whether the rule has a pattern (it still answers paths without a file). */
  pattern: boolean;
  /** The object key served at `path`. */
  file: string;
  url: string;
}

/** One `_headers` rule asked on the live site, at a served path it matches. */
export interface HeaderRuleProbe {
  /** The `_headers` file as shown in findings, the rule's line and path. */
  file: string;
  line: number;
  path: string;
  /** The URL requested; absent when the rule matches no deployed or crawled path. */
  url?: string;
  /** Every header `_headers` gives that path, with the lines of the rules that set it. */
  expected: { name: string; value: string; lines: number[] }[];
  /** The answer: lower-case header names, repeated ones joined with `, `. */
  status?: number;
  headers?: Record<string, string>;
  error?: string;
}

export interface AuditInput {
  baseUrl: string;
  resources: FetchedResource[];
  probes: RedirectProbe[];
  /** One per `_redirects` rule, when the site has that file. */
  ruleProbes?: RedirectRuleProbe[];
  /** Netlify rules a served file shadows (from the store's keys; none without a store). */
  shadowedRules?: ShadowedRule[];
  /** One per `_headers` rule, when the site has that file. */
  headerProbes?: HeaderRuleProbe[];
  site?: SiteExpectations;
}

export interface Finding {
  rule: string;
  severity: Severity;
  /** The URL the finding is about (the broken target, the page, the redirecting URL). */
  url: string;
  message: string;
}

export interface Rule {
  id: string;
  severity: Severity;
  /** What the rule asks for, one line. */
  title: string;
  /** How to fix a finding. */
  fix: string;
  check(input: AuditInput): Finding[];
}

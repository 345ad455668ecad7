/**
 * The one viewer-response function edgeship writes (templates/viewer-response.js): CloudFront
 * runs one function per event on a behavior (spec §7), so what `_headers` and `_redirects` each
 * need of it is one file. Pure: the parts come in as data; CloudFront allows a function 10 KB
 * of code (spec §7.5), and what does not fit is refused by the caller.
 */
import { MAX_CODE_BYTES } from '../edge/functions/source.js';
import { compactTemplate } from '../edge/functions/template.js';

/** What the function does, as each file's step leaves it in the model (`SiteModel.responseFunction`). */
export interface ResponseFunctionParts {
  /** `_headers` rules no path pattern expresses, as the function's entries (src/headers-file/function-code.ts), and the file shown in errors. */
  headers?: { file: string; entries: unknown[] };
  /** Status rewrites of `_redirects` (Netlify's 404 pages): each status the function may set, to its reason phrase; the url-handler names the status in the `x-edgeship-status` request header (templates/redirects.js). */
  statuses?: Record<string, string>;
}

/**
 * `marked`: the copy for behaviors whose viewer-request function (the url-handler) sets the
 * `x-edgeship-path` and `x-edgeship-status` request headers; the other copy reads neither, so a
 * viewer cannot send them to pick another path's headers or a status.
 */
export function responseFunctionCode(parts: ResponseFunctionParts, marked = true): { code: string; bytes: number; fits: boolean } {
  const entries = parts.headers?.entries ?? [];
  const values: Record<string, string> = {
    __RULES__: `[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]`,
    __STATUSES__: JSON.stringify(parts.statuses ?? {}),
    __MARKED__: String(marked),
  };
  const code = compactTemplate('viewer-response.js').replace(/__[A-Z]+__/g, (name) => values[name] ?? name);
  const bytes = Buffer.byteLength(code);
  return { code, bytes, fits: bytes <= MAX_CODE_BYTES };
}

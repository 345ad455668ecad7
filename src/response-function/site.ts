/**
 * The I/O edge of the viewer-response function: the `_headers` and `_redirects` steps attach
 * `.edgeship/functions/viewer-response.js` to the behaviors that need it and leave what it must
 * do in `SiteModel.responseFunction`; this last step writes the one file they share.
 */
import path from 'node:path';
import { compiledFunctionsDir, writeIfChanged } from '../config/generated.js';
import type { SiteModel } from '../config/model.js';
import { EdgeshipError, EXIT } from '../errors.js';
import { responseFunctionCode } from './code.js';

export const RESPONSE_FUNCTION = 'viewer-response.js';
/** The copy for behaviors without a viewer-request function: it trusts no x-edgeship-* request header (code.ts). */
export const RESPONSE_FUNCTION_UNMARKED = 'viewer-response-unmarked.js';

/** The written function's path, which the behaviors that run it name; `marked` when the behavior runs the url-handler first. */
export function responseFunctionFile(rootDir: string, marked = true): string {
  return path.join(compiledFunctionsDir(rootDir), marked ? RESPONSE_FUNCTION : RESPONSE_FUNCTION_UNMARKED);
}

/** Writes the function when a step asked for it. Throws EdgeshipError (exit 2) when it passes 10 KB. */
export function writeResponseFunction(site: SiteModel): SiteModel {
  const parts = site.responseFunction;
  if (!parts) return site;
  const { code, bytes, fits } = responseFunctionCode(parts);
  if (!fits) {
    // Only _headers rules grow it: the status part is a few dozen bytes.
    throw new EdgeshipError('HEADERS_FUNCTION_TOO_LARGE', `${parts.headers?.file ?? '_headers'}: the rules no CloudFront path pattern expresses make ${RESPONSE_FUNCTION} ${bytes} bytes; a CloudFront Function holds at most 10,240 (spec §7.5)`, {
      exitCode: EXIT.usage,
      hint: 'write those paths as exact paths or prefixes ending in "*" (those become behaviors with headers policies, no function code), or merge them',
    });
  }
  // Each copy only where a behavior runs it.
  const used = new Set(site.behaviors.map((b) => b.functions?.viewerResponse));
  if (used.has(responseFunctionFile(site.rootDir))) writeIfChanged(responseFunctionFile(site.rootDir), code);
  if (used.has(responseFunctionFile(site.rootDir, false))) writeIfChanged(responseFunctionFile(site.rootDir, false), responseFunctionCode(parts, false).code);
  return site;
}

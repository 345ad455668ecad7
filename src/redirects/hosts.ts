/**
 * Rules that name a host (Netlify's domain-level redirects, Cloudflare's absolute-URL `_headers`
 * paths) apply here only for the site's own `domain`; for any other host, why they can never
 * run on this distribution, said one way for both files.
 */

/** The host names the distribution answers for: its canonical `domain` and the `aliases` redirected to it. */
export interface SiteHosts {
  domain?: string;
  aliases?: readonly string[];
}

/** Hosts of the platforms' own default domains (and Cloudflare's `:project` placeholder): requests for them never reach CloudFront. */
const PLATFORM_HOST = /(^|\.)(netlify\.app|netlify\.com|pages\.dev)$|:/i;

/**
 * `undefined` when the host is the site's domain (the rule is a path rule there); otherwise why
 * the rule never runs here and the fix. `platform` names whose default domains a platform host
 * belongs to, as the file's dialect reads them.
 */
export function foreignHost(host: string, hosts: SiteHosts, platform: string): { message: string; fix: string } | undefined {
  const h = host.toLowerCase();
  if (hosts.domain && h === hosts.domain.toLowerCase()) return undefined;
  if (PLATFORM_HOST.test(h)) return { message: `a rule for ${h}, a ${platform} host: its requests never reach this distribution`, fix: 'nothing to do; remove the line when the site has moved' };
  if (hosts.aliases?.some((a) => a.toLowerCase() === h)) return { message: `a rule for ${h}, an alias: the url-handler redirects every request for it to ${hosts.domain} first`, fix: 'nothing to do: `aliases` and `redirectToDomain` already send it to the domain' };
  if (!hosts.domain) return { message: `a rule for ${h}, and the config has no \`domain\``, fix: `set domain: '${h}' in the config if the site is served there` };
  return { message: `a rule for ${h}, which this distribution does not serve (it serves ${[hosts.domain, ...(hosts.aliases ?? [])].join(', ')})`, fix: `add ${h} to \`aliases\` to redirect it to ${hosts.domain}, or remove the line` };
}

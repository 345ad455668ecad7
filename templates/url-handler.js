// CloudFront Function (runtime cloudfront-js-2.0), viewer-request event, written by `edgeship init`
// for this site's layout. The same file runs in CloudFront (deployed by `edgeship synth`) and in
// the local edge (`edgeship serve`).
//
// 1. Redirects every alias host (such as www.example.com) to the canonical domain with one
//    301. Only hosts listed in ALIASES are redirected, and always to DOMAIN: the Host header
//    is never copied into Location, so the function cannot be used as an open redirect.
// 2. Page URLs: the other slash form is redirected to the canonical one (query string kept),
//    and the canonical form is rewritten to the file the build wrote for it.
// 3. Files (a last path segment with a dot: scripts, images, Next.js `.txt` payloads) are
//    served as they are.
// 4. Before 2 and 3, the site's _redirects rules (docs/redirects.md), compiled in between the
//    two `edgeship:redirects` lines when edgeship loads this file; without that file nothing
//    is redirected there. The compiled rules use querystring() below.
// atomic:begin
// 5. Atomic deploys (deploy.atomic): everything this function serves lives under the prefix
//    of one deploy, _deploys/<id>/; the id of the live deploy is the KeyValueStore key
//    es:live, a preview host's is es:host:<host>. One read per request; a switch or a
//    rollback is one write there, and the cache key follows the prefix, so no invalidation.

import cf from 'cloudfront';

// Previews are served at <name>.PREVIEW_DOMAIN ('' when none is configured).
var PREVIEW_DOMAIN = '__PREVIEW_DOMAIN__';
// atomic:end

var DOMAIN = '__DOMAIN__';
var ALIASES = __ALIASES__;
// Where the build writes a page: 'file' (/about -> about.html) or 'directory' (/about -> about/index.html).
var LAYOUT = '__LAYOUT__';
// The canonical page URL: true for /about/, false for /about (__WHY__).
var TRAILING_SLASH = __TRAILING_SLASH__;
// The status of the slash redirect: __STATUS__, as __SERVER__ answers.
var REDIRECT_STATUS = __STATUS__;
// The URL path the site is served under ('' for the root); the objects carry it in their keys.
var BASE_PATH = '__BASE_PATH__';

function querystring(qs) {
  var parts = [];
  for (var name in qs) {
    var entry = qs[name];
    var values = entry.multiValue ? entry.multiValue : [entry];
    for (var i = 0; i < values.length; i++) {
      parts.push(values[i].value === '' ? name : name + '=' + values[i].value);
    }
  }
  return parts.length ? '?' + parts.join('&') : '';
}

function redirect(status, location) {
  return {
    statusCode: status,
    statusDescription: status === 301 ? 'Moved Permanently' : 'Permanent Redirect',
    headers: { location: { value: location }, 'cache-control': { value: 'public, max-age=3600' } },
  };
}

// edgeship:redirects begin
async function redirectFor(request) {
  return null;
}
// edgeship:redirects end

async function route(event) {
  var request = event.request;
  // The path asked for, kept before it is rewritten to an object's key: the viewer-response
  // function edgeship writes for _headers rules matches the viewer's path, not the key.
  request.headers['x-edgeship-path'] = { value: request.uri };
  var host = request.headers.host ? request.headers.host.value.toLowerCase() : '';

  if (DOMAIN && ALIASES.indexOf(host) !== -1) {
    return redirect(301, 'https://' + DOMAIN + request.uri + querystring(request.querystring));
  }

  var asked = request.uri;
  var answer = await redirectFor(request);
  if (answer) return answer;

  var uri = request.uri;
  // A rule's rewrite target is mapped to its object in either slash form, never redirected.
  var rewritten = uri !== asked;
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') !== -1) return request;

  var page = uri.replace(/\/+$/, '');
  // Outside the base path nothing is stored: left as it is, it answers the site's 404.
  if (BASE_PATH && page !== BASE_PATH && uri.indexOf(BASE_PATH + '/') !== 0) return request;
  if (page === BASE_PATH) {
    // The site's root page: /index.html under the base path, with or without its slash.
    request.uri = page + '/index.html';
    return request;
  }
  var slash = uri.charAt(uri.length - 1) === '/';
  if (slash !== TRAILING_SLASH && !rewritten) {
    // One leading slash only: '//evil.example' must not become a protocol-relative Location.
    var canonical = '/' + (TRAILING_SLASH ? page + '/' : page).replace(/^\/+/, '');
    return redirect(REDIRECT_STATUS, canonical + querystring(request.querystring));
  }
  request.uri = LAYOUT === 'file' ? page + '.html' : page + '/index.html';
  return request;
}
// in-place:begin

async function handler(event) {
  return route(event);
}
// in-place:end
// atomic:begin

async function deployPrefix(request) {
  var host = request.headers.host ? request.headers.host.value.toLowerCase() : '';
  var suffix = '.' + PREVIEW_DOMAIN;
  var key = PREVIEW_DOMAIN && host.slice(-suffix.length) === suffix ? 'es:host:' + host : 'es:live';
  try {
    // cf.kvs() here rather than at load: a runner with no store (edgeship explain) still loads the function.
    return '/_deploys/' + (await cf.kvs().get(key));
  } catch (e) {
    // No such key (get() throws, spec 7.6): nothing deployed atomically yet, or an unknown
    // preview host. The objects at their own keys answer (an unknown preview gets the 404).
    return '';
  }
}

async function handler(event) {
  var out = await route(event);
  if (out.statusCode) return out;
  out.uri = (await deployPrefix(out)) + out.uri;
  return out;
}
// atomic:end

// The site's _redirects rules, compiled into the viewer-request function by edgeship
// (src/redirects/function-code.ts) between the `edgeship:redirects` lines of the url-handler.
// Full-line comments are dropped when it is inserted: the code counts against CloudFront's
// 10 KB limit.
//
// Exact paths are one KeyValueStore read (key es:r:<path>, value "<line> <status> <target>",
// or "e" when a file exists there, which shadows Netlify rules without "!"). Patterns are
// below, in file order: [line, source, group names, target, status, force, query, countries,
// languages]. The first rule in file order wins, so a pattern above the exact rule wins too.
var RD = __RULES__;
var RD_KVS = __KVS__;
// The store's handle, taken once (get() is the one read a request makes).
var RD_STORE = RD_KVS ? cf.kvs() : null;
// Netlify matches a path with and without its trailing slash; Cloudflare as sent.
var RD_TRIM = __TRIM__;
var RD_TEXT = { 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 307: 'Temporary Redirect', 308: 'Permanent Redirect' };

function rdMatch(r, path, request, exists) {
  if (exists && !r[5]) return null;
  var m = new RegExp(r[1]).exec(path);
  if (!m) return null;
  var vars = {};
  var names = r[2] ? r[2].split(',') : [];
  for (var i = 0; i < names.length; i++) vars[names[i]] = m[i + 1] || '';
  for (var name in r[6]) {
    var q = request.querystring[name];
    if (!q) return null;
    var want = r[6][name];
    if (want.charAt(0) === ':') vars[want.slice(1)] = q.value;
    else if (q.value !== want) return null;
  }
  if (r[7]) {
    var country = request.headers['cloudfront-viewer-country'];
    if (!country || r[7].split(',').indexOf(country.value.toUpperCase()) === -1) return null;
  }
  if (r[8] && !rdLanguage(request.headers['accept-language'], r[8].split(','))) return null;
  return vars;
}

function rdLanguage(header, langs) {
  var tags = header ? header.value.split(',') : [];
  for (var i = 0; i < tags.length; i++) {
    var tag = tags[i].split(';')[0].trim().toLowerCase();
    for (var j = 0; j < langs.length; j++) if (tag === langs[j] || tag.indexOf(langs[j] + '-') === 0) return true;
  }
  return false;
}

function rdApply(r, vars, request) {
  var to = r[3].replace(/:([A-Za-z]\w*)/g, function (whole, name) { return vars[name] !== undefined ? vars[name] : whole; });
  var q = to.indexOf('?');
  if (r[4] < 300 || r[4] > 399) {
    // A rewrite: the rest of the handler maps the new path to its object. Another status than
    // 200 (Netlify's 404 pages) is set on the answer by edgeship's viewer-response function.
    if (r[4] !== 200) request.headers['x-edgeship-status'] = { value: String(r[4]) };
    if (q !== -1) {
      var qs = {};
      to.slice(q + 1).split('&').forEach(function (p) { var e = p.indexOf('='); if (p) qs[e === -1 ? p : p.slice(0, e)] = { value: e === -1 ? '' : p.slice(e + 1) }; });
      request.querystring = qs;
      to = to.slice(0, q);
    }
    request.uri = to;
    return null;
  }
  return { statusCode: r[4], statusDescription: RD_TEXT[r[4]], headers: { location: { value: q === -1 ? to + querystring(request.querystring) : to } } };
}

async function redirectFor(request) {
  // Only a rule sets this header: a viewer's own would change the status of its answer.
  delete request.headers['x-edgeship-status'];
  var uri = request.uri;
  var path = RD_TRIM && uri.length > 1 ? uri.replace(/\/+$/, '') || '/' : uri;
  var hit = null;
  var exists = false;
  if (RD_KVS) {
    var v = '';
    try {
      v = await RD_STORE.get('es:r:' + path);
    } catch (e) {
      // No key for this path (get() throws for a missing key, spec §7.6).
    }
    if (v.charAt(0) === 'e') {
      exists = true;
      v = v.slice(2);
    }
    var a = v.indexOf(' ');
    var b = v.indexOf(' ', a + 1);
    if (v) hit = [Number(v.slice(0, a)), '', '', v.slice(b + 1), Number(v.slice(a + 1, b)), 1];
  }
  for (var i = 0; i < RD.length; i++) {
    if (hit && RD[i][0] > hit[0]) break;
    var vars = rdMatch(RD[i], path, request, exists);
    if (vars) return rdApply(RD[i], vars, request);
  }
  return hit ? rdApply(hit, {}, request) : null;
}

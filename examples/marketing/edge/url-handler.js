// CloudFront Function (runtime cloudfront-js-2.0), viewer-request event.
// The same file runs in CloudFront (deployed by `edgeship synth`) and in the local edge
// (`edgeship serve`).
//
// 1. Redirects every alias host (such as www.example.com) to the canonical domain with one
//    301. Only hosts listed in ALIASES are redirected, and always to DOMAIN: the Host header
//    is never copied into Location, so the function cannot be used as an open redirect.
// 2. Rewrites directory-style URLs to the object a static export wrote:
//    /about and /about/ -> /about/index.html, / -> /index.html.

var DOMAIN = 'marketing.example.com';
var ALIASES = ['www.marketing.example.com'];

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

function handler(event) {
  var request = event.request;
  var host = request.headers.host ? request.headers.host.value.toLowerCase() : '';

  if (DOMAIN && ALIASES.indexOf(host) !== -1) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: {
        location: { value: 'https://' + DOMAIN + request.uri + querystring(request.querystring) },
        'cache-control': { value: 'public, max-age=3600' },
      },
    };
  }

  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else {
    var last = uri.substring(uri.lastIndexOf('/') + 1);
    if (last.indexOf('.') === -1) {
      request.uri = uri + '/index.html';
    }
  }
  return request;
}

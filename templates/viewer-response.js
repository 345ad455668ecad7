// CloudFront Function (runtime cloudfront-js-2.0), viewer-response event, written by edgeship
// from the site's _headers and _redirects (src/response-function/, docs/redirects.md). Full-line
// comments are dropped when it is written: the code counts against CloudFront's 10 KB limit.
//
// _headers: the rules whose paths no CloudFront path pattern expresses, in file order:
// [line, path source, [[name, value], ...], [detached names]], with only the headers this
// function sets; the behaviors' response headers policies send the rest. Every rule that
// matches applies; a header set twice is sent with its values joined by ", ".
var HF = __RULES__;
for (var i = 0; i < HF.length; i++) HF[i][1] = new RegExp(HF[i][1]);
// _redirects: the statuses a rule may answer its target's object with (Netlify's 404 pages),
// each with its reason phrase. The url-handler names the status in x-edgeship-status.
var ST = __STATUSES__;
// Whether a viewer-request function that sets the two x-edgeship-* request headers runs before
// this one: the url-handler overwrites them on every request. On a behavior without it they
// could only come from the viewer, so this copy of the function reads neither.
var MARKED = __MARKED__;

async function handler(event) {
  var response = event.response;
  var marked = MARKED && event.request.headers['x-edgeship-status'];
  if (marked && ST[marked.value]) {
    response.statusCode = Number(marked.value);
    response.statusDescription = ST[marked.value];
  }
  // The viewer's path: the url-handler rewrites request.uri to the object it serves (such as
  // /blog/a/index.html) and keeps the path it was asked for in this header.
  var asked = MARKED && event.request.headers['x-edgeship-path'];
  var path = asked ? asked.value : event.request.uri;
  var out = {};
  for (var r = 0; r < HF.length; r++) {
    var rule = HF[r];
    if (!rule[1].test(path)) continue;
    for (var d = 0; d < rule[3].length; d++) delete out[rule[3][d]];
    for (var h = 0; h < rule[2].length; h++) {
      var name = rule[2][h][0];
      out[name] = out[name] === undefined ? rule[2][h][1] : out[name] + ', ' + rule[2][h][1];
    }
  }
  for (var set in out) response.headers[set] = { value: out[set] };
  return response;
}

// Clean URLs: /about -> /about/index.html (runtime cloudfront-js-2.0).
async function handler(event) {
  const request = event.request;
  if (request.uri.endsWith('/')) request.uri += 'index.html';
  else if (!request.uri.split('/').pop().includes('.')) request.uri += '/index.html';
  return request;
}

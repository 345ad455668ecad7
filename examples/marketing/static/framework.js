// Stands in for the framework runtime chunk of a static export: registers the page.
(function () {
  window.__SITE__ = window.__SITE__ || { pages: [] };
  window.__SITE__.pages.push(document.body.getAttribute('data-page'));
})();

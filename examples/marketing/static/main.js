// Site behaviour: the small-screen menu toggle and the footer year.
(function () {
  var nav = document.querySelector('nav');
  var button = nav && nav.querySelector('button');
  if (button) {
    button.addEventListener('click', function () {
      nav.classList.toggle('open');
      button.setAttribute('aria-expanded', nav.classList.contains('open') ? 'true' : 'false');
    });
  }
  var year = document.querySelector('[data-year]');
  if (year) year.textContent = String(new Date().getFullYear());
})();

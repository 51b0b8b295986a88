// The static first screen of index.html, participant.html and remote.html, before the first
// paint: the saved language and the kind of route pick what it shows, and a download that
// stalls is said in words. Trunk inlines this file into every page (the relay allows it by
// its hash).
(function () {
  var root = document.documentElement, english = false;
  try { english = JSON.parse(localStorage.getItem('bijeen.language')) === 'En'; } catch (e) {}
  var path = location.pathname;
  root.dataset.first = path === '/' ? 'home' : /\/present\/?$/.test(path) ? 'present' : 'app';
  // The participant's join form, on a phone's first visit (a join link, or a room this
  // browser has never entered): usable before the app arrives. It waits in a <template>, so
  // no copy of it is in the page where the app decides (a room this browser knows). What is
  // typed, and whether Meedoen was pressed, waits in sessionStorage for the app's own form
  // (adapters/first_screen.rs, take_pending_join).
  var template = document.getElementById('first-join');
  var room = path.match(/^\/w\/([^/]+)\/join\/?$/);
  var fresh = /^\/j\/[^/]+\/?$/.test(path) || (room && !hasRoom(room[1]));
  if (template && fresh) {
    template.parentNode.appendChild(template.content.cloneNode(true));
    var form = document.querySelector('#first-screen form.join-form');
    var input = document.getElementById('first-join-name');
    var keep = function (join) {
      try { sessionStorage.setItem('bijeen.first-join', JSON.stringify({ name: input.value, join: join })); } catch (e) {}
    };
    var joinNow = function (event) {
      if (event) event.preventDefault();
      keep(true);
      form.querySelectorAll('input, button').forEach(function (node) { node.disabled = true; });
      var wait = document.querySelector('#first-screen .first-screen__wait');
      if (wait) wait.textContent = english
        ? 'You join as soon as the workshop has loaded.'
        : 'Je doet mee zodra de workshop geladen is.';
    };
    input.addEventListener('input', function () { keep(false); });
    form.addEventListener('submit', joinNow);
    document.getElementById('first-join-anonymous').addEventListener('click', function () {
      input.value = '';
      joinNow();
    });
  }
  if (english) {
    root.lang = 'en';
    document.querySelectorAll('#first-screen [data-en]').forEach(function (node) { node.textContent = node.dataset.en; });
  }
  function hasRoom(id) {
    try { return localStorage.getItem('bijeen.room.' + id) !== null; } catch (e) { return false; }
  }
  // A download that stalls (or a browser without WebAssembly) is said in words, not
  // left as "loading" forever.
  setTimeout(function () {
    var wait = document.querySelector('#first-screen .first-screen__wait');
    if (wait) wait.textContent = english
      ? 'Loading is taking long. Check your connection, and reload the page if it stays like this.'
      : 'Het laden duurt lang. Controleer je verbinding en laad de pagina opnieuw als het zo blijft.';
  }, 15000);
})();

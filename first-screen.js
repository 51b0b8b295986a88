// The static first screen of index.html, participant.html and remote.html, before the first
// paint: the saved language and the kind of route pick what it shows, and a download that
// stalls is said in words. Trunk inlines this file into every page (the relay allows it by
// its hash).
(function () {
  var root = document.documentElement, english = false;
  try { english = JSON.parse(localStorage.getItem('bijeen.language')) === 'En'; } catch (e) {}
  var path = location.pathname;
  root.dataset.first = path === '/' ? 'home' : /\/present\/?$/.test(path) ? 'present' : 'app';
  if (english) {
    root.lang = 'en';
    document.querySelectorAll('#first-screen [data-en]').forEach(function (node) { node.textContent = node.dataset.en; });
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

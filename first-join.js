// The participant's join form on a phone that has not joined yet (a join link, a room this
// browser has never entered, or one it entered without joining by name): usable before the
// app arrives. Inlined only in participant.html, after first-screen.js. The form waits in a
// <template>, so no copy of it is in the page of a phone that has joined (the app writes
// bijeen.joined.ID once it has, adapters/first_screen.rs). What is typed, and whether
// Meedoen was pressed, wait in sessionStorage for the app's own form (take_pending_join).
(function () {
  var english = document.documentElement.lang === 'en';
  var path = location.pathname;
  var template = document.getElementById('first-join');
  var room = path.match(/^\/w\/([^/]+)\/join\/?$/);
  // A participant's window of a workshop this browser holds itself (the facilitator's,
  // joined in another window, no relay needed) is the window entry's, which keeps a
  // replica; the phone's entry shows only what the relay sends. Decided before the app
  // loads, so the wrong one is never fetched.
  var phoneJoined = function (id) {
    try {
      var record = JSON.parse(localStorage.getItem('bijeen.room.' + id));
      return !!(record && record.credential && record.credential.participant);
    } catch (e) { return false; }
  };
  var heldHere = function (id) {
    try { return localStorage.getItem('bijeen.doc.' + id) !== null; } catch (e) { return false; }
  };
  if (room && !phoneJoined(room[1]) && heldHere(room[1])) {
    location.replace('/w/' + room[1] + '/window' + location.search + location.hash);
    return;
  }
  var joined = function (id) {
    try {
      return localStorage.getItem('bijeen.room.' + id) !== null
        && localStorage.getItem('bijeen.joined.' + id) !== null;
    } catch (e) { return false; }
  };
  if (!template || !(/^\/j\/[^/]+\/?$/.test(path) || (room && !joined(room[1])))) return;
  template.parentNode.appendChild(template.content.cloneNode(true));
  var form = document.querySelector('#first-screen form.join-form');
  var input = document.getElementById('first-join-name');
  if (english) {
    form.querySelectorAll('[data-en]').forEach(function (node) { node.textContent = node.dataset.en; });
  }
  var keep = function (join) {
    try {
      sessionStorage.setItem('bijeen.first-join.name', input.value);
      if (join) sessionStorage.setItem('bijeen.first-join.join', '1');
    } catch (e) {}
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
})();

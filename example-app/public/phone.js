/* global document */
// The simulated phone's live list: every 3 s it fetches the requests and swaps them in only when
// they changed, so keyboard focus and screen-reader position stay put (no <meta refresh>).
(function () {
  'use strict';
  var list = document.getElementById('phone-requests');
  if (!list) return;
  function ids(root) {
    return Array.prototype.map
      .call(root.querySelectorAll('[data-request-id]'), function (el) {
        return el.getAttribute('data-request-id');
      })
      .join(',');
  }
  function refresh() {
    fetch('/phone/requests', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(new Error(String(response.status)));
      })
      .then(function (html) {
        var next = document.createElement('div');
        next.innerHTML = html;
        if (ids(next) !== ids(list)) list.innerHTML = html;
      })
      .catch(function () {
        // Offline for a moment: the next round tries again.
      })
      .then(function () {
        setTimeout(refresh, 3000);
      });
  }
  setTimeout(refresh, 3000);
})();

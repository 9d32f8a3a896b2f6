// The wait page's poller: asks the status route (JSON) when the server says it is worth asking,
// updates the page in place, and follows the redirect once the login completes. No dependencies.
(function () {
  'use strict';
  var root = document.getElementById('push-wait');
  if (!root) return;
  var statusUrl = root.getAttribute('data-status-url');
  var deadline = Date.now() + Number(root.getAttribute('data-expires-in-ms'));
  var statusEl = document.getElementById('push-status');
  var countdownEl = document.getElementById('push-countdown');
  var retryEl = document.getElementById('push-retry');
  var cancelEl = document.getElementById('push-cancel');
  var finished = false;
  var failures = 0;

  function show(text, state) {
    statusEl.textContent = text;
    statusEl.setAttribute('data-state', state);
  }

  function finish(text, state) {
    finished = true;
    show(text, state);
    countdownEl.hidden = true;
    cancelEl.hidden = true;
    retryEl.hidden = false;
    root.classList.add('push-ended');
  }

  function tick() {
    if (finished) return;
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    countdownEl.textContent =
      'Expires in ' + Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0');
    if (left > 0) setTimeout(tick, 1000);
  }

  function schedule(ms) {
    if (!finished) setTimeout(poll, Math.min(Math.max(ms, 250), 10000));
  }

  function poll() {
    fetch(statusUrl, {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (answer) {
        var body = answer.body || {};
        failures = 0;
        if (answer.status === 200 && body.state === 'authenticated') {
          finished = true;
          show('Approved. Signing you in…', 'authenticated');
          window.location.assign(body.redirect || '/');
        } else if (answer.status === 202) {
          if (body.state === 'fetched') show('Opened on your phone. Waiting for your approval…', 'fetched');
          schedule(body.retryAfterMs);
        } else if (answer.status === 503 || answer.status === 429) {
          show(body.message || 'The service is busy. Still trying…', 'retrying');
          schedule(body.retryAfterMs || 2000);
        } else {
          finish(body.message || 'The login did not complete.', body.state || 'failed');
        }
      })
      .catch(function () {
        failures += 1;
        show('Connection problem. Still trying…', 'retrying');
        schedule(Math.min(1000 * Math.pow(2, failures), 10000));
      });
  }

  tick();
  schedule(Number(root.getAttribute('data-retry-after-ms')));
})();

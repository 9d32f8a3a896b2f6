// The wait page's poller: listens to the status stream (EventSource) where it can, else asks the
// status route (JSON) when the server says it is worth asking,
// updates the page in place, and follows the redirect once the login completes. Its texts come
// from the page's message block, in the page's language. No dependencies.
(function () {
  'use strict';
  var root = document.getElementById('push-wait');
  if (!root) return;
  var messages = readMessages();
  var challengeId = root.getAttribute('data-challenge-id') || '';
  // How the user approves (push, scan, app): a state's text may have a version for it.
  var flow = root.getAttribute('data-flow') || 'push';
  var statusUrl =
    root.getAttribute('data-status-url') +
    (challengeId ? '?challenge=' + encodeURIComponent(challengeId) : '');
  var totalMs = Number(root.getAttribute('data-expires-in-ms'));
  var deadline = Date.now() + totalMs;
  var el = function (id) {
    return document.getElementById(id);
  };
  var statusEl = el('push-status');
  var hintEl = el('push-hint');
  var countdownEl = el('push-countdown');
  var announceEl = el('push-announce');
  var ringEl = el('push-ring-bar');
  var retryEl = el('push-retry');
  var cancelEl = el('push-cancel');
  var sendAgainEl = el('push-send-again');
  var showNewerEl = el('push-show-newer');
  var retryLinkEl = el('push-retry-link');
  var qrEl = el('push-qr');
  var qrFigure = qrEl ? qrEl.parentNode : null;
  var initialState = statusEl.getAttribute('data-state');
  // The layout may add the app's name after the state: keep whatever follows our part.
  var titlePrefix = text('title.' + initialState);
  var titleRest = document.title.indexOf(titlePrefix) === 0 ? document.title.slice(titlePrefix.length) : '';
  var finished = false;
  // Superseded: the page watches the session until the newer login signs in, then follows it.
  var following = false;
  var followMs = 2000;
  // A tab left open does not ask forever: a newer login has long ended after a quarter of an hour.
  var followUntil = 0;
  var failures = 0;
  var lastAnnouncedMinute = Math.ceil(totalMs / 60000);
  // Ended states where asking the phone again makes sense ("Send again").
  var resendable = { expired: 1, cancelled: 1, suspended: 1, invalid: 1, failed: 1, timeout: 1 };

  function readMessages() {
    try {
      return JSON.parse(document.getElementById('push-messages').textContent) || {};
    } catch {
      return {};
    }
  }

  function text(key, values) {
    var template = Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : '';
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  /** A state's text for this page's flow (`state.pending.scan`), else the general one. */
  function stateText(state) {
    return (flow !== 'push' && text('state.' + state + '.' + flow)) || text('state.' + state);
  }

  function setTitle(state) {
    var key = 'title.' + state;
    var part = text(key) || text('title.ended');
    document.title = part + titleRest;
  }

  function show(message, state) {
    statusEl.textContent = message;
    if (statusEl.getAttribute('data-state') !== state) {
      statusEl.setAttribute('data-state', state);
      if (state === 'pending' || state === 'fetched' || state === 'authenticated') setTitle(state);
    }
  }

  /** The text for an answer: the catalogue's for its code or state, then the server's own. */
  function describe(body, fallbackKey) {
    var code = body.error || body.code;
    if (code === 'rate_limited' && body.retryAfterMs) {
      return text('error.rate_limited.after', { seconds: Math.ceil(body.retryAfterMs / 1000) });
    }
    var keys = ['state.' + body.state, 'error.' + code, 'state.' + code];
    for (var i = 0; i < keys.length; i++) if (text(keys[i])) return text(keys[i]);
    return (typeof body.message === 'string' && body.message) || text(fallbackKey);
  }

  /** A text to compare: lower case, without its closing punctuation. */
  function sentence(value) {
    return value.toLowerCase().replace(/[.!…\s]+$/, '');
  }

  function providerHint(message) {
    if (!message || typeof message !== 'object' || typeof message.key !== 'string') return;
    hintEl.textContent = text(message.key) || String(message.text || '');
    hintEl.hidden = !hintEl.textContent;
  }

  function qrShown() {
    return Boolean(qrEl && !qrFigure.hidden);
  }

  /** Shows the answer's QR frame; hides the QR once the phone has the request or none comes. */
  function updateQr(body) {
    if (!qrEl) return;
    var image = body.display && body.display.qrImage;
    if (body.state === 'pending' && typeof image === 'string' && image.indexOf('data:image/') === 0) {
      if (qrEl.getAttribute('src') !== image) qrEl.src = image;
    } else if (body.state === 'fetched' || body.display) {
      qrFigure.hidden = true;
    }
  }

  function finish(message, state) {
    finished = true;
    show(message, state);
    // A hint that only repeats the status (the provider's words for the same denial) says it twice.
    if (hintEl.textContent && sentence(message).indexOf(sentence(hintEl.textContent)) === 0)
      hintEl.hidden = true;
    // What served the waiting (the pass to pick, the QR, the launch link, the help) is stale now.
    var stale = root.querySelectorAll(
      '.push-pass, .push-qr, .push-binding, .push-launch, .push-instruction, .push-help',
    );
    for (var i = 0; i < stale.length; i++) stale[i].hidden = true;
    setTitle(state === 'denied' || state === 'expired' || state === 'superseded' ? state : 'ended');
    countdownEl.parentNode.hidden = true;
    cancelEl.hidden = true;
    if (qrFigure) qrFigure.hidden = true;
    retryEl.hidden = false;
    root.classList.add('push-ended');
    var superseded = state === 'superseded';
    // An action's page has no "Send again": only the app's own route can send its intent.
    if (sendAgainEl) sendAgainEl.hidden = superseded || !resendable[state];
    showNewerEl.hidden = !superseded;
    var retry = root.getAttribute('data-retry-url') || '';
    retryLinkEl.href = retry + (retry.indexOf('?') >= 0 ? '&' : '?') + 'push=' + encodeURIComponent(state);
    // The next action takes focus, so keyboard and screen-reader users land where they go on.
    var next = superseded
      ? showNewerEl
      : sendAgainEl && !sendAgainEl.hidden
        ? sendAgainEl.querySelector('button')
        : retryLinkEl;
    next.focus();
    if (superseded) {
      followUntil = Date.now() + 15 * 60000;
      follow();
    }
  }

  /** Asks now and then whether the newer login signed in; the answer then says `authenticated`. */
  function follow() {
    following = true;
    if (Date.now() > followUntil) return;
    setTimeout(poll, followMs);
    followMs = Math.min(followMs * 1.5, 10000);
  }

  function tick() {
    if (finished) return;
    var leftMs = Math.max(0, deadline - Date.now());
    var left = Math.ceil(leftMs / 1000);
    countdownEl.textContent = text('countdown.left', {
      time: Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0'),
    });
    if (ringEl && totalMs > 0) ringEl.setAttribute('stroke-dashoffset', String(100 * (1 - leftMs / totalMs)));
    // Announce once a minute, not every second: a live region that talks constantly is noise.
    var minute = Math.ceil(left / 60);
    if (minute < lastAnnouncedMinute && left > 0) {
      lastAnnouncedMinute = minute;
      announceEl.textContent =
        minute <= 1 ? text('countdown.lastMinute') : text('countdown.minutes', { minutes: minute });
    }
    if (left > 0) setTimeout(tick, (leftMs % 1000 || 1000) + 20);
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
        if (answer.status === 200 && (body.state === 'authenticated' || body.state === 'action_approved')) {
          finished = true;
          following = false;
          show(text('state.authenticated'), 'authenticated');
          window.location.assign(body.redirect || '/');
        } else if (following) {
          // Still superseded: the page stays as it is, and asks again. "No login" too: the poll may
          // have carried the cookie the newer tab's sign-in just replaced (its answer still on the
          // way), and the next one carries the new cookie. `followUntil` ends the asking.
          var still = body.state === 'superseded' || body.state === 'none';
          if (still || answer.status === 503 || answer.status === 429) follow();
        } else if (answer.status === 202) {
          if (body.state === 'fetched' || body.state === 'pending') show(stateText(body.state), body.state);
          providerHint(body.providerMessage);
          updateQr(body);
          // An animated QR changes every second; the server answers those polls locally.
          schedule(qrShown() ? Math.min(body.retryAfterMs || 0, 1000) : body.retryAfterMs);
        } else if (answer.status === 503 || answer.status === 429) {
          show(describe(body, 'state.busy'), 'retrying');
          schedule(body.retryAfterMs || 2000);
        } else {
          providerHint(body.providerMessage);
          var state = body.state || body.error || 'failed';
          finish(describe(body, 'state.failed'), state);
        }
      })
      .catch(function () {
        if (following) return follow();
        failures += 1;
        show(text('state.offline'), 'retrying');
        schedule(Math.min(1000 * Math.pow(2, failures), 10000));
      });
  }

  // The status stream: the server says at once when something changed. The page still completes
  // through the status route (its answer carries the new session cookie); without EventSource, or
  // when the stream is refused, the page polls.
  function listen(eventsUrl) {
    var source = new EventSource(
      eventsUrl + (challengeId ? '?challenge=' + encodeURIComponent(challengeId) : ''),
    );
    source.addEventListener('state', function (event) {
      var body;
      try {
        body = JSON.parse(event.data);
      } catch {
        return;
      }
      if (body.state === 'pending' || body.state === 'fetched') {
        show(stateText(body.state), body.state);
        providerHint(body.providerMessage);
        updateQr(body);
        return;
      }
      source.close();
      // Sent only once the newer login's answer is out; its cookie may still be on the way, so
      // the page says so itself rather than asking with the old one.
      if (body.state === 'superseded') return finish(text('state.superseded'), 'superseded');
      poll();
    });
    source.onerror = function () {
      // CLOSED: refused (no challenge, a newer one, an old server); the status route explains.
      if (source.readyState === 2) {
        source.close();
        if (!finished) poll();
      }
    };
  }

  tick();
  var firstPollMs = Number(root.getAttribute('data-retry-after-ms'));
  var eventsUrl = root.getAttribute('data-events-url');
  // An animated QR changes every second: such a page polls, a stream would show it late.
  if (eventsUrl && typeof window.EventSource === 'function' && !qrShown()) listen(eventsUrl);
  else schedule(qrShown() ? Math.min(firstPollMs, 1000) : firstPollMs);
})();

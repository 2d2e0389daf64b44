import { DIALOG_CSS } from './dialog-css.js';

// The browser side of the emulator, served as /flow.js. Plain ES2020 run by the page, so it is
// kept as text here (the build compiles only .ts). It never sees a secret: the emulator's server
// checks the signature and answers only whether Flow may open.
const SCRIPT = String.raw`(function () {
  'use strict';
  if (window.Flow && window.Flow.emulated) return;
  var ORIGIN = __ORIGIN__;
  var CSS = __CSS__;

  function call(method, path, body) {
    return fetch(ORIGIN + path, {
      method: method,
      // text/plain keeps the request "simple": no CORS preflight from the host page's origin.
      headers: body === undefined ? {} : { 'Content-Type': 'text/plain' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (json) {
        return { ok: response.ok, status: response.status, body: json };
      });
    });
  }

  function errorMessage(answer) {
    var first = answer.body && answer.body.errors && answer.body.errors[0];
    return (first && first.message) || 'Flow emulator answered ' + answer.status + '.';
  }

  function element(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === 'text') node.textContent = props[key];
      else if (key === 'onclick') node.addEventListener('click', props[key]);
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { node.append(child); });
    return node;
  }

  function injectStyles() {
    if (document.getElementById('cfe-styles')) return;
    document.head.append(element('style', { id: 'cfe-styles', text: CSS }));
  }

  // Shown long enough to read "Verification passed." before the dialog closes itself.
  var CLOSE_AFTER_SUCCESS_MS = 1500;

  // One dialog over the page; emit reports to the Flow instance (a no-op on the hosted page).
  // Over a page (embedded) it closes on Escape and after success; the hosted page keeps it.
  function Dialog(session, emit, onClose, embedded) {
    var self = this;
    this.session = session;
    this.emit = emit;
    this.onClose = onClose;
    this.busy = false;
    this.embedded = embedded === true;
    injectStyles();
    this.root = element('div', { class: 'cfe-backdrop' });
    document.body.append(this.root);
    this.onKey = function (event) {
      if (event.key === 'Escape') self.close();
    };
    if (this.embedded) document.addEventListener('keydown', this.onKey);
    this.render();
  }

  // The template's steps in order: the session's steps object less those not in the template.
  function stepList(session) {
    return Object.keys(session.steps).filter(function (name) {
      return session.steps[name] !== 'not_applicable';
    }).map(function (name) { return { name: name, state: session.steps[name] }; });
  }

  var ENDED = {
    success: 'Verification passed.',
    failed: 'Verification failed.',
    expired: 'The session expired.',
    canceled: 'The session was canceled.',
  };

  Dialog.prototype.render = function () {
    var self = this;
    var s = this.session;
    var steps = stepList(s);
    var current = steps.filter(function (step) { return step.state === 'active'; })[0];
    var buttons = [];
    function button(label, action, cls) {
      buttons.push(element('button', { type: 'button', class: cls || '', text: label, onclick: function () { self.act(action); } }));
    }
    var state;
    if (s.status === 'active') {
      state = current ? 'Step: ' + current.name : 'Every step is done.';
      if (current) button('Continue', 'advance');
      button('Pass verification', 'pass', 'cfe-pass');
      button('Fail verification', 'fail', 'cfe-fail');
      button('Send to review', 'review');
      button('Expire session', 'expire');
      button('Cancel session', 'cancel');
    } else if (s.status === 'pending_review') {
      state = 'Pending review.';
      button('Pass verification', 'pass', 'cfe-pass');
      button('Fail verification', 'fail', 'cfe-fail');
    } else {
      state = ENDED[s.status] || 'Ended: ' + s.status + '.';
      if (s.status !== 'success') button('Retry verification', 'retry');
    }
    var dialog = element('div', { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'cfe-title', class: 'cfe-dialog', 'data-session-id': s.id, 'data-status': s.status }, [
      element('button', { type: 'button', class: 'cfe-close', 'aria-label': 'Close', text: '\u00d7', onclick: function () { self.close(); } }),
      element('h2', { id: 'cfe-title', text: 'Verify your identity' }),
      element('p', { class: 'cfe-note', text: 'Flow emulator: no documents are checked; the identity is a fake test one.' }),
      element('ol', { class: 'cfe-steps' }, steps.map(function (step) {
        return element('li', { 'data-status': step.state, text: step.name + ' (' + step.state + ')' });
      })),
      element('p', { class: 'cfe-state', role: 'status', text: state }),
      element('div', { class: 'cfe-actions' }, buttons),
    ]);
    this.root.replaceChildren(dialog);
  };

  Dialog.prototype.act = function (action) {
    var self = this;
    if (this.busy) return;
    this.busy = true;
    this.root.querySelectorAll('.cfe-actions button').forEach(function (b) { b.disabled = true; });
    call('POST', '/emulator/sessions/' + encodeURIComponent(this.session.id) + '/' + action, {}).then(function (answer) {
      self.busy = false;
      if (!answer.ok) {
        var message = errorMessage(answer);
        console.error(message);
        self.emit('errors', { topic: 'error', message: message });
        self.render();
        return;
      }
      self.session = answer.body.session;
      self.render();
      if (action === 'retry') self.emit('session', { topic: 'session', action: 'created', data: { id: self.session.id } });
      if (action === 'pass' && self.session.status === 'success') self.emit('session', { topic: 'session', action: 'passed', data: { id: self.session.id } });
      if (self.embedded && self.session.status === 'success') self.closeTimer = setTimeout(function () { self.close(); }, CLOSE_AFTER_SUCCESS_MS);
      if (action === 'fail' && self.session.status === 'failed') self.emit('session', { topic: 'session', action: 'failed', data: { id: self.session.id } });
    }, function (error) {
      self.busy = false;
      self.emit('errors', { topic: 'error', message: String(error && error.message || error) });
      self.render();
    });
  };

  Dialog.prototype.close = function () {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.closeTimer);
    document.removeEventListener('keydown', this.onKey);
    this.root.remove();
    this.onClose();
  };

  function Flow(options) {
    if (!(this instanceof Flow)) throw new TypeError("Class constructor Flow cannot be invoked without 'new'");
    this.options = options || {};
    this.handlers = {};
    this.dialog = null;
  }

  Flow.emulated = true;

  Flow.prototype.on = function (topic, callback) {
    (this.handlers[topic] = this.handlers[topic] || []).push(callback);
    return this;
  };

  Flow.prototype.emit = function (topic, event) {
    var list = (this.handlers[topic] || []).concat(this.handlers.all || []);
    list.forEach(function (callback) {
      try { callback(event); } catch (error) { console.error(error); }
    });
  };

  Flow.prototype.open = function () {
    var self = this;
    if (this.dialog) return;
    var o = this.options;
    var user = o.user || {};
    var request = {
      publishableKey: o.publishableKey,
      templateId: o.templateId,
      user: { customerReference: user.customerReference, signature: user.signature, email: user.email },
    };
    call('POST', '/emulator/open', request).then(function (answer) {
      if (!answer.ok) {
        var message = errorMessage(answer);
        // Flow reports integration problems on the console and opens no session.
        console.error(message);
        self.emit('errors', { topic: 'error', message: message });
        return;
      }
      // Flow opens an unsigned reference (for a limited number of sessions) and says so loudly.
      if (answer.body.warning) console.warn(answer.body.warning);
      var session = answer.body.session;
      self.dialog = new Dialog(session, function (topic, event) { self.emit(topic, event); }, function () {
        self.dialog = null;
        self.emit('ui', { topic: 'ui', action: 'closed' });
      }, true);
      self.emit('ui', { topic: 'ui', action: 'opened' });
      self.emit('session', { topic: 'session', action: answer.body.created ? 'created' : 'resumed', data: { id: session.id } });
    }, function (error) {
      var message = 'Flow emulator unreachable at ' + ORIGIN + ': ' + String(error && error.message || error);
      console.error(message);
      self.emit('errors', { topic: 'error', message: message });
    });
  };

  Flow.prototype.close = function () {
    if (this.dialog) this.dialog.close();
  };

  // The page at a session's shareable_url opens the same dialog for that session.
  Flow.openHosted = function (sessionId) {
    return call('GET', '/emulator/sessions/' + encodeURIComponent(sessionId)).then(function (answer) {
      if (!answer.ok) throw new Error(errorMessage(answer));
      return new Dialog(answer.body.session, function () {}, function () {});
    });
  };

  window.Flow = Flow;
})();
`;

/** The emulator's `/flow.js`, bound to the emulator's own origin. */
export function flowScript(origin: string): string {
  // Functions as replacements: a `$` in the values is then taken literally.
  return SCRIPT.replace('__ORIGIN__', () => JSON.stringify(origin)).replace('__CSS__', () =>
    JSON.stringify(DIALOG_CSS),
  );
}

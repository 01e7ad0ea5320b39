// The stand-in Hosted Fields library the emulator serves at the real path. It is plain ES5-style JavaScript text
// (it runs in the merchant's page, under any CSP that allows the script itself: no eval, no inline styles or scripts)
// with the gateway origin and its own version built in, as the real library has.

/**
 * Source of the stand-in `hosted-fields-<libVersion>.js`.
 * @internal
 */
export function standInScript(libVersion: string, gatewayOrigin: string): string {
  return `/* Payroc Hosted Fields ${libVersion}: offline stand-in served by payroc-hosted-fields/testing */
(function () {
  'use strict';
  var VERSION = ${JSON.stringify(libVersion)};
  var GATEWAY = ${JSON.stringify(gatewayOrigin)};
  var EVENTS = ['submissionSuccess', 'error', 'fieldValidityChange', 'surchargingAllowed', 'surchargingNotAllowed'];
  var CARD_FIELDS = ['cardholderName', 'cardNumber', 'expiryDate', 'cvv', 'submit'];
  var REQUIRED = ['cardNumber', 'expiryDate', 'submit'];
  var sequence = 0;

  function luhn(digits) {
    var sum = 0;
    for (var i = 0; i < digits.length; i++) {
      var d = Number(digits.charAt(digits.length - 1 - i));
      if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    return sum % 10 === 0;
  }

  function validateField(field, value) {
    value = String(value || '').trim();
    if (field === 'cardholderName') return value ? undefined : 'Enter the name on the card';
    if (field === 'cardNumber') {
      var digits = value.replace(/[\\s-]/g, '');
      return /^\\d{12,19}$/.test(digits) && luhn(digits) ? undefined : 'Invalid card number';
    }
    if (field === 'expiryDate') {
      var m = /^(\\d{2})\\s*\\/\\s*(\\d{2})$/.exec(value);
      if (!m || Number(m[1]) < 1 || Number(m[1]) > 12) return 'Invalid expiry date';
      var now = new Date();
      var year = 2000 + Number(m[2]);
      var month = Number(m[1]);
      var current = now.getFullYear() * 12 + now.getMonth() + 1;
      return year * 12 + month < current ? 'Card has expired' : undefined;
    }
    if (field === 'cvv') return /^\\d{3,4}$/.test(value) ? undefined : 'Invalid CVV';
    return undefined;
  }

  function countMatches(selector) {
    try { return document.querySelectorAll(selector).length; } catch (e) { return -1; }
  }

  function checkSelector(name, selector) {
    if (typeof selector !== 'string' || !selector) return name + ' must be a CSS selector';
    var count = countMatches(selector);
    if (count === -1) return name + ' "' + selector + '" is not a valid selector';
    if (count !== 1) return name + ' "' + selector + '" matches ' + count + ' elements; it must match exactly one';
    return undefined;
  }

  function configProblem(config) {
    if (typeof config.sessionToken !== 'string' || !config.sessionToken) return 'sessionToken is required';
    if (config.mode !== 'payment' && config.mode !== 'tokenization') return "mode must be 'payment' or 'tokenization'";
    if (config.locale !== undefined && config.locale !== 'en' && config.locale !== 'fr') return "locale must be 'en' or 'fr'";
    if (config.onPreSubmit !== undefined && typeof config.onPreSubmit !== 'function') return 'onPreSubmit must be a function';
    var fields = config.fields;
    if (!fields || typeof fields !== 'object') return 'fields is required';
    var kinds = Object.keys(fields).filter(function (k) { return k === 'card' || k === 'ach' || k === 'pad'; });
    if (fields.submit) return 'submit must be inside fields.card';
    if (kinds.length !== 1 || Object.keys(fields).length !== 1) return 'fields must have exactly one of card, ach or pad';
    if (kinds[0] !== 'card') return 'This offline stand-in renders card fields only';
    var card = fields.card;
    if (!card || typeof card !== 'object') return 'fields.card must be an object';
    var names = Object.keys(card);
    for (var i = 0; i < names.length; i++) {
      if (CARD_FIELDS.indexOf(names[i]) === -1) return 'Unknown card field "' + names[i] + '"';
    }
    for (var r = 0; r < REQUIRED.length; r++) {
      if (!card[REQUIRED[r]]) return 'fields.card.' + REQUIRED[r] + ' is required';
    }
    for (var j = 0; j < names.length; j++) {
      var name = names[j];
      var field = card[name];
      if (!field || typeof field !== 'object') return 'fields.card.' + name + ' must be an object';
      if ('wrapper' in field) return 'fields.card.' + name + ': use wrapperTarget, not wrapper';
      var problem = checkSelector('fields.card.' + name + '.target', field.target);
      if (problem) return problem;
      if (field.errorTarget !== undefined) {
        problem = checkSelector('fields.card.' + name + '.errorTarget', field.errorTarget);
        if (problem) return problem;
      }
    }
    if (card.cvv) {
      var wrapper = card.cvv.wrapperTarget;
      if (wrapper === undefined) return 'fields.card.cvv.wrapperTarget is required (a selector or false)';
      if (wrapper !== false) {
        var wrapperProblem = checkSelector('fields.card.cvv.wrapperTarget', wrapper);
        if (wrapperProblem) return wrapperProblem;
      }
    }
    return undefined;
  }

  function HostedFields(config) {
    if (!(this instanceof HostedFields)) throw new TypeError('Payroc.hostedFields is a class: call it with new');
    if (!config || typeof config !== 'object') throw new TypeError('Payroc.hostedFields: a config object is required');
    this._config = config;
    this._handlers = {};
    this._id = 'hf' + (++sequence) + '-' + Math.random().toString(36).slice(2);
    this._values = {};
    this._validity = {};
    this._state = 'new';
    this._surcharging = undefined;
    this._onMessage = this._onMessage.bind(this);
  }

  HostedFields.prototype.on = function (event, handler) {
    if (EVENTS.indexOf(event) === -1) {
      throw new TypeError('Payroc.hostedFields: unknown event "' + event + '"; events are ' + EVENTS.join(', '));
    }
    if (typeof handler !== 'function') throw new TypeError('Payroc.hostedFields: handler must be a function');
    (this._handlers[event] = this._handlers[event] || []).push(handler);
  };

  HostedFields.prototype._emit = function (event, payload) {
    var handlers = (this._handlers[event] || []).slice();
    for (var i = 0; i < handlers.length; i++) {
      try {
        handlers[i](payload);
      } catch (error) {
        // A merchant's handler that throws is their bug: report it as uncaught, but keep the library working.
        setTimeout(function () { throw error; }, 0);
      }
    }
  };

  HostedFields.prototype._fail = function (type, message, field) {
    var payload = { type: type, message: message };
    if (field) payload.field = field;
    this._emit('error', payload);
  };

  HostedFields.prototype.initialize = function () {
    var self = this;
    if (self._state !== 'new') {
      self._fail('config', 'initialize() was already called on this instance');
      return Promise.resolve();
    }
    self._state = 'initializing';
    var problem = configProblem(self._config);
    if (problem) {
      self._state = 'failed';
      self._fail('config', problem);
      return Promise.resolve();
    }
    var url = GATEWAY + '/merchant/api/v2/hosted-fields-sessions/' + encodeURIComponent(self._config.sessionToken) +
      '/configuration?libVersion=' + encodeURIComponent(VERSION);
    return fetch(url).then(function (response) {
      return response.json().catch(function () { return undefined; }).then(function (body) {
        if (self._state !== 'initializing') return;
        if (!response.ok) {
          self._state = 'failed';
          self._fail('init', (body && (body.detail || body.title)) || 'Session could not be initialised');
          return;
        }
        // The page may have changed while the gateway answered: the targets must still match exactly one element.
        var missing = configProblem(self._config);
        if (missing) {
          self._state = 'failed';
          self._fail('config', missing);
          return;
        }
        self._surcharging = body && body.surcharging;
        self._render();
        window.addEventListener('message', self._onMessage);
        self._state = 'ready';
      });
    }, function () {
      self._state = 'failed';
      self._fail('init', 'Could not reach the payment gateway');
    });
  };

  HostedFields.prototype._render = function () {
    var card = this._config.fields.card;
    var names = Object.keys(card);
    for (var i = 0; i < names.length; i++) {
      var name = names[i];
      var field = card[name];
      var frame = document.createElement('iframe');
      var query = 'field=' + encodeURIComponent(name) + '&instance=' + encodeURIComponent(this._id);
      if (field.placeholder) query += '&placeholder=' + encodeURIComponent(field.placeholder);
      if (name === 'submit' && field.value) query += '&value=' + encodeURIComponent(field.value);
      frame.src = GATEWAY + '/merchant/hosted-fields/field?' + query;
      frame.title = name === 'submit' ? 'Submit payment' : 'Secure card field: ' + name;
      frame.setAttribute('data-payroc-field', name);
      frame.style.border = '0';
      frame.style.width = '100%';
      frame.style.height = name === 'submit' ? '44px' : '40px';
      document.querySelector(field.target).appendChild(frame);
    }
  };

  HostedFields.prototype._onMessage = function (event) {
    var data = event.data;
    if (event.origin !== GATEWAY || !data || data.source !== 'payroc-emulator' || data.instance !== this._id) return;
    if (data.type === 'input') this._input(data.field, data.value);
    else if (data.type === 'submit') this._submit();
  };

  HostedFields.prototype._showError = function (field, message) {
    var config = this._config.fields.card[field];
    var target = config && config.errorTarget && document.querySelector(config.errorTarget);
    if (target) target.textContent = message || '';
  };

  HostedFields.prototype._input = function (field, value) {
    if (CARD_FIELDS.indexOf(field) === -1 || field === 'submit') return;
    this._values[field] = value;
    var error = validateField(field, value);
    if (this._validity[field] !== (error || 'valid')) {
      this._validity[field] = error || 'valid';
      var change = { field: field };
      if (error) change.validationError = error;
      this._showError(field, error);
      this._emit('fieldValidityChange', change);
    }
    if (field === 'cardNumber' && !error && !this._surchargeAnnounced) {
      this._surchargeAnnounced = true;
      if (this._surcharging) this._emit('surchargingAllowed', this._surcharging);
      else this._emit('surchargingNotAllowed', undefined);
    }
  };

  HostedFields.prototype._submit = function () {
    var self = this;
    if (self._state !== 'ready') return;
    var pre;
    try {
      pre = self._config.onPreSubmit ? self._config.onPreSubmit() : true;
    } catch (error) {
      pre = Promise.reject(error);
    }
    Promise.resolve(pre).then(function (proceed) {
      if (proceed === false || self._state !== 'ready') return;
      var card = self._config.fields.card;
      var invalid = Object.keys(card).filter(function (name) {
        return name !== 'submit' && validateField(name, self._values[name]);
      });
      if (invalid.length) {
        for (var i = 0; i < invalid.length; i++) {
          var message = validateField(invalid[i], self._values[invalid[i]]);
          self._showError(invalid[i], message);
          self._fail('field', message, invalid[i]);
        }
        return;
      }
      self._state = 'submitting';
      var url = GATEWAY + '/merchant/api/v2/hosted-fields-sessions/' +
        encodeURIComponent(self._config.sessionToken) + '/submissions';
      return fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(self._values),
      }).then(function (response) {
        return response.json().catch(function () { return undefined; }).then(function (body) {
          self._state = 'ready';
          if (!response.ok) return self._fail('submission', (body && (body.detail || body.title)) || 'Submission failed');
          self._emit('submissionSuccess', { token: body.token, expiresAt: body.expiresAt });
        });
      }, function () {
        self._state = 'ready';
        self._fail('submission', 'Could not reach the payment gateway');
      });
    }, function (error) {
      // A throwing or rejecting onPreSubmit cancels the submission, reported instead of left unhandled.
      self._fail('submission', 'onPreSubmit failed: ' + ((error && error.message) || String(error)));
    });
  };

  HostedFields.prototype.destroy = function () {
    // Like the real library: only the message listener goes; the iframes stay where they are.
    window.removeEventListener('message', this._onMessage);
    this._state = 'destroyed';
  };

  window.Payroc = window.Payroc || {};
  window.Payroc.hostedFields = HostedFields;
})();
`;
}

/**
 * The page inside each field iframe: an input (or the submit button) that reports to the stand-in in the parent page.
 * @internal
 */
export function fieldPage(params: URLSearchParams): string {
  const field = params.get('field') ?? '';
  const instance = params.get('instance') ?? '';
  const escape = (text: string) =>
    text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  const autocomplete: Record<string, string> = {
    cardholderName: 'cc-name',
    cardNumber: 'cc-number',
    expiryDate: 'cc-exp',
    cvv: 'cc-csc',
  };
  const control =
    field === 'submit'
      ? `<button type="button" id="control">${escape(params.get('value') ?? 'Submit')}</button>`
      : `<input id="control" aria-label="${escape(field)}" autocomplete="${autocomplete[field] ?? 'off'}"` +
        ` placeholder="${escape(params.get('placeholder') ?? '')}"${field === 'cardholderName' ? '' : ' inputmode="numeric"'}>`;
  return `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;font:15px system-ui,sans-serif;background:transparent}
input{box-sizing:border-box;width:100%;height:40px;border:0;padding:0 12px;font:inherit;background:transparent;outline:none;color:#1d2433}
button{box-sizing:border-box;width:100%;height:44px;border:0;border-radius:6px;background:#1f4fbf;color:#fff;font:600 15px system-ui,sans-serif;cursor:pointer}
</style></head><body>${control}<script>
var control = document.getElementById('control');
var message = { source: 'payroc-emulator', instance: ${JSON.stringify(instance)}, field: ${JSON.stringify(field)} };
function send(extra) { parent.postMessage(Object.assign({}, message, extra), '*'); }
if (control.tagName === 'BUTTON') control.addEventListener('click', function () { send({ type: 'submit' }); });
else control.addEventListener('input', function () { send({ type: 'input', value: control.value }); });
</script></body></html>`;
}

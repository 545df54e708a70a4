// carepost portal: passkey sign-in and registration (WebAuthn).
// Served by the adapter at PASSKEY_JS_PATH. No inline script exists (CSP script-src 'self'):
// this file finds buttons marked data-passkey="sign-in" | "register" and reads
//   data-options-url  POST here (JSON {}) -> {"publicKey": {...}} (webauthn-rs challenge)
//   data-finish-url   POST the credential here (JSON) -> {"redirect": "/..."}
//   data-csrf         sent in the x-csrf-token header
// Errors show the element [data-passkey-error] inside the same [data-passkey-box].
(function () {
  "use strict";

  function b64urlToBuf(s) {
    var b64 = String(s).replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out.buffer;
  }

  function bufToB64url(buf) {
    var bytes = new Uint8Array(buf);
    var bin = "";
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function convertCreation(pk) {
    pk.challenge = b64urlToBuf(pk.challenge);
    if (pk.user && pk.user.id) { pk.user.id = b64urlToBuf(pk.user.id); }
    (pk.excludeCredentials || []).forEach(function (c) { c.id = b64urlToBuf(c.id); });
    return pk;
  }

  function convertRequest(pk) {
    pk.challenge = b64urlToBuf(pk.challenge);
    (pk.allowCredentials || []).forEach(function (c) { c.id = b64urlToBuf(c.id); });
    return pk;
  }

  function encodeCredential(cred) {
    var r = cred.response;
    var response = { clientDataJSON: bufToB64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = bufToB64url(r.attestationObject);
      if (typeof r.getTransports === "function") { response.transports = r.getTransports(); }
    } else {
      response.authenticatorData = bufToB64url(r.authenticatorData);
      response.signature = bufToB64url(r.signature);
      response.userHandle = r.userHandle ? bufToB64url(r.userHandle) : null;
    }
    return {
      id: cred.id,
      rawId: bufToB64url(cred.rawId),
      type: cred.type,
      response: response,
      extensions: typeof cred.getClientExtensionResults === "function"
        ? cred.getClientExtensionResults() : {}
    };
  }

  function post(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify(body)
    }).then(function (res) {
      if (!res.ok) { throw new Error("HTTP " + res.status); }
      return res.json();
    });
  }

  // Only follow same-origin paths, never a full URL handed back by a confused server.
  function safeRedirect(target) {
    return typeof target === "string" && target.charAt(0) === "/" &&
      target.charAt(1) !== "/" && target.charAt(1) !== "\\";
  }

  function show(box, selector) {
    var el = box.querySelector(selector);
    if (el) { el.hidden = false; el.focus && el.focus(); }
  }

  function run(button) {
    var box = button.closest("[data-passkey-box]") || document.body;
    var mode = button.getAttribute("data-passkey");
    var csrf = button.getAttribute("data-csrf") || "";
    var optionsUrl = button.getAttribute("data-options-url");
    var finishUrl = button.getAttribute("data-finish-url");
    button.disabled = true;
    post(optionsUrl, csrf, {})
      .then(function (opts) {
        var pk = opts.publicKey || opts;
        if (mode === "register") {
          return navigator.credentials.create({ publicKey: convertCreation(pk) });
        }
        var req = { publicKey: convertRequest(pk) };
        if (opts.mediation) { req.mediation = opts.mediation; }
        return navigator.credentials.get(req);
      })
      .then(function (cred) {
        if (!cred) { throw new Error("no credential"); }
        return post(finishUrl, csrf, encodeCredential(cred));
      })
      .then(function (result) {
        if (result && safeRedirect(result.redirect)) {
          window.location.assign(result.redirect);
        } else {
          show(box, "[data-passkey-done]");
          button.hidden = true;
        }
      })
      .catch(function () {
        button.disabled = false;
        show(box, "[data-passkey-error]");
      });
  }

  // The passkey box is hidden in the HTML: people without JavaScript or without passkey
  // support never see a button that cannot work; the code by e-mail is always there.
  function init() {
    var supported = !!(window.PublicKeyCredential && navigator.credentials && window.fetch);
    if (!supported) { return; }
    var buttons = document.querySelectorAll("button[data-passkey]");
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      var box = b.closest("[data-passkey-box]");
      if (box) { box.hidden = false; }
      b.addEventListener("click", function (ev) { ev.preventDefault(); run(ev.currentTarget); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* relaydesk customer chat: where the conversation is kept, and what the page tells about itself.
 * Loaded before chat-app.js; ``relaydeskSession(workspace, embedded)`` gives the chat its
 * ``saved()`` (a promise of {id, token} or null), ``save(id, token)``, ``forget()``,
 * ``pageContext()`` and ``tellHost(message)`` (to the page embedding the widget). */
window.relaydeskSession = function (workspace, embedded) {
  "use strict";

  var storageKey = "relaydesk.conversation." + workspace;

  /* Where the conversation's id and token are kept. On /chat: this page's localStorage. In the
   * widget's frame: the embedding page's, through postMessage (a frame from another site may not
   * be allowed storage of its own, and its own would be shared by every site embedding it). */
  function hostOrigin() {
    try {
      var told = new URL(pageContext().page_url);
      return /^https?:$/.test(told.protocol) ? told.origin : "*";
    } catch (e) { return "*"; }
  }

  function tellHost(message) {
    window.parent.postMessage(message, hostOrigin());
  }

  function save(id, token) {
    if (embedded) { tellHost({ type: "relaydesk:save", id: id, token: token }); return; }
    try { localStorage.setItem(storageKey, JSON.stringify({ id: id, token: token })); } catch (e) { /* private mode */ }
  }

  function forget() {
    if (embedded) { tellHost({ type: "relaydesk:forget" }); return; }
    try { localStorage.removeItem(storageKey); } catch (e) { /* private mode */ }
  }

  function valid(value) {
    return value && typeof value.id === "string" && typeof value.token === "string" ? value : null;
  }

  function saved() {
    if (embedded) {
      return new Promise(function (resolve) {
        var done = false;
        function finish(value) {
          if (done) return;
          done = true;
          window.removeEventListener("message", listen);
          resolve(valid(value));
        }
        function listen(event) {
          if (event.source === window.parent && event.data && event.data.type === "relaydesk:session") {
            finish(event.data.conversation);
          }
        }
        window.addEventListener("message", listen);
        tellHost({ type: "relaydesk:ready" });
        setTimeout(function () { finish(null); }, 2000);
      });
    }
    try {
      return Promise.resolve(valid(JSON.parse(localStorage.getItem(storageKey) || "null")));
    } catch (e) { return Promise.resolve(null); }
  }

  function pageContext() {
    var context = { page_url: window.location.href.slice(0, 2000), page_title: document.title.slice(0, 300) };
    if (embedded && window.location.hash.length > 1) {
      try {
        var told = JSON.parse(decodeURIComponent(window.location.hash.slice(1)));
        if (told && typeof told === "object") {
          if (typeof told.page_url === "string") context.page_url = told.page_url.slice(0, 2000);
          if (typeof told.page_title === "string") context.page_title = told.page_title.slice(0, 300);
          if (told.attributes && typeof told.attributes === "object") context.attributes = told.attributes;
          if (typeof told.signature === "string") context.signature = told.signature;
        }
      } catch (e) { /* a malformed hash: the frame's own page is context enough */ }
    }
    return context;
  }

  /** Who the embedding site says the customer is (its signed id), or null: text fields only. */
  function customer() {
    if (!embedded || window.location.hash.length < 2) return null;
    try {
      var told = JSON.parse(decodeURIComponent(window.location.hash.slice(1))).customer;
      if (!told || typeof told !== "object" || typeof told.external_id !== "string") return null;
      var claim = { external_id: told.external_id.slice(0, 200), signature: String(told.signature || "").slice(0, 128) };
      if (typeof told.name === "string") claim.name = told.name.slice(0, 200);
      if (typeof told.email === "string") claim.email = told.email.slice(0, 320);
      return claim;
    } catch (e) { return null; }
  }

  return {
    saved: saved, save: save, forget: forget, pageContext: pageContext, customer: customer, tellHost: tellHost
  };
};

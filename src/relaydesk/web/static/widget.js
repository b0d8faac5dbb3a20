/* relaydesk chat widget. Embed it in any page with one tag:
 *
 *   <script src="https://support.example.com/widget.js" data-workspace="acme"
 *           data-attributes='{"plan": "pro", "page": "billing"}'></script>
 *
 * For a signed-in customer, the site's server adds who they are, signed with the workspace's key
 * (``relaydesk workspace signing-key acme``; hex HMAC-SHA256 of the id), so the chat is attached
 * to their record and earlier conversations:
 *
 *   data-customer-id="cust-42" data-customer-signature="9f2c..." data-customer-name="Amira"
 *
 * It adds a launcher button and opens the chat (the /chat page of the server the script came
 * from) in a frame, so the chat talks only to its own server: no CORS set-up, and neither page's
 * styles or scripts reach the other. The page's address, title and data-attributes (flat text
 * values) go along as the conversation's page context; the server stores them as unverified. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.relaydeskWidget) return;
  var origin = new URL(script.src, window.location.href).origin;
  var workspace = script.getAttribute("data-workspace") || "";
  var label = script.getAttribute("data-label") || "Chat with us";
  var PREFIX = "relaydesk-widget";

  function attributes() {
    var raw = script.getAttribute("data-attributes");
    if (!raw) return undefined;
    try {
      var parsed = JSON.parse(raw);
      var flat = {};
      Object.keys(parsed || {}).forEach(function (key) {
        var value = parsed[key];
        if (typeof value === "string") flat[key] = value;
        else if (typeof value === "number" || typeof value === "boolean") flat[key] = String(value);
      });
      return flat;
    } catch (e) {
      if (window.console) window.console.warn("relaydesk widget: data-attributes is not JSON; left out");
      return undefined;
    }
  }

  var style = document.createElement("style");
  style.textContent = [
    "#" + PREFIX + "-launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;",
    "display:inline-flex;align-items:center;gap:8px;padding:12px 20px;border:0;border-radius:999px;",
    "background:#1f4fd1;color:#fff;font:600 16px/1.2 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;",
    "box-shadow:0 4px 16px rgba(0,0,0,.25);cursor:pointer}",
    "#" + PREFIX + "-launcher:hover{background:#173ba0}",
    "#" + PREFIX + "-launcher:focus-visible{outline:3px solid #b45309;outline-offset:3px}",
    "#" + PREFIX + "-launcher svg{width:20px;height:20px;fill:currentColor}",
    "#" + PREFIX + "-frame{position:fixed;right:20px;bottom:84px;z-index:2147483000;width:400px;",
    "height:min(640px,calc(100vh - 110px));border:1px solid #d5d9e2;border-radius:14px;background:#fff;",
    "box-shadow:0 12px 40px rgba(0,0,0,.25)}",
    "#" + PREFIX + "-frame[hidden]{display:none}",
    "@media (max-width:480px){#" + PREFIX + "-frame{right:0;bottom:0;width:100vw;height:100%;",
    "border-radius:0;border:0}#" + PREFIX + "-frame:not([hidden])~#" + PREFIX + "-launcher{display:none}}"
  ].join("");
  document.head.appendChild(style);

  var frame = null;
  var frameReady = false; // the chat inside has said "relaydesk:ready": it can be told things now
  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.id = PREFIX + "-launcher";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", PREFIX + "-frame");
  var icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("aria-hidden", "true");
  var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
  icon.appendChild(path);
  var text = document.createElement("span");
  text.textContent = label;
  launcher.appendChild(icon);
  launcher.appendChild(text);

  function makeFrame() {
    var context = { page_url: window.location.href, page_title: document.title, attributes: attributes() };
    var signature = script.getAttribute("data-signature");
    if (signature) context.signature = signature; // the site's HMAC of the attributes (docs/web.md)
    var customerId = script.getAttribute("data-customer-id");
    if (customerId) {
      // the desk takes the id only with the site's signature of it (docs/api.md, "Customer side")
      context.customer = { external_id: customerId, signature: script.getAttribute("data-customer-signature") || "" };
      var name = script.getAttribute("data-customer-name");
      var email = script.getAttribute("data-customer-email");
      if (name) context.customer.name = name;
      if (email) context.customer.email = email;
    }
    var query = new URLSearchParams({ workspace: workspace, embed: "1" });
    var made = document.createElement("iframe");
    made.id = PREFIX + "-frame";
    made.title = "Chat with us";
    made.hidden = true;
    made.src = origin + "/chat?" + query.toString() + "#" + encodeURIComponent(JSON.stringify(context));
    document.body.insertBefore(made, launcher);
    return made;
  }

  function open() {
    if (!frame) frame = makeFrame();
    frame.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    text.textContent = "Close chat";
    frame.focus();
    // a frame still loading would drop the message (and the browser warns of an origin mismatch);
    // it is told once it says it is ready, below
    if (frameReady) frame.contentWindow.postMessage({ type: "relaydesk:open" }, origin);
  }

  function close() {
    if (!frame) return;
    frame.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    text.textContent = label;
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (frame && !frame.hidden) close();
    else open();
  });

  /* The conversation's id and token live in this page's storage (first-party), handed to the
   * chat frame when it asks; only the frame from the widget's own server is answered. */
  var storageKey = "relaydesk.conversation." + workspace;

  function held() {
    try { return JSON.parse(window.localStorage.getItem(storageKey) || "null"); } catch (e) { return null; }
  }

  window.addEventListener("message", function (event) {
    if (!frame || event.origin !== origin || event.source !== frame.contentWindow || !event.data) return;
    var data = event.data;
    try {
      if (data.type === "relaydesk:ready") {
        frameReady = true;
        frame.contentWindow.postMessage({ type: "relaydesk:session", conversation: held() }, origin);
        if (!frame.hidden) frame.contentWindow.postMessage({ type: "relaydesk:open" }, origin);
      } else if (data.type === "relaydesk:save" && typeof data.id === "string" && typeof data.token === "string") {
        window.localStorage.setItem(storageKey, JSON.stringify({ id: data.id, token: data.token }));
      } else if (data.type === "relaydesk:forget") {
        window.localStorage.removeItem(storageKey);
      } else if (data.type === "relaydesk:close") {
        close();
      }
    } catch (e) { /* storage refused (private mode): the chat still works, without surviving a reload */ }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && frame && !frame.hidden) close();
  });

  function mount() { document.body.appendChild(launcher); }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  window.relaydeskWidget = { open: open, close: close, get frame() { return frame; } };
})();

/* relaydesk customer chat: /chat?workspace=SLUG, full page or inside the widget's frame (&embed=1).
 *
 * Starts a conversation on the first message and keeps its id and token in localStorage, so a
 * reload continues it (history from the API). Follows the conversation's WebSocket; when the socket
 * drops it reconnects with backoff, asking only for messages after the last position it holds, and
 * keeps messages by id, so none is lost or shown twice. Every text from the server is set with
 * textContent. No framework, no build step. */
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);
  var workspace = (params.get("workspace") || "").trim();
  var embedded = params.get("embed") === "1";
  var session = window.relaydeskSession(workspace, embedded);
  var MAX_BACKOFF_MS = 10000;

  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    log: $("rd-log"), form: $("rd-form"), input: $("rd-input"), send: $("rd-send"),
    typing: $("rd-typing"), typingText: $("rd-typing-text"), quick: $("rd-quick"),
    notice: $("rd-notice"), noticeTitle: $("rd-notice-title"), noticeText: $("rd-notice-text"),
    connection: $("rd-connection"), error: $("rd-error"), close: $("rd-close"),
    csat: $("rd-csat"), csatSend: $("rd-csat-send"), csatComment: $("rd-csat-comment"),
    csatDone: $("rd-csat-done"), ended: $("rd-ended"), startNew: $("rd-new")
  };

  var state = {
    id: null, token: null, conversation: null,
    messages: new Map(),   // message id -> {message, node}
    seqs: new Set(),       // positions held
    lastSeq: 0,            // every position up to this one is held
    pending: [],           // customer messages not yet seen stored: {key, text, node, sentOn, id}
    socket: null, attempt: 0, timer: null,
    awaitingReply: false,
    agents: {},            // agent id -> name, from "joined" notices
    starting: null
  };

  // -- small helpers --------------------------------------------------------------------------
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return "web-" + window.crypto.randomUUID();
    return "web-" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function showError(text) {
    ui.error.textContent = text || "";
    ui.error.hidden = !text;
  }

  function setConnection(kind, text) {
    ui.connection.dataset.state = kind;
    ui.connection.textContent = text;
  }

  function api(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (state.token) headers["X-Conversation-Token"] = state.token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(path, {
      method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  function problemText(result, fallback) {
    var d = result && result.data;
    return (d && (d.detail || d.title)) || fallback;
  }

  var csat = window.relaydeskCsat(ui, {
    api: api, problemText: problemText, showError: showError,
    conversationId: function () { return state.id; }
  });
  var queuePlace = window.relaydeskPlace({
    api: api, messages: function () { return state.messages; },
    conversationId: function () { return state.id; },
    onConversation: function (data) { updateConversation(data); refresh(); }
  });

  // -- rendering --------------------------------------------------------------------------------
  var ROLE_KEYS = { customer: "you", ai: "ai", system: "system" };
  var i18n = window.relaydeskI18n;
  var shownLanguage = null;

  /** The conversation's language (the server reads it from what the customer writes), else the
   *  browser's; the page's own words are rewritten when it changes. */
  function language() {
    return i18n.pick((state.conversation && state.conversation.language) || navigator.language || "en");
  }

  function t(key, values) { return i18n.t(language(), key, values); }

  function applyLanguage() {
    var code = language();
    if (code === shownLanguage) return;
    shownLanguage = i18n.apply(code);
    state.messages.forEach(function (entry) {  // the labels of messages already shown
      var label = entry.node && entry.node.querySelector(".rd-label");
      if (label) label.textContent = labelFor(entry.message);
    });
  }

  function labelFor(message) {
    if (message.role === "agent") {
      var name = state.agents[message.author_id];
      return name ? name + " · " + t("team") : t("team");
    }
    return ROLE_KEYS[message.role] ? t(ROLE_KEYS[message.role]) : message.role;
  }

  function timeText(iso) {
    var at = iso ? new Date(iso) : new Date();
    return isNaN(at.getTime()) ? "" : at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function bubble(role, label, text, iso) {
    var node = document.createElement("div");
    node.className = "rd-msg rd-msg--" + role;
    var labelNode = document.createElement("span");
    labelNode.className = "rd-label";
    labelNode.textContent = label;
    var textNode = document.createElement("p");
    textNode.className = "rd-text";
    if (role === "customer") textNode.textContent = text;
    else linkify(textNode, text);  // the help-center links an answer cites open in a new tab
    var timeNode = document.createElement("time");
    if (iso) timeNode.dateTime = iso;
    timeNode.textContent = timeText(iso);
    node.appendChild(labelNode);
    node.appendChild(textNode);
    node.appendChild(timeNode);
    return node;
  }

  /** ``text`` into ``node`` as text, with each http(s) URL a link (never HTML from the text). */
  function linkify(node, text) {
    var pattern = /https?:\/\/[^\s<>"')]+/g;
    var last = 0, match;
    while ((match = pattern.exec(text)) !== null) {
      var url = match[0].replace(/[.,;:!?]+$/, "");
      node.appendChild(document.createTextNode(text.slice(last, match.index)));
      var link = document.createElement("a");
      link.href = url;
      link.textContent = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      node.appendChild(link);
      last = match.index + url.length;
    }
    node.appendChild(document.createTextNode(text.slice(last)));
  }

  function place(node, seq) {
    node.dataset.seq = String(seq);
    var children = ui.log.querySelectorAll(".rd-msg[data-seq]");
    for (var i = 0; i < children.length; i++) {
      if (children[i] !== node && Number(children[i].dataset.seq) > seq) {
        ui.log.insertBefore(node, children[i]);
        return;
      }
    }
    var firstPending = ui.log.querySelector(".rd-msg--pending");
    if (firstPending && firstPending !== node) ui.log.insertBefore(node, firstPending);
    else ui.log.appendChild(node);
  }

  function holdSeq(seq) {
    state.seqs.add(seq);
    while (state.seqs.has(state.lastSeq + 1)) state.lastSeq += 1;
  }

  function takePendingFor(message) {
    for (var i = 0; i < state.pending.length; i++) {
      var p = state.pending[i];
      if (p.id === message.id || (!p.id && p.text === message.text)) {
        state.pending.splice(i, 1);
        return p;
      }
    }
    return null;
  }

  /* Add one stored message unless it is already shown; true when it was new. */
  function addMessage(message) {
    if (!message || typeof message.id !== "string" || state.messages.has(message.id)) return false;
    if (message.role === "system" && message.metadata && message.metadata.event === "assigned") {
      state.agents[message.metadata.agent_id] = message.metadata.agent_name;
    }
    var node = bubble(message.role, labelFor(message), message.text, message.created_at);
    var pending = message.role === "customer" ? takePendingFor(message) : null;
    if (pending) {
      ui.log.replaceChild(node, pending.node);
    }
    node.dataset.id = message.id;
    place(node, message.seq);
    state.messages.set(message.id, { message: message, node: node });
    holdSeq(message.seq);
    if (message.role !== "customer" && state.awaitingReply) state.awaitingReply = false;
    return true;
  }

  function lastMessage() {
    var last = null;
    state.messages.forEach(function (entry) {
      if (!last || entry.message.seq > last.seq) last = entry.message;
    });
    return last;
  }

  function showAgentTyping(name) {
    // the agent's console says they are writing: shown for a few seconds, renewed while they type
    state.agentTyping = { name: String(name || "Your agent"), until: Date.now() + 6000 };
    refresh();
    setTimeout(refresh, 6100);
  }

  function refresh() {
    applyLanguage();
    var status = state.conversation ? state.conversation.status : null;
    var resolved = status === "resolved";
    var live = state.socket && state.socket.readyState === WebSocket.OPEN;
    var agentTyping = state.agentTyping && state.agentTyping.until > Date.now() ? state.agentTyping : null;
    ui.typing.hidden = resolved || !live || !(agentTyping || state.awaitingReply || state.pending.some(function (p) { return p.sentOn; }));
    ui.typingText.textContent = agentTyping
      ? t("typingAgent", { name: agentTyping.name })
      : status === "assigned" || status === "waiting_on_customer" ? t("waitingReply") : t("typingAi");
    renderQuickReplies(resolved);
    renderNotice(status);
    var abandoned = resolved && state.conversation.resolution === "abandoned";
    // a closed conversation opens again when the customer writes in it (within a week; after
    // that the server refuses and says to start a new one)
    ui.form.hidden = false;
    ui.ended.hidden = !resolved;
    if (resolved && !abandoned) csat.show();
    else csat.hide();
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function renderQuickReplies(resolved) {
    var last = lastMessage();
    var choices = [];
    if (!resolved && last && last.role === "ai" && state.pending.length === 0) {
      var meta = last.metadata || {};
      if (meta.escalation_offer) choices = [t("offerYes"), t("offerNo")];
      else if (meta.asks === "confirm") choices = [t("confirmYes"), t("confirmNo")];
    }
    while (ui.quick.firstChild) ui.quick.removeChild(ui.quick.firstChild);
    choices.forEach(function (text) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = text;
      button.addEventListener("click", function () { sendText(text); });
      ui.quick.appendChild(button);
    });
    ui.quick.hidden = choices.length === 0;
  }

  function renderNotice(status) {
    var title = "", text = "", kind = status === "waiting_on_customer" ? "assigned" : status || "";
    if (status === "queued") {
      var position = queuePlace.position();
      var minutes = queuePlace.minutesLeft();
      title = t("queuedTitle");
      text = position > 1 ? t("position", { n: position }) : position ? t("next") : t("inLine");
      text += " " + (minutes ? (minutes === 1 ? t("waitOne") : t("wait", { n: minutes })) : t("soon"));
    } else if ((status === "assigned" || status === "waiting_on_customer") && state.conversation.assigned_agent_id) {
      var name = state.agents[state.conversation.assigned_agent_id] || state.conversation.agent_name;
      title = t("withYou", { name: name || t("someone") });
      text = t("person");
    } else if (status === "resolved") {
      var paused = state.conversation.resolution === "abandoned";
      title = t(paused ? "pausedTitle" : "closedTitle");
      text = t(paused ? "paused" : "closed");
    }
    ui.notice.hidden = !title;
    ui.notice.dataset.kind = kind;
    ui.noticeTitle.textContent = title;
    ui.noticeText.textContent = text;
  }

  // -- the stream ---------------------------------------------------------------------------------
  function socketUrl() {
    var base = window.location.origin.replace(/^http/, "ws");
    // the token goes in the first frame (onopen), never in the URL: URLs end up in logs
    return base + "/v1/conversations/" + encodeURIComponent(state.id) + "/stream?after=" + state.lastSeq;
  }

  function connect() {
    clearTimeout(state.timer);
    state.timer = null;
    if (!state.id || state.socket) return;
    var socket = new WebSocket(socketUrl());
    state.socket = socket;
    setConnection(state.attempt ? "reconnecting" : "connecting", state.attempt ? t("reconnecting") : t("connecting"));
    socket.onopen = function () { socket.send(JSON.stringify({ type: "auth", token: state.token })); };
    socket.onmessage = function (event) {
      if (state.socket !== socket) return;
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      onFrame(socket, frame);
    };
    socket.onclose = function (event) {
      if (state.socket !== socket) return;
      state.socket = null;
      state.pending.forEach(function (p) { if (p.sentOn === socket) p.sentOn = null; });
      if (event.code === 4401 || event.code === 4403 || event.code === 4404) {
        session.forget();
        setConnection("offline", t("gone"));
        refresh();
        return;
      }
      scheduleReconnect();
      refresh();
    };
  }

  function scheduleReconnect() {
    if (state.timer || !state.id) return;
    state.attempt += 1;
    var delay = Math.min(MAX_BACKOFF_MS, 500 * Math.pow(2, state.attempt - 1));
    delay = Math.round(delay * (0.8 + Math.random() * 0.4));
    setConnection("reconnecting", t("lost"));
    state.timer = setTimeout(connect, delay);
  }

  function onFrame(socket, frame) {
    if (frame.type === "snapshot") {
      state.attempt = 0;
      setConnection("online", t("connected"));
      updateConversation(frame.conversation);
      (frame.messages || []).forEach(addMessage);
      flushPending();
    } else if (frame.type === "event") {
      if (frame.event === "message.created") {
        state.agentTyping = null;
        var meta = frame.data && frame.data.metadata;
        if (addMessage(frame.data) && meta && typeof meta.position === "number") queuePlace.told(meta.position);
      }
      else if (frame.event === "agent.typing") showAgentTyping(frame.data && frame.data.agent_name);
      else if (String(frame.event).indexOf("conversation.") === 0) updateConversation(frame.data);
    } else if (frame.type === "ack") {
      onAck(frame);
    } else if (frame.type === "error") {
      onRefused(socket, frame);
    }
    refresh();
  }

  function updateConversation(data) {
    if (!data || data.id !== state.id) return;
    var before = state.conversation ? state.conversation.status : null;
    state.conversation = Object.assign({}, state.conversation || {}, data);
    queuePlace.update(data, state.conversation.status);
    if (data.agent_name && data.assigned_agent_id) state.agents[data.assigned_agent_id] = data.agent_name;
    if (before !== "resolved" && data.status === "resolved") csat.reset();
  }

  function onAck(frame) {
    for (var i = 0; i < state.pending.length; i++) {
      var p = state.pending[i];
      if (p.key === frame.idempotency_key) {
        if (state.messages.has(frame.message_id)) {
          state.pending.splice(i, 1);
          if (p.node.parentNode) p.node.parentNode.removeChild(p.node);
        } else {
          p.id = frame.message_id;
          p.sentOn = null;
        }
        break;
      }
    }
    if (!frame.answer_pending) state.awaitingReply = false;
  }

  function onRefused(socket, frame) {
    var inFlight = state.pending.filter(function (p) { return p.sentOn === socket && !p.id; })[0];
    var wait = Number(frame.retry_after_s);
    if (inFlight && (frame.status === 503 || frame.status === 429) && wait > 0 && (inFlight.tries || 0) < 5) {
      // Busy or too fast: nothing was stored, so the same message (same key) goes again later;
      // the customer keeps seeing it as sending instead of having to write it again.
      inFlight.tries = (inFlight.tries || 0) + 1;
      inFlight.sentOn = null;
      setTimeout(flushPending, Math.min(wait, 30) * 1000);
      return;
    }
    if (inFlight) {
      state.pending.splice(state.pending.indexOf(inFlight), 1);
      if (inFlight.node.parentNode) inFlight.node.parentNode.removeChild(inFlight.node);
      if (!ui.input.value) ui.input.value = inFlight.text;
    }
    state.awaitingReply = false;
    showError(frame.detail || frame.title || "The message could not be sent.");
    if (frame.status === 409 && state.id) {
      api("GET", "/v1/conversations/" + encodeURIComponent(state.id)).then(function (result) {
        if (result.ok) { updateConversation(result.data); refresh(); }
      });
    }
  }

  function flushPending() {
    var socket = state.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    state.pending.forEach(function (p) {
      if (p.sentOn || p.id) return;
      socket.send(JSON.stringify({ type: "message", text: p.text, idempotency_key: p.key }));
      p.sentOn = socket;
    });
  }

  // -- starting and sending -------------------------------------------------------------------
  function start() {
    if (state.starting) return state.starting;
    var body = { workspace: workspace, channel: "web", page_context: session.pageContext() };
    var customer = session.customer();
    if (customer) body.customer = customer;  // the site's signed id: the chat joins their record
    state.starting = api("POST", "/v1/conversations", body).then(function (result) {
      if (!result.ok && result.status === 422 && /page_context/.test(problemText(result, ""))) {
        delete body.page_context;  // the site's context is refused: chat without it
        return api("POST", "/v1/conversations", body);
      }
      if (!result.ok && result.status === 403 && body.customer) {
        // the site's signature of its customer is refused (a stale or wrong key): chat anyway,
        // as an anonymous customer, and tell the site's developer in the console
        if (window.console) window.console.warn("relaydesk: customer id refused: " + problemText(result, ""));
        delete body.customer;
        return api("POST", "/v1/conversations", body);
      }
      return result;
    }).then(function (result) {
      state.starting = null;
      if (!result.ok) throw new Error(problemText(result, "The chat could not start."));
      state.id = result.data.conversation.id;
      state.token = result.data.token;
      state.conversation = result.data.conversation;
      session.save(state.id, state.token);
      connect();
    }, function (error) {
      state.starting = null;
      throw error;
    });
    return state.starting;
  }

  function sendText(text) {
    text = text.trim();
    if (!text) return;
    showError("");
    var pending = { key: newKey(), text: text, node: bubble("customer", t("you"), text, null), sentOn: null, id: null };
    pending.node.classList.add("rd-msg--pending");
    ui.log.appendChild(pending.node);
    state.pending.push(pending);
    state.awaitingReply = true;
    refresh();
    var ready = state.id ? Promise.resolve() : start();
    ready.then(flushPending, function (error) {
      state.pending.splice(state.pending.indexOf(pending), 1);
      if (pending.node.parentNode) pending.node.parentNode.removeChild(pending.node);
      state.awaitingReply = false;
      ui.input.value = ui.input.value || text;
      showError(error.message || "The chat could not start. Please try again.");
      refresh();
    });
  }

  ui.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = ui.input.value;
    if (!text.trim()) { ui.input.focus(); return; }
    ui.input.value = "";
    sendText(text);
    ui.input.focus();
  });

  ui.input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.form.requestSubmit();
    }
  });

  ui.startNew.addEventListener("click", function () {
    session.forget();
    window.location.reload();
  });

  window.addEventListener("online", function () {
    if (state.id && !state.socket) connect();
  });

  // -- inside the widget's frame ------------------------------------------------------------
  if (embedded) {
    document.documentElement.classList.add("rd-embedded");
    ui.close.hidden = false;
    ui.close.addEventListener("click", function () {
      session.tellHost({ type: "relaydesk:close" });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") session.tellHost({ type: "relaydesk:close" });
    });
    window.addEventListener("message", function (event) {
      if (event.source === window.parent && event.data && event.data.type === "relaydesk:open") ui.input.focus();
    });
  }

  // For tests and for people debugging a site: the live socket and what is held.
  window.relaydeskChat = {
    get socket() { return state.socket; },
    get conversationId() { return state.id; },
    get lastSeq() { return state.lastSeq; }
  };

  // -- on load ------------------------------------------------------------------------------------
  if (!workspace) {
    // Opened without ?workspace=: ask which one (the demo's is "northwind").
    setConnection("idle", "Choose the workspace to chat with.");
    showError("This chat needs a workspace: type its name below, or open /chat?workspace=NAME.");
    ui.input.id = "rd-workspace";
    ui.input.rows = 1;
    ui.input.placeholder = "for example: northwind";
    ui.form.querySelector("label").htmlFor = "rd-workspace";
    ui.form.querySelector("label").textContent = "Workspace";
    ui.form.querySelector("label").classList.remove("rd-visually-hidden");
    ui.send.textContent = "Open chat";
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      event.stopImmediatePropagation();
      var chosen = ui.input.value.trim();
      if (chosen) window.location.search = "?" + new URLSearchParams({ workspace: chosen }).toString();
    }, true);
    return;
  }
  applyLanguage();  // the browser's language until the customer writes
  if (document.documentElement.dataset.workspace === "unknown") {
    // the server found no such workspace when it served the page: say so now, not after a message
    setConnection("idle", t("unavailable"));
    showError(t("unknownWorkspace", { name: workspace }));
    ui.input.disabled = true;
    ui.send.disabled = true;
    return;
  }
  setConnection("connecting", t("loading"));
  session.saved().then(function (held) {
    if (embedded) ui.input.focus();  // the frame is made when the customer opens the chat
    if (!held) {
      setConnection("idle", t("idle"));
      return;
    }
    state.id = held.id;
    state.token = held.token;
    setConnection("connecting", t("loadingConversation"));
    var base = "/v1/conversations/" + encodeURIComponent(held.id);
    return Promise.all([api("GET", base), api("GET", base + "/messages")]).then(function (results) {
      if (!results[0].ok || !results[1].ok) {
        var status = results[0].ok ? results[1].status : results[0].status;
        if (status === 401 || status === 403 || status === 404) {
          session.forget();
          state.id = state.token = null;
          setConnection("idle", t("idle"));
          return;
        }
      } else {
        updateConversation(results[0].data);
        results[1].data.forEach(addMessage);
        refresh();
      }
      connect();
    }, function () { scheduleReconnect(); });
  });
})();

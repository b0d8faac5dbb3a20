/* relaydesk agent console: plain JavaScript over the agent API and the agent stream.
   Everything that came from a person or the server is shown with textContent, never as HTML. */
(() => {
  "use strict";

  const KEY_STORE = "relaydesk.agentKey";
  const POLL_MS = 10000;
  const $ = (id) => document.getElementById(id);

  const state = {
    key: null,
    me: null,
    mine: [],
    queue: [],
    approvals: [],
    colleagues: [],
    currentId: null,
    conversation: null,
    messages: [],
    notes: [],
    briefs: new Map(),
    selected: -1,
    socket: null,
    pollTimer: null,
    refreshTimer: null,
    reconnectDelay: 1000,
    signedIn: false,
  };

  // -- small helpers --------------------------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = String(value);
      else if (name === "className") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (name === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function notify(text, kind) {
    const notice = $("notice");
    notice.textContent = text || "";
    notice.className = "notice" + (kind ? " " + kind : "");
  }

  function ago(seconds) {
    if (seconds === null || seconds === undefined) return "";
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min";
    return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  }

  function clock(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function dueText(iso) {
    if (!iso) return "";
    const left = (new Date(iso).getTime() - Date.now()) / 1000;
    return left >= 0 ? "due in " + ago(left) : "overdue by " + ago(-left);
  }

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail);
      this.status = status;
      this.detail = detail;
    }
  }

  async function api(method, path, body) {
    const headers = { "X-API-Key": state.key };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      let detail = response.statusText;
      try {
        const problem = await response.json();
        detail = problem.detail
          ? typeof problem.detail === "string"
            ? problem.detail
            : problem.detail.map((d) => d.msg).join("; ")
          : problem.title || detail;
      } catch (_) {
        /* not JSON */
      }
      throw new ApiError(response.status, detail);
    }
    return response.status === 204 ? null : response.json();
  }

  function failed(error, what) {
    const detail = error instanceof ApiError ? error.detail : "the server could not be reached";
    notify((what ? what + ": " : "") + detail, "error");
  }

  // -- sign in ---------------------------------------------------------------------------------------
  async function signIn(key) {
    state.key = key;
    try {
      state.me = await api("GET", "/v1/agent/me");
    } catch (error) {
      state.key = null;
      sessionStorage.removeItem(KEY_STORE);
      $("signin-error").textContent =
        error instanceof ApiError && error.status === 401
          ? "That key matches no agent. Check it and try again."
          : "Could not sign in: " + (error.detail || "the server could not be reached");
      return;
    }
    sessionStorage.setItem(KEY_STORE, key);
    state.signedIn = true;
    $("signin").hidden = true;
    $("app").hidden = false;
    $("signin-error").textContent = "";
    renderMe();
    connect();
    startPolling();
    await Promise.all([refreshLists(), loadApprovals(), loadCanned(), loadColleagues()]);
  }

  function signOut() {
    sessionStorage.removeItem(KEY_STORE);
    state.signedIn = false;
    state.key = null;
    if (state.socket) state.socket.close();
    state.socket = null;
    clearInterval(state.pollTimer);
    location.reload();
  }

  function renderMe() {
    const me = state.me;
    $("me-name").textContent = me.name + " · tier " + me.tier;
    $("presence").value = me.status;
    const open = state.mine.length;
    $("capacity").textContent = "Load " + open + " of " + me.capacity;
  }

  async function setPresence(status) {
    try {
      state.me = await api("PUT", "/v1/agent/me/status", { status });
      renderMe();
      notify("You are " + status + ".");
      refreshLists();
    } catch (error) {
      failed(error, "Could not change presence");
    }
  }

  // -- live updates -----------------------------------------------------------------------------------
  function connect() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const url = proto + "//" + location.host + "/v1/agent/stream?api_key=" + encodeURIComponent(state.key);
    const socket = new WebSocket(url);
    state.socket = socket;
    socket.onopen = () => {
      state.reconnectDelay = 1000;
      $("live").textContent = "Live";
      $("live").className = "live on";
    };
    socket.onmessage = (frame) => {
      let data;
      try {
        data = JSON.parse(frame.data);
      } catch (_) {
        return;
      }
      onFrame(data);
    };
    socket.onclose = () => {
      $("live").textContent = "Reconnecting…";
      $("live").className = "live off";
      if (!state.signedIn || state.socket !== socket) return;
      setTimeout(() => state.signedIn && connect(), state.reconnectDelay);
      state.reconnectDelay = Math.min(state.reconnectDelay * 2, 15000);
    };
  }

  function startPolling() {
    clearInterval(state.pollTimer);
    state.pollTimer = setInterval(() => {
      if (!state.socket || state.socket.readyState !== WebSocket.OPEN) {
        refreshLists();
        loadApprovals();
      }
    }, POLL_MS);
  }

  function onFrame(frame) {
    if (frame.type === "snapshot") {
      scheduleRefresh();
      return;
    }
    if (frame.type !== "event") return;
    const data = frame.data || {};
    if (frame.event === "approval.assigned") {
      loadApprovals();
      notify("A new approval is waiting for you.");
      return;
    }
    if (frame.event === "conversation.assigned" && data.assigned_agent_id === state.me.id) {
      if (frame.brief) state.briefs.set(frame.conversation_id, frame.brief);
      if (frame.conversation_id === state.currentId && frame.brief) renderBrief(frame.brief);
      else if (frame.conversation_id !== state.currentId) {
        const name = frame.brief && frame.brief.customer ? frame.brief.customer.name : null;
        notify("A conversation was assigned to you" + (name ? ": " + name : "") + ". It is in My conversations.");
      }
    }
    if (frame.event === "message.created" && frame.conversation_id === state.currentId) {
      if (!state.messages.some((m) => m.id === data.id)) {
        state.messages.push(data);
        renderTranscript();
        if (data.role === "customer") loadPassages();
      }
    }
    if (frame.event.startsWith("conversation.")) {
      scheduleRefresh();
      if (frame.conversation_id === state.currentId) reloadConversation();
    }
  }

  function scheduleRefresh() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(refreshLists, 150);
  }

  // -- lists ------------------------------------------------------------------------------------------
  async function refreshLists() {
    if (!state.signedIn) return;
    try {
      const [mine, queue] = await Promise.all([
        api("GET", "/v1/agent/conversations"),
        api("GET", "/v1/agent/queue"),
      ]);
      state.mine = mine;
      state.queue = queue;
    } catch (error) {
      failed(error, "Could not load the lists");
      return;
    }
    renderLists();
    renderMe();
  }

  function itemButton(item, where, index) {
    const who = item.customer_name || "Customer";
    const parts = [];
    if (item.waiting_s !== null && item.waiting_s !== undefined) parts.push("waiting " + ago(item.waiting_s));
    if (item.due_at && where === "queue") parts.push(dueText(item.due_at));
    if (where === "mine") parts.push(item.status.replaceAll("_", " "));
    if (item.priority) parts.push("priority " + item.priority);
    const label =
      (where === "queue" ? "Take conversation with " : "Open conversation with ") + who;
    const button = el(
      "button",
      {
        type: "button",
        className: "item" + (item.id === state.currentId ? " current" : ""),
        "aria-label": label,
        "aria-current": item.id === state.currentId ? "true" : null,
        dataset: { id: item.id, where, index: String(index) },
        onclick: () => (where === "queue" ? claim(item.id) : openConversation(item.id)),
      },
      el("span", { className: "who", text: who }),
      el("span", { className: "first", text: item.first_request || item.subject || "(no message yet)" }),
      el("span", { className: "when", text: parts.join(" · ") }),
    );
    return el("li", {}, button);
  }

  function renderLists() {
    const mine = clear($("mine"));
    state.mine.forEach((item, i) => mine.append(itemButton(item, "mine", i)));
    if (!state.mine.length) mine.append(el("li", { className: "muted", text: "Nothing assigned to you." }));
    const queue = clear($("queue"));
    state.queue.forEach((item, i) => queue.append(itemButton(item, "queue", i)));
    if (!state.queue.length) queue.append(el("li", { className: "muted", text: "The queue is empty." }));
    $("mine-count").textContent = "(" + state.mine.length + ")";
    $("queue-count").textContent = "(" + state.queue.length + ")";
  }

  async function claim(id) {
    try {
      await api("POST", "/v1/agent/conversations/" + encodeURIComponent(id) + "/claim");
      notify("You took the conversation.");
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        if (/already own/.test(error.detail)) {
          await openConversation(id);
          return;
        }
        notify(
          /capacity/.test(error.detail)
            ? "You are at capacity: resolve or transfer a conversation first. (" + error.detail + ")"
            : "Someone else already took this conversation. The lists are refreshed. (" + error.detail + ")",
          "error",
        );
        await refreshLists();
        return;
      }
      failed(error, "Could not take the conversation");
      return;
    }
    await refreshLists();
    await openConversation(id);
  }

  async function takeNext() {
    try {
      const conversation = await api("POST", "/v1/agent/next");
      notify("You took the next conversation.");
      await refreshLists();
      await openConversation(conversation.id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) notify("Nothing in the queue that you can take now.");
      else failed(error, "Could not take the next conversation");
    }
  }

  // -- approvals --------------------------------------------------------------------------------------
  async function loadApprovals() {
    if (!state.signedIn) return;
    try {
      state.approvals = await api("GET", "/v1/governance/approvals?mine=true");
    } catch (error) {
      failed(error, "Could not load approvals");
      return;
    }
    renderApprovals();
  }

  function renderApprovals() {
    const list = clear($("approvals"));
    $("approvals-count").textContent = "(" + state.approvals.length + ")";
    if (!state.approvals.length) {
      list.append(el("li", { className: "muted", text: "No approvals waiting for you." }));
      return;
    }
    for (const approval of state.approvals) {
      const noteId = "approval-note-" + approval.id;
      const args = Object.entries(approval.args || {})
        .map(([k, v]) => k + ": " + (typeof v === "string" ? v : JSON.stringify(v)))
        .join(", ");
      const decide = async (verb) => {
        const note = document.getElementById(noteId).value.trim();
        if (verb === "deny" && !note) {
          notify("Give a reason to deny it; the customer is told.", "error");
          document.getElementById(noteId).focus();
          return;
        }
        try {
          const decided = await api("POST", "/v1/governance/approvals/" + encodeURIComponent(approval.id) + "/" + verb, {
            note: note || null,
          });
          notify("Approval " + decided.status + ": " + approval.tool + ".");
        } catch (error) {
          failed(error, "Could not " + verb);
        }
        loadApprovals();
        if (approval.conversation_id === state.currentId) reloadConversation();
      };
      list.append(
        el(
          "li",
          { className: "approval" },
          el("p", { className: "who", text: approval.tool.replaceAll("_", " ") + (approval.amount ? " · $" + approval.amount : "") }),
          el("p", { className: "first", text: args }),
          el("p", { className: "when", text: approval.reason }),
          el("label", { for: noteId, text: "Reason" }),
          el("input", { id: noteId, type: "text", maxlength: "2000" }),
          el(
            "div",
            { className: "row" },
            el("button", { type: "button", className: "primary", onclick: () => decide("approve"), text: "Approve" }),
            el("button", { type: "button", className: "danger", onclick: () => decide("deny"), text: "Deny" }),
            approval.conversation_id
              ? el("button", { type: "button", onclick: () => openConversation(approval.conversation_id), text: "Open conversation" })
              : null,
          ),
        ),
      );
    }
  }

  // -- one conversation -------------------------------------------------------------------------------
  async function openConversation(id) {
    state.currentId = id;
    renderLists();
    $("conv-empty").hidden = true;
    $("conv-body").hidden = false;
    clear($("copilot"));
    clear($("orders")).append(el("p", { className: "muted", text: "Orders show once the customer is verified." }));
    await reloadConversation();
    const brief = state.briefs.get(id);
    if (brief) renderBrief(brief);
    else loadBrief();
    loadPassages();
    loadSimilar();
    $("conversation").focus();
  }

  async function reloadConversation() {
    const id = state.currentId;
    if (!id) return;
    try {
      const [detail, notes] = await Promise.all([
        api("GET", "/v1/agent/conversations/" + encodeURIComponent(id)),
        api("GET", "/v1/agent/conversations/" + encodeURIComponent(id) + "/notes"),
      ]);
      if (id !== state.currentId) return;
      state.conversation = detail.conversation;
      state.messages = detail.messages;
      state.notes = notes;
    } catch (error) {
      failed(error, "Could not open the conversation");
      return;
    }
    renderConversation();
  }

  function renderConversation() {
    const c = state.conversation;
    const item = state.mine.concat(state.queue).find((x) => x.id === c.id);
    const who = (item && item.customer_name) || "Customer";
    $("conv-title").textContent = who + (c.subject ? " — " + c.subject : "");
    const owner = c.assigned_agent_id === state.me.id ? "you" : c.assigned_agent_id ? "another agent" : "nobody";
    $("conv-meta").textContent =
      "Status: " + c.status.replaceAll("_", " ") + " · owned by " + owner + (c.escalation_reason ? " · " + c.escalation_reason : "");
    const mineNow = c.assigned_agent_id === state.me.id && (c.status === "assigned" || c.status === "waiting_on_customer");
    $("claim").hidden = mineNow || c.status === "resolved";
    $("handback").hidden = !mineNow;
    $("reopen").hidden = c.status !== "resolved";
    $("resolve-form").hidden = c.status === "resolved";
    $("transfer-form").closest("details").hidden = !mineNow;
    $("reply-form").hidden = !mineNow;
    renderTranscript();
  }

  function renderTranscript() {
    const list = clear($("transcript"));
    const entries = state.messages
      .map((m) => ({ at: m.created_at, kind: m.role, text: m.text, author: roleName(m) }))
      .concat(state.notes.map((n) => ({ at: n.created_at, kind: "note", text: n.text, author: "Internal note · " + n.agent_name })));
    entries.sort((a, b) => new Date(a.at) - new Date(b.at));
    for (const entry of entries) {
      list.append(
        el(
          "li",
          { className: "msg " + entry.kind },
          el("span", { className: "author", text: entry.author + " · " + clock(entry.at) }),
          el("p", { className: "text", text: entry.text }),
        ),
      );
    }
    list.scrollTop = list.scrollHeight;
  }

  function roleName(m) {
    if (m.role === "customer") return "Customer";
    if (m.role === "ai") return "AI";
    if (m.role === "agent") return m.author_id === state.me.id ? "You" : "Agent";
    return "System";
  }

  async function loadBrief() {
    const id = state.currentId;
    try {
      const brief = await api("GET", "/v1/agent/conversations/" + encodeURIComponent(id) + "/brief");
      state.briefs.set(id, brief);
      if (id === state.currentId) renderBrief(brief);
    } catch (error) {
      failed(error, "Could not load the brief");
    }
  }

  function fieldList(entries) {
    const dl = el("dl", { className: "facts" });
    for (const [name, value] of entries) {
      if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) continue;
      dl.append(el("dt", { text: name }), el("dd", { text: Array.isArray(value) ? value.join(", ") : value }));
    }
    return dl;
  }

  function renderBrief(brief) {
    const box = clear($("brief"));
    const customer = brief.customer || {};
    if (customer.name && $("conv-title").textContent.startsWith("Customer")) {
      $("conv-title").textContent = customer.name + $("conv-title").textContent.slice("Customer".length);
    }
    box.append(el("p", { className: "summary", text: brief.summary }));
    box.append(
      el("h3", { text: "Customer" }),
      fieldList([
        ["Name", customer.name],
        ["Tier", customer.tier],
        ["Language", customer.language],
        ["Email", customer.email],
        ["Earlier conversations", String((brief.past_conversations || []).length)],
      ]),
    );
    const flow = brief.flow || {};
    const intake = brief.intake || {};
    box.append(
      el("h3", { text: "Request" }),
      fieldList([
        ["Topics", brief.topics],
        ["In their words", brief.requests],
        ["Entities", (brief.entities || []).map((e) => e.kind + " " + e.value)],
        ["Escalated because", brief.escalation_reason],
        ["Frustration", brief.frustration && brief.frustration.peak !== undefined ? String(brief.frustration.peak) : null],
      ]),
    );
    const intakeEntries = Object.entries(intake).map(([k, v]) => [k.replaceAll("_", " "), typeof v === "string" ? v : JSON.stringify(v)]);
    if (intakeEntries.length) box.append(el("h3", { text: "Intake" }), fieldList(intakeEntries));
    if (brief.flow) {
      box.append(
        el("h3", { text: "Flow" }),
        fieldList([
          ["Flow", flow.flow],
          ["Step", flow.step],
          ["Waiting for", flow.waiting_for],
          ["Verified customer", flow.verified_customer],
          ["Tool calls", (flow.tool_calls || []).map((t) => (typeof t === "string" ? t : t.tool + " " + (t.status || "")))],
        ]),
      );
    }
    renderSuggestion(brief);
    if (flow.verified_customer) loadOrders(flow.verified_customer);
  }

  // -- co-pilot ----------------------------------------------------------------------------------------
  function copilotSection(id, title) {
    let section = document.getElementById(id);
    if (!section) {
      section = el("section", { id, className: "co" }, el("h3", { text: title }));
      const order = ["co-suggestion", "co-passages", "co-similar"];
      const box = $("copilot");
      const after = order.slice(order.indexOf(id) + 1).map((x) => document.getElementById(x)).find(Boolean);
      box.insertBefore(section, after || null);
    }
    while (section.children.length > 1) section.removeChild(section.lastChild);
    return section;
  }

  function suggestionCard(text, target, ref, label) {
    const rate = async (rating, button) => {
      try {
        await api("POST", "/v1/agent/conversations/" + encodeURIComponent(state.currentId) + "/feedback", {
          target,
          target_ref: ref || null,
          rating,
        });
        button.parentElement.querySelectorAll("button.rate").forEach((b) => b.setAttribute("aria-pressed", "false"));
        button.setAttribute("aria-pressed", "true");
        notify("Thanks — your rating is saved.");
      } catch (error) {
        failed(error, "Could not save the rating");
      }
    };
    const card = el("div", { className: "card" });
    if (label) card.append(el("p", { className: "card-title", text: label }));
    card.append(el("p", { className: "card-text", text }));
    const up = el("button", { type: "button", className: "rate", "aria-pressed": "false", "aria-label": "Helpful: " + (label || target.replaceAll("_", " ")), text: "Helpful" });
    const down = el("button", { type: "button", className: "rate", "aria-pressed": "false", "aria-label": "Not helpful: " + (label || target.replaceAll("_", " ")), text: "Not helpful" });
    up.addEventListener("click", () => rate("up", up));
    down.addEventListener("click", () => rate("down", down));
    card.append(
      el(
        "div",
        { className: "row" },
        el("button", { type: "button", className: "insert", "aria-label": "Insert into reply: " + (label || target.replaceAll("_", " ")), onclick: () => insertReply(text), text: "Insert" }),
        up,
        down,
      ),
    );
    return card;
  }

  function renderSuggestion(brief) {
    const section = copilotSection("co-suggestion", "Suggested reply");
    section.append(suggestionCard(brief.suggested_reply, "suggested_reply", null, null));
  }

  function latestCustomerText() {
    for (let i = state.messages.length - 1; i >= 0; i--) {
      if (state.messages[i].role === "customer") return state.messages[i].text;
    }
    return null;
  }

  async function loadPassages() {
    const id = state.currentId;
    const question = latestCustomerText();
    if (!question) return;
    let result;
    try {
      result = await api("GET", "/v1/knowledge/search?answer=false&limit=3&q=" + encodeURIComponent(question.slice(0, 1900)));
    } catch (error) {
      if (id !== state.currentId) return;
      const section = copilotSection("co-passages", "From the help center");
      section.append(el("p", { className: "muted", text: "No knowledge search: " + (error.detail || "unavailable") }));
      return;
    }
    if (id !== state.currentId) return;
    const section = copilotSection("co-passages", "From the help center");
    const chunks = (result.chunks || []).slice(0, 3);
    if (!chunks.length) section.append(el("p", { className: "muted", text: "No passage matches the latest question." }));
    for (const chunk of chunks) {
      section.append(suggestionCard(chunk.text, "passage", chunk.article_url || chunk.article_title, chunk.article_title));
    }
  }

  async function loadSimilar() {
    const id = state.currentId;
    let cases;
    try {
      cases = await api("GET", "/v1/agent/conversations/" + encodeURIComponent(id) + "/similar?limit=3");
    } catch (error) {
      return;
    }
    if (id !== state.currentId) return;
    const section = copilotSection("co-similar", "Similar resolved cases");
    if (!cases.length) section.append(el("p", { className: "muted", text: "No similar resolved case yet." }));
    for (const c of cases) {
      const text = c.agent_reply || c.resolution_note || c.request;
      const label = (c.subject || c.request || "Case").slice(0, 80) + " · " + Math.round(c.similarity * 100) + "% similar";
      section.append(suggestionCard(text, "similar_case", c.conversation_id, label));
    }
  }

  function insertReply(text) {
    const box = $("reply");
    if ($("reply-form").hidden) {
      notify("Take the conversation to reply.", "error");
      return;
    }
    box.value = box.value ? box.value.replace(/\s*$/, "") + "\n\n" + text : text;
    box.focus();
  }

  // -- actions -----------------------------------------------------------------------------------------
  async function conversationAction(path, body, done) {
    try {
      const result = await api("POST", "/v1/agent/conversations/" + encodeURIComponent(state.currentId) + path, body);
      if (done) notify(done);
      await refreshLists();
      await reloadConversation();
      return result;
    } catch (error) {
      failed(error, "Could not do that");
      return null;
    }
  }

  async function sendReply(event) {
    if (event) event.preventDefault();
    const text = $("reply").value.trim();
    if (!text) {
      notify("Write a reply first.", "error");
      return;
    }
    const sent = await conversationAction("/messages", { text }, "Reply sent.");
    if (sent) $("reply").value = "";
  }

  async function addNote(event) {
    event.preventDefault();
    const text = $("note").value.trim();
    if (!text) {
      notify("Write the note first.", "error");
      return;
    }
    const added = await conversationAction("/notes", { text }, "Internal note added.");
    if (added) $("note").value = "";
  }

  async function resolve(event) {
    event.preventDefault();
    const note = $("resolve-note").value.trim();
    const done = await conversationAction("/resolve", { note: note || null }, "Conversation resolved.");
    if (done) $("resolve-note").value = "";
  }

  async function transfer(event) {
    event.preventDefault();
    const to = $("transfer-to").value;
    const skill = $("transfer-skill").value.trim();
    const body = to ? { to_agent_id: to } : { skill: skill || null };
    const done = await conversationAction("/transfer", body, to ? "Conversation transferred." : "Conversation put back in the queue.");
    if (done) $("transfer-form").closest("details").open = false;
  }

  async function loadCanned() {
    try {
      const replies = await api("GET", "/v1/agent/canned");
      const select = $("canned");
      for (const reply of replies) select.append(el("option", { value: reply.id, text: reply.title, dataset: { text: reply.text } }));
    } catch (error) {
      /* canned replies are optional */
    }
  }

  async function loadColleagues() {
    try {
      state.colleagues = await api("GET", "/v1/agent/colleagues");
    } catch (error) {
      return;
    }
    const select = clear($("transfer-to"));
    select.append(el("option", { value: "", text: "The queue" }));
    for (const agent of state.colleagues) {
      if (agent.id === state.me.id) continue;
      select.append(el("option", { value: agent.id, text: agent.name + " (" + agent.status + ")" }));
    }
  }

  // -- the customer's orders ---------------------------------------------------------------------------
  async function runTool(tool, args, confirmed) {
    return api("POST", "/v1/agent/conversations/" + encodeURIComponent(state.currentId) + "/tools", {
      tool,
      args,
      customer_confirmed: Boolean(confirmed),
    });
  }

  function toolProblem(call) {
    return call.status === "refused" ? "Refused: " + call.reason : call.status === "needs_approval" ? "Held for approval: " + call.reason : null;
  }

  async function lookup(event) {
    event.preventDefault();
    const email = $("lookup-email").value.trim();
    if (!email || !state.currentId) return;
    try {
      const call = await runTool("find_user_id_by_email", { email });
      const problem = toolProblem(call);
      if (problem) {
        notify(problem, "error");
        return;
      }
      await loadOrders(call.result);
    } catch (error) {
      failed(error, "Could not look the customer up");
    }
  }

  async function loadOrders(userId) {
    const box = clear($("orders"));
    const id = state.currentId;
    let user;
    try {
      const call = await runTool("get_user_details", { user_id: userId });
      if (call.status !== "executed") {
        box.append(el("p", { className: "muted", text: toolProblem(call) || "No details." }));
        return;
      }
      user = call.result;
    } catch (error) {
      box.append(el("p", { className: "muted", text: error.detail || "Orders are not available." }));
      return;
    }
    if (id !== state.currentId) return;
    box.append(el("p", { className: "card-title", text: "User " + userId }));
    const list = el("ul", { className: "orders" });
    box.append(list);
    for (const orderId of (user.orders || []).slice(0, 10)) {
      let order;
      try {
        const call = await runTool("get_order_details", { order_id: orderId });
        order = call.result || {};
      } catch (_) {
        continue;
      }
      if (id !== state.currentId) return;
      list.append(orderRow(orderId, order));
    }
  }

  function orderTotal(order) {
    const payments = order.payment_history || [];
    const paid = payments.filter((p) => p.transaction_type === "payment").reduce((s, p) => s + Number(p.amount || 0), 0);
    if (paid) return paid;
    return (order.items || []).reduce((s, i) => s + Number(i.price || 0), 0);
  }

  function orderRow(orderId, order) {
    const total = orderTotal(order);
    const items = (order.items || []).map((i) => i.name).join(", ");
    const li = el(
      "li",
      { className: "order" },
      el("p", { className: "who", text: orderId + " · " + (order.status || "?") + " · $" + total.toFixed(2) }),
      el("p", { className: "first", text: items }),
    );
    if (order.status === "pending") {
      const reasonId = "cancel-reason-" + orderId.replace(/[^A-Za-z0-9]/g, "");
      const confirmId = "cancel-confirm-" + orderId.replace(/[^A-Za-z0-9]/g, "");
      const result = el("p", { className: "tool-result", role: "status" });
      li.append(
        el("label", { for: reasonId, text: "Cancel reason" }),
        el(
          "select",
          { id: reasonId },
          el("option", { value: "no longer needed", text: "No longer needed" }),
          el("option", { value: "ordered by mistake", text: "Ordered by mistake" }),
        ),
        el("label", { className: "check" }, el("input", { type: "checkbox", id: confirmId }), " The customer confirmed"),
        el("button", {
          type: "button",
          className: "danger",
          text: "Cancel order",
          onclick: async () => {
            try {
              const call = await runTool(
                "cancel_pending_order",
                { order_id: orderId, reason: document.getElementById(reasonId).value },
                document.getElementById(confirmId).checked,
              );
              result.textContent =
                call.status === "executed" ? "Cancelled." : toolProblem(call) || call.status;
              result.className = "tool-result " + (call.status === "executed" ? "ok" : "bad");
            } catch (error) {
              result.textContent = "Refused: " + (error.detail || "error");
              result.className = "tool-result bad";
            }
          },
        }),
        result,
      );
    }
    return li;
  }

  // -- keyboard ----------------------------------------------------------------------------------------
  function typing(target) {
    return target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  }

  function moveSelection(step) {
    const buttons = Array.from(document.querySelectorAll("#mine button.item, #queue button.item"));
    if (!buttons.length) return;
    const at = buttons.indexOf(document.activeElement);
    const next = at < 0 ? (step > 0 ? 0 : buttons.length - 1) : Math.min(Math.max(at + step, 0), buttons.length - 1);
    buttons[next].focus();
  }

  function onKey(event) {
    if (!state.signedIn) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.id === "reply") {
      sendReply(event);
      return;
    }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if ($("shortcuts").open) return;
    if (event.key === "j") moveSelection(1);
    else if (event.key === "k") moveSelection(-1);
    else if (event.key === "n") takeNext();
    else if (event.key === "r" && !$("reply-form").hidden) $("reply").focus();
    else if (event.key === "?") $("shortcuts").showModal();
    else return;
    event.preventDefault();
  }

  // -- wiring ------------------------------------------------------------------------------------------
  function init() {
    $("signin-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const key = $("api-key").value.trim();
      if (!key) {
        $("signin-error").textContent = "Enter your agent API key.";
        return;
      }
      signIn(key);
    });
    $("signout").addEventListener("click", signOut);
    $("presence").addEventListener("change", (event) => setPresence(event.target.value));
    $("take-next").addEventListener("click", takeNext);
    $("claim").addEventListener("click", () => claim(state.currentId));
    $("handback").addEventListener("click", () => conversationAction("/handback", { note: null }, "Handed back to the AI."));
    $("reopen").addEventListener("click", () => conversationAction("/reopen", { note: null }, "Conversation reopened; it is yours."));
    $("reply-form").addEventListener("submit", sendReply);
    $("note-form").addEventListener("submit", addNote);
    $("resolve-form").addEventListener("submit", resolve);
    $("transfer-form").addEventListener("submit", transfer);
    $("lookup-form").addEventListener("submit", lookup);
    $("canned").addEventListener("change", (event) => {
      const option = event.target.selectedOptions[0];
      if (option && option.dataset.text) insertReply(option.dataset.text);
      event.target.value = "";
    });
    $("shortcuts-button").addEventListener("click", () => $("shortcuts").showModal());
    document.addEventListener("keydown", onKey);
    const saved = sessionStorage.getItem(KEY_STORE);
    if (saved) signIn(saved);
  }

  init();
})();

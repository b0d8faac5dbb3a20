/* relaydesk agent console: sign in, presence, the live lists, the conversation and its actions,
   approvals, keyboard shortcuts. Plain JavaScript modules over the agent API and stream. */
import {
  $,
  ApiError,
  KEY_STORE,
  LABELS,
  POLL_MS,
  api,
  clear,
  clock,
  el,
  failed,
  notify,
  priorityText,
  state,
} from "./console-core.js";
import { aiReplyRating, insertReply, loadBrief, loadPassages, loadSimilar, lookup, renderBrief } from "./console-panels.js";
import { earlierMessagesRow, loadEarlierOnScroll, mergeLatest } from "./console-history.js";
import { customerName, renderLists as drawLists } from "./console-lists.js";
import { loadApprovals as loadApprovalsOf } from "./console-approvals.js";
import { keyHandler } from "./console-keys.js";
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
  // The key goes in the first frame, never in the URL (URLs end up in logs).
  const socket = new WebSocket(proto + "//" + location.host + "/v1/agent/stream");
  state.socket = socket;
  socket.onopen = () => {
    socket.send(JSON.stringify({ type: "auth", token: state.key }));
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

// The customer sees "<name> is typing…" while the agent writes (at most one signal every 3 s).
let lastTyping = 0;
function tellTyping() {
  const now = Date.now();
  if (!state.currentId || now - lastTyping < 3000 || !$("reply").value.trim()) return;
  lastTyping = now;
  api("POST", "/v1/agent/conversations/" + encodeURIComponent(state.currentId) + "/typing").catch(() => {
    /* only the conversation's own agent is shown typing; nothing to tell otherwise */
  });
}

function startPolling() {
  clearInterval(state.pollTimer);
  clearInterval(state.clockTimer);
  // waits and due times move on even when nothing new arrives on the stream
  state.clockTimer = setInterval(() => {
    if (state.signedIn && !document.hidden) refreshLists();
  }, 30000);
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
      const customer = frame.brief && frame.brief.customer;
      const name = customer ? customer.name || customer.external_id : null;
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
  if (frame.event === "conversation.status" && data.priority_raised) {
    // re-triaged while waiting or with an agent: tell whoever has it, and show the brief anew
    const mine = data.assigned_agent_id === state.me.id || frame.conversation_id === state.currentId;
    if (mine) {
      const raised = data.priority_raised;
      notify(
        "Priority raised to " + LABELS.priority(data.priority) + " (was " + LABELS.priority(raised.from) + "): " + raised.why,
        "warning",
      );
      if (frame.conversation_id === state.currentId) loadBrief();
    }
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
    // the agent too: the server changes their presence (taking work puts them online)
    const [mine, queue, me] = await Promise.all([
      api("GET", "/v1/agent/conversations"),
      api("GET", "/v1/agent/queue"),
      api("GET", "/v1/agent/me"),
    ]);
    state.mine = mine;
    state.queue = queue;
    state.me = me;
  } catch (error) {
    failed(error, "Could not load the lists");
    return;
  }
  renderLists();
  renderMe();
}

function renderLists() {
  drawLists(openConversation);
}

function capacityCount(detail) {
  const count = /\(\d+ of \d+ open conversations\)/.exec(detail || "");
  return count ? " " + count[0] : "";
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
          ? "You are at capacity" + capacityCount(error.detail) + ": resolve or transfer a conversation first."
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
  if (id !== state.currentId) {
    await openConversation(id);
    return;
  }
  // taken from its preview: the same view, now with the owner's actions (and the owner's brief)
  await reloadConversation();
  loadBrief();
  focusConversation();
}

async function takeNext() {
  try {
    const conversation = await api("POST", "/v1/agent/next");
    await refreshLists();
    await openConversation(conversation.id); // opened first: the stream's "assigned" notice is not shown for it
    const theirs = conversation.language, mine = (state.me && state.me.languages) || []; // routing relaxed it?
    notify("You took the next conversation." + (theirs && mine.length && !mine.includes(theirs) ? " The customer writes " + LABELS.language(theirs) + ", not one of your languages: nobody who speaks it was free in time." : ""));
  } catch (error) {
    // the server says why: "2 conversations are waiting, none in a language you speak (German)"
    if (error instanceof ApiError && error.status === 404) notify(error.detail || "Nothing in the queue that you can take now.");
    else failed(error, "Could not take the next conversation");
  }
}

// -- approvals --------------------------------------------------------------------------------------
function loadApprovals() {
  return loadApprovalsOf(openConversation, reloadConversation);
}

// -- one conversation -------------------------------------------------------------------------------
function focusConversation() {
  // Opening or taking a conversation moves the keyboard to it, but never away from someone who has
  // started typing meanwhile (a reply, a note): an open that finished late took their keystrokes.
  const active = document.activeElement;
  if (active && (active.tagName === "TEXTAREA" || active.tagName === "INPUT" || active.isContentEditable)) return;
  $("conversation").focus({ preventScroll: true });
}

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
  focusConversation();
}

let reloads = 0; // the latest reload wins: an older one answering late would undo a claim just made

async function reloadConversation() {
  const id = state.currentId;
  if (!id) return;
  const reload = ++reloads;
  try {
    const [detail, notes] = await Promise.all([
      api("GET", "/v1/agent/conversations/" + encodeURIComponent(id)),
      api("GET", "/v1/agent/conversations/" + encodeURIComponent(id) + "/notes"),
    ]);
    if (id !== state.currentId || reload !== reloads) return;
    state.conversation = detail.conversation;
    state.messages = mergeLatest(id, detail); // the latest page, and the earlier ones already loaded
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
  const brief = state.briefs.get(c.id);
  const known = brief && brief.customer ? { customer_name: brief.customer.name, customer_external_id: brief.customer.external_id } : null;
  const who = customerName(item && (item.customer_name || item.customer_external_id) ? item : known);
  $("conv-title").textContent = who + (c.subject ? " — " + c.subject : "");
  const owner = c.assigned_agent_id === state.me.id ? "you" : c.assigned_agent_id ? "another agent" : "nobody";
  const meta = $("conv-meta");
  meta.textContent =
    "Status: " + c.status.replaceAll("_", " ") + " · owned by " + owner + " · " + priorityText(c.priority) +
    (c.escalation_reason ? " · " + (LABELS.plainReason(c.escalation_reason) || LABELS.reasonText(c.escalation_reason)) : "");
  meta.title = LABELS.priorityHint(c.priority) + (c.escalation_reason ? ". " + c.escalation_reason : "");
  meta.dataset.priority = String(c.priority);
  const mineNow = c.assigned_agent_id === state.me.id && (c.status === "assigned" || c.status === "waiting_on_customer");
  $("claim").hidden = mineNow || c.status === "resolved";
  // a queued conversation opens read-only: read the transcript and the brief, then take it (or not)
  const preview = c.status === "queued" && !mineNow;
  $("conv-preview").hidden = !preview;
  $("claim").classList.toggle("primary", preview);
  $("note-form").hidden = preview;
  $("follow-up-form").closest("section").hidden = preview;
  $("handback").hidden = !mineNow;
  $("reopen").hidden = c.status !== "resolved";
  // an agent resolves what they own; a supervisor or admin may close any conversation (docs/security.md)
  $("resolve-form").hidden = c.status === "resolved" || !(mineNow || state.me.role !== "agent");
  $("transfer-form").closest("details").hidden = !mineNow;
  $("reply-form").hidden = !mineNow;
  renderTranscript();
}

function renderTranscript(options) {
  const list = clear($("transcript"));
  const earlier = earlierMessagesRow(renderTranscript);
  if (earlier) list.append(earlier);
  const entries = state.messages
    .map((m) => ({ at: m.created_at, kind: m.role, text: m.text, author: roleName(m), id: m.id }))
    .concat(state.notes.map((n) => ({ at: n.created_at, kind: "note", text: n.text, author: "Internal note · " + n.agent_name })));
  entries.sort((a, b) => new Date(a.at) - new Date(b.at));
  for (const entry of entries) {
    list.append(
      el(
        "li",
        { className: "msg " + entry.kind },
        el("span", { className: "author", text: entry.author + " · " + clock(entry.at) }),
        el("p", { className: "text", text: entry.text }),
        entry.kind === "ai" ? aiReplyRating(entry.id) : null,
      ),
    );
  }
  if (!(options && options.keepPlace)) list.scrollTop = list.scrollHeight;
}

function roleName(m) {
  if (m.role === "customer") return "Customer";
  if (m.role === "ai") return "AI";
  if (m.role === "agent") return m.author_id === state.me.id ? "You" : "Agent";
  return "System";
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
  const note = $("transfer-note").value.trim() || null;
  const body = to ? { to_agent_id: to, note } : { skill: skill || null, note };
  const done = await conversationAction("/transfer", body, to ? "Conversation transferred." : "Conversation put back in the queue.");
  if (done) {
    $("transfer-form").closest("details").open = false;
    $("transfer-note").value = $("transfer-skill").value = "";
  }
}

function transferTargetChanged() {
  const skill = $("transfer-skill"); // a colleague, or the queue with a skill: not both
  if ((skill.disabled = Boolean($("transfer-to").value))) skill.value = "";
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
  const chosen = $("transfer-to").value; // kept: the list may be read again while one is chosen
  const select = clear($("transfer-to"));
  select.append(el("option", { value: "", text: "The queue" }));
  for (const agent of state.colleagues) {
    if (agent.id !== state.me.id) select.append(el("option", { value: agent.id, text: agent.name + " (" + agent.status + ")" }));
  }
  select.value = chosen && state.colleagues.some((a) => a.id === chosen) ? chosen : "";
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
  loadEarlierOnScroll($("transcript"), renderTranscript);
  $("handback").addEventListener("click", () => conversationAction("/handback", { note: null }, "Handed back to the AI."));
  $("reopen").addEventListener("click", () => conversationAction("/reopen", { note: null }, "Conversation reopened; it is yours."));
  $("reply-form").addEventListener("submit", sendReply);
  $("reply").addEventListener("input", tellTyping);
  $("note-form").addEventListener("submit", addNote);
  $("resolve-form").addEventListener("submit", resolve);
  $("transfer-form").addEventListener("submit", transfer);
  $("transfer-to").addEventListener("change", transferTargetChanged);
  // colleagues' presence changes all day: read it again whenever the form opens
  $("transfer-form").closest("details").addEventListener("toggle", (e) => e.target.open && loadColleagues());
  $("lookup-form").addEventListener("submit", lookup);
  $("canned").addEventListener("change", (event) => {
    const option = event.target.selectedOptions[0];
    if (option && option.dataset.text) insertReply(option.dataset.text);
    event.target.value = "";
  });
  $("shortcuts-button").addEventListener("click", () => $("shortcuts").showModal());
  document.addEventListener(
    "keydown",
    keyHandler({ sendReply, takeNext, claim: () => claim(state.currentId) }),
  );
  const saved = sessionStorage.getItem(KEY_STORE);
  if (saved) signIn(saved);
}

init();

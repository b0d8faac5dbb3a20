/* relaydesk agent console: the panels beside the conversation (brief, co-pilot, the customer's
   orders through the governed agent tools). */
import { $, LABELS, api, clear, el, failed, notify, state } from "./console-core.js";
/** Why it came to a person, in plain words (the rules' labels when no plain words fit). */
function plainReason(reason) {
  return LABELS.plainReason(reason) || LABELS.reasonText(reason);
}

export async function loadBrief() {
  const id = state.currentId;
  try {
    const brief = await api("GET", "/v1/agent/conversations/" + encodeURIComponent(id) + "/brief");
    state.briefs.set(id, brief);
    if (id === state.currentId) renderBrief(brief);
  } catch (error) {
    failed(error, "Could not load the brief");
  }
}

const ENTITY_WORDS = { order_id: "Order", email: "Email", amount: "Amount", tracking_number: "Tracking number" };
/** Something the customer named, in words: "Order W3638028", "Amount 49.99 USD". */
function entityText(entity) {
  const label = ENTITY_WORDS[entity.kind] || LABELS.words(entity.kind);
  const value = entity.value === null || entity.value === undefined ? entity.text : entity.value;
  return label + " " + value + (entity.unit ? " " + entity.unit : "");
}

function fieldList(entries) {
  const dl = el("dl", { className: "facts" });
  for (const [name, value, title] of entries) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) continue;
    dl.append(el("dt", { text: name }), el("dd", { text: Array.isArray(value) ? value.join(", ") : value, title: title || null }));
  }
  return dl;
}

export function renderBrief(brief) {
  const box = clear($("brief"));
  const customer = brief.customer || {};
  const known = customer.name || customer.external_id; // the name, else the id the site knows them by
  if (known && $("conv-title").textContent.startsWith("Customer")) {
    $("conv-title").textContent = known + $("conv-title").textContent.slice("Customer".length);
  }
  // the server writes it in plain words (handoff/brief.py); the scores and rule ids are the facts' titles
  box.append(el("p", { className: "summary", text: brief.summary || "" }));
  box.append(
    el("h3", { text: "Customer" }),
    fieldList([
      ["Name", customer.name],
      ["Customer id", customer.external_id],
      ["Tier", customer.tier],
      ["Language", customer.language ? LABELS.language(customer.language) : null],
      ["Email", customer.email],
      ["Earlier conversations", String((brief.past_conversations || []).length)],
    ]),
  );
  const flow = brief.flow || {};
  const intake = brief.intake || {};
  const frustration = brief.frustration && brief.frustration.peak !== undefined ? brief.frustration : null;
  box.append(
    el("h3", { text: "Request" }),
    fieldList([
      ["Topics", (brief.topics || []).map(LABELS.words)],
      ["In their words", brief.requests],
      ["Mentioned", (brief.entities || []).map(entityText)],
      // in words; the desk's reasons and the scores behind the words are the titles
      ["Escalated because", brief.escalation_reason ? plainReason(brief.escalation_reason) : null, brief.escalation_reason],
      [
        "Frustration",
        frustration ? LABELS.frustration(frustration.peak).replace(/^./, (x) => x.toUpperCase()) : null,
        frustration ? "Score " + frustration.peak + " at the peak, " + frustration.latest + " now (0 calm, 1 very frustrated)" : null,
      ],
    ]),
  );
  // what intake gathered, and the question still open, in words ("Waiting for: Order id")
  const intakeEntries = Object.entries(intake).map(([k, v]) => [
    LABELS.words(k),
    k === "waiting_for" ? LABELS.words(String(v)) : typeof v === "string" ? v : JSON.stringify(v),
  ]);
  if (intakeEntries.length) box.append(el("h3", { text: "Details gathered for you" }), fieldList(intakeEntries));
  const page = brief.page || {};
  if (page.page_url || page.page_title || Object.keys(page.attributes || {}).length) {
    const attributes = Object.entries(page.attributes || {}).map(([k, v]) => k + ": " + v);
    box.append(
      el("h3", { text: "Where they wrote from" }),
      fieldList([
        ["Page", page.page_title || ""],
        ["Address", page.page_url || ""],
        ["Site says", attributes.length ? attributes.join("; ") + (page.verified ? " (signed by the site)" : " (not signed)") : ""],
      ]),
    );
  }
  const called = (flow.tool_calls || []).map((t) =>
    typeof t === "string" ? LABELS.words(t) : LABELS.words(t.tool) + (t.status ? " (" + t.status + ")" : ""),
  );
  const task = [
    ["Task", flow.flow ? LABELS.words(String(flow.flow).split("@")[0]) : null],
    ["Step", flow.step ? LABELS.words(flow.step) : null],
    ["Waiting for", flow.waiting_for ? LABELS.words(flow.waiting_for) : null],
    ["Verified account", flow.verified_customer],
    ["Looked up", called],
  ];
  // shown only when the AI worked on a task (an empty heading read as something missing)
  if (task.some(([, v]) => v && (!Array.isArray(v) || v.length))) {
    box.append(el("h3", { text: "AI task" }), fieldList(task));
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

// An agent's verdict on one of the AI's replies, stored with the versions that wrote it (the
// resolution-confidence KPI reads these): accurate, partly or wrong.
export function aiReplyRating(messageId) {
  const row = el("div", { className: "row rate-ai", role: "group", "aria-label": "Rate this AI reply" });
  row.append(el("span", { className: "rate-label", text: "Rate this reply:" }));
  for (const [rating, label] of [["accurate", "Accurate"], ["partly", "Partly"], ["wrong", "Wrong"]]) {
    const button = el("button", { type: "button", className: "rate", "aria-pressed": "false", text: label });
    button.addEventListener("click", async () => {
      try {
        await api("POST", "/v1/agent/conversations/" + encodeURIComponent(state.currentId) + "/feedback", {
          target: "ai_reply",
          target_ref: messageId,
          rating,
        });
        row.querySelectorAll("button.rate").forEach((b) => b.setAttribute("aria-pressed", "false"));
        button.setAttribute("aria-pressed", "true");
        notify("Thanks — your rating of the AI's reply is saved.");
      } catch (error) {
        failed(error, "Could not save the rating");
      }
    });
    row.append(button);
  }
  return row;
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

/** The customer's latest message that says something to search with: "yes please" or "hello?"
 *  after their question would find nothing useful, so a line of three words or more. */
function latestCustomerText() {
  let latest = null;
  for (let i = state.messages.length - 1; i >= 0; i--) {
    if (state.messages[i].role !== "customer") continue;
    const text = state.messages[i].text;
    latest = latest || text;
    if (text.trim().split(/\s+/).length >= 3) return text;
  }
  return latest;
}

const PASSAGE_MIN_COSINE = 0.4;
/* The bar under which a passage is not close enough to put in front of the agent: the knowledge
   base's own "two readings agree" bar (specialists/knowledge.py CORROBORATED_THRESHOLD); the AI
   itself answers only from 0.48. */

/** One passage per article, best article first, close enough to the question; an FAQ entry's
 *  question (a chunk of its own, the article's title) is replaced by its answer. */
function helpfulPassages(result) {
  const out = [];
  for (const article of result.articles || []) {
    if ((article.cosine || 0) < PASSAGE_MIN_COSINE) continue;
    const text = (article.passages || []).find((p) => p.trim() !== article.title.trim());
    if (text) out.push({ text, url: article.url, title: article.title });
  }
  return out.slice(0, 3);
}

export async function loadPassages() {
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
  const passages = helpfulPassages(result);
  if (!passages.length) {
    section.append(el("p", { className: "muted", text: "Nothing in the help center is close to the latest question." }));
  }
  for (const passage of passages) {
    section.append(suggestionCard(passage.text, "passage", passage.url || passage.title, passage.title));
  }
}

export async function loadSimilar() {
  const id = state.currentId;
  let cases;
  try {
    cases = await api("GET", "/v1/agent/conversations/" + encodeURIComponent(id) + "/similar?limit=3");
  } catch (error) {
    return;
  }
  if (id !== state.currentId) return;
  const section = copilotSection("co-similar", "Similar resolved cases");
  // only cases with something a person wrote to reuse: the customer's own question is not a reply
  const same = (a, b) => (a || "").trim().toLowerCase() === (b || "").trim().toLowerCase();
  cases = cases.filter((c) => (c.agent_reply || c.resolution_note) && !same(c.agent_reply || c.resolution_note, c.request));
  if (!cases.length) section.append(el("p", { className: "muted", text: "No similar resolved case yet." }));
  for (const c of cases) {
    const text = c.agent_reply || c.resolution_note;
    const label = (c.subject || c.request || "Case").slice(0, 80) + " · " + Math.round(c.similarity * 100) + "% similar";
    section.append(suggestionCard(text, "similar_case", c.conversation_id, label));
  }
}

export function insertReply(text) {
  const box = $("reply");
  if ($("reply-form").hidden) {
    notify("Take the conversation to reply.", "error");
    return;
  }
  box.value = box.value ? box.value.replace(/\s*$/, "") + "\n\n" + text : text;
  box.focus();
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

export async function lookup(event) {
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

export async function loadOrders(userId) {
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
    const text =
      error.status === 409 || error.status === 403
        ? "Take this conversation to see the customer's orders: agents run the store's tools only in conversations assigned to them."
        : error.detail || "Orders are not available.";
    box.append(el("p", { className: "muted", text }));
    return;
  }
  if (id !== state.currentId) return;
  const name = user.name ? [user.name.first_name, user.name.last_name].filter(Boolean).join(" ") : "";
  box.append(el("p", { className: "card-title", text: name ? name + "'s orders" : "Orders", title: "Account " + userId }));
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

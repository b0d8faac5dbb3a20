/* relaydesk agent console: the approvals waiting for this agent, each said in words (who the
   customer is, the order, the items by name, where a refund goes, the amount once, when and by whom
   it was asked, other requests for the same order) with Approve and Deny. The list is loaded again
   whenever it can have changed: an offer on the stream, the agent's presence, a reconnect, and
   every half minute. */
import { $, ago, api, clear, clock, el, failed, notify, state } from "./console-core.js";

export const APPROVALS_REFRESH_MS = 30000;
const WATCH_MS = 1000;

const REFUNDS = /(cancel|return|exchange|refund)/;

function money(amount) {
  return "$" + Number(amount).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** "credit_card_123" -> "credit card", "gift_card_1725971" -> "gift card". */
function paymentWords(id) {
  return String(id).replace(/_\d+$/, "").replace(/_/g, " ").trim() || String(id);
}

function countOf(n, one) {
  return n + " " + one + (n === 1 ? "" : "s");
}

function valueWords(value) {
  if (Array.isArray(value)) return value.join(", ");
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** What the approval would do, in words: one line per fact. Argument names the words below do not
    know read as their words ("zip: 10083"). */
export function approvalFacts(approval) {
  const args = approval.args || {};
  const slots = (approval.flow && approval.flow.slots) || {};
  const tool = approval.tool || "";
  const facts = [];
  const address = [];
  for (const [name, value] of Object.entries(args)) {
    if (value === null || value === undefined || value === "") continue;
    if (name === "order_id") facts.push("Order " + value);
    else if (name === "item_ids") facts.push("Items: " + (slots.items || countOf((value || []).length, "item")));
    else if (name === "new_item_ids") facts.push("Replacements: " + (slots.new_items || countOf((value || []).length, "item")));
    else if (name === "payment_method_id") {
      const method = slots.payment || paymentWords(value);
      facts.push((REFUNDS.test(tool) ? "Refund to " : "Pay with ") + method);
    } else if (name === "reason") facts.push("Reason: " + value);
    else if (name === "user_id") facts.push("Customer account " + value);
    else if (/^(address1|address2|city|state|zip|country)$/.test(name)) address.push(String(value));
    else if (name !== "amount") facts.push(name.replaceAll("_", " ").replace(/^./, (x) => x.toUpperCase()) + ": " + valueWords(value));
  }
  if (address.length) facts.push("New address: " + address.join(", "));
  return facts;
}

/** The policy's reason without the amount the card already shows ("...; this one is $239.78."). */
function reasonOnce(approval) {
  const reason = String(approval.reason || "");
  if (!approval.amount) return reason;
  return reason.replace(/;\s*this one is \$[0-9,]+(\.[0-9]+)?\.?$/, ".");
}

/** Who the conversation is with: "James Li · james.li@example.com", or "Anonymous customer". */
export function customerWords(customer) {
  const c = customer || {};
  const parts = [c.name, c.email && c.email !== c.name ? c.email : null].filter(Boolean);
  return parts.length ? parts.join(" · ") : "Anonymous customer";
}

function since(iso) {
  if (!iso) return "";
  return clock(iso) + " (" + ago((Date.now() - new Date(iso).getTime()) / 1000) + " ago)";
}

function askedBy(approval) {
  const who = approval.requested_by;
  const flow = approval.flow && approval.flow.name ? " (" + approval.flow.name.replaceAll("_", " ") + ")" : "";
  if (who && who.kind === "agent") return "by agent " + (who.name || "a colleague");
  if (who && who.kind === "ai") return "by the AI" + flow;
  return flow ? "by the AI" + flow : "";
}

/** "Requested 18:27 (3 min ago) by the AI (refund damaged item) in conversation …9903591". */
export function requestedWords(approval) {
  const conversation = approval.conversation_id ? " in conversation …" + approval.conversation_id.slice(-7) : "";
  return ["Requested " + since(approval.created_at), askedBy(approval)].filter(Boolean).join(" ") + conversation;
}

/** The other pending requests of the same order: a second request for the same refund looks alike. */
function relatedWords(approval) {
  return (approval.related || []).map(
    (other) =>
      "Also waiting: " + other.tool.replaceAll("_", " ") + " of the same order" +
      (other.amount ? " (" + money(other.amount) + ")" : "") + " for " + (other.customer_name || "an anonymous customer") +
      ", requested " + clock(other.created_at) +
      (other.conversation_id === approval.conversation_id ? " in this conversation" : " in another conversation") +
      ". Approving both may fail or do it twice.",
  );
}

/** What the agent reads after deciding: the server's reason in words when the action was not done. */
export function decisionWords(decided, what) {
  if (decided.status !== "failed") return { text: "Approval " + decided.status + ": " + what + ".", kind: null };
  const result = decided.result || {};
  const reason = String(result.reason || "the records no longer allow it.").replace(/^It was approved, but can no longer be done:\s*/, "");
  let text = "Approved, but it could not be done (" + what + "): " + reason;
  const earlier = result.earlier;
  if (earlier) {
    text +=
      " An earlier request for the same order (" + (earlier.customer_name || "an anonymous customer") +
      ", requested " + clock(earlier.created_at) + ") was approved" + (earlier.decided_by ? " by " + earlier.decided_by : "") +
      (earlier.decided_at ? " at " + clock(earlier.decided_at) : "") + " and already did it.";
  }
  return { text: text + " The customer has been told.", kind: "error" };
}

let watching = null;

/** Load the list again whenever it can have changed: the agent's presence changed (going online
    brings offers), the stream reconnected (offers sent meanwhile were missed), and every
    ``APPROVALS_REFRESH_MS`` (the server offers waiting approvals on its own sweep). */
function watch(openConversation, reloadConversation) {
  if (watching) return;
  const seen = { status: state.me && state.me.status, socket: state.socket, open: false, at: Date.now() };
  watching = setInterval(() => {
    if (!state.signedIn) return;
    const socket = state.socket;
    const open = Boolean(socket && socket.readyState === WebSocket.OPEN);
    const status = state.me && state.me.status;
    const changed = status !== seen.status || (open && (socket !== seen.socket || !seen.open));
    const due = Date.now() - seen.at >= APPROVALS_REFRESH_MS && !document.hidden;
    Object.assign(seen, { status, socket, open });
    if (changed || due) {
      seen.at = Date.now();
      loadApprovals(openConversation, reloadConversation);
    }
  }, WATCH_MS);
}

export async function loadApprovals(openConversation, reloadConversation) {
  if (!state.signedIn) return;
  watch(openConversation, reloadConversation);
  try {
    state.approvals = await api("GET", "/v1/governance/approvals?mine=true");
  } catch (error) {
    failed(error, "Could not load approvals");
    return;
  }
  renderApprovals(openConversation, reloadConversation);
}

function renderApprovals(openConversation, reloadConversation) {
  const list = clear($("approvals"));
  $("approvals-count").textContent = "(" + state.approvals.length + ")";
  if (!state.approvals.length) {
    list.append(el("li", { className: "muted", text: "No approvals waiting for you." }));
    return;
  }
  for (const approval of state.approvals) {
    const noteId = "approval-note-" + approval.id;
    const what = approval.tool.replaceAll("_", " ");
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
        const told = decisionWords(decided, what);
        notify(told.text, told.kind);
      } catch (error) {
        failed(error, "Could not " + verb);
      }
      loadApprovals(openConversation, reloadConversation);
      if (approval.conversation_id === state.currentId) reloadConversation();
    };
    const facts = el("ul", { className: "facts-list" });
    for (const fact of approvalFacts(approval)) facts.append(el("li", { text: fact }));
    list.append(
      el(
        "li",
        { className: "approval" },
        el("p", { className: "who", text: what + (approval.amount ? " · " + money(approval.amount) : "") }),
        el("p", { className: "customer", text: customerWords(approval.customer) }),
        // the arguments as the tool gets them, for whoever needs the ids
        el("div", { className: "first", title: JSON.stringify(approval.args || {}) }, facts),
        el("p", { className: "when requested", title: approval.conversation_id || "", text: requestedWords(approval) }),
        el("p", { className: "when", text: reasonOnce(approval) }),
        ...relatedWords(approval).map((text) => el("p", { className: "related", text })),
        // a denial's reason reaches the customer word for word: the form says so before it is typed
        el("label", { for: noteId, text: "Reason (the customer reads it if you deny)" }),
        el("input", {
          id: noteId,
          type: "text",
          maxlength: "2000",
          placeholder: "e.g. Photos show the damage happened after delivery",
        }),
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

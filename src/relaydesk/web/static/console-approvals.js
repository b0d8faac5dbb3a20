/* relaydesk agent console: the approvals waiting for this agent, each said in words (the order,
   the items by name, where a refund goes, the amount once) with Approve and Deny. */
import { $, api, clear, el, failed, notify, state } from "./console-core.js";

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

export async function loadApprovals(openConversation, reloadConversation) {
  if (!state.signedIn) return;
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
        notify("Approval " + decided.status + ": " + what + ".");
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
        // the arguments as the tool gets them, for whoever needs the ids
        el("div", { className: "first", title: JSON.stringify(approval.args || {}) }, facts),
        el("p", { className: "when", text: reasonOnce(approval) }),
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

/* relaydesk agent console: the two lists (my conversations, the queue) and who each one is with.
   A queued conversation opens read-only (a preview: transcript, brief, co-pilot); taking it is
   its own, explicit action (the Take button, or t). */
import { $, LABELS, ago, clear, dueText, el, priorityText, state } from "./console-core.js";

/** Who the conversation is with: the customer's name, else the id the site knows them by, else
    "Customer" (an anonymous visitor). */
export function customerName(item) {
  if (item && item.customer_name) return item.customer_name;
  if (item && item.customer_external_id) return item.customer_external_id;
  return "Customer";
}

function itemButton(item, where, index, open) {
  const who = customerName(item);
  const parts = [];
  if (item.waiting_s !== null && item.waiting_s !== undefined) parts.push("waiting " + ago(item.waiting_s));
  if (item.due_at && where === "queue") parts.push(dueText(item.due_at));
  if (where === "mine") parts.push(item.status.replaceAll("_", " "));
  if (item.priority) parts.push(priorityText(item.priority)); // a word: the bare number was read as "P1 = most urgent"
  // a queued conversation the routing rules would not give this agent is listed all the same (the
  // whole team sees the whole queue; it may still be claimed), marked with why: "German — not your language"
  const notYours = where === "queue" && item.fits_you === false ? item.not_for_you || "not one for you" : null;
  const languageSaid = notYours && notYours.includes("not your language");
  if (item.language && item.language !== "en" && !languageSaid) parts.push("writes in " + LABELS.language(item.language));
  const label =
    (where === "queue" ? "Preview the conversation with " : "Open the conversation with ") + who + (notYours ? " (" + notYours + ")" : "");
  const button = el(
    "button",
    {
      type: "button",
      className: "item" + (item.id === state.currentId ? " current" : "") + (notYours ? " not-yours" : ""),
      "aria-label": label,
      "aria-current": item.id === state.currentId ? "true" : null,
      dataset: { id: item.id, where, index: String(index) },
      onclick: () => open(item.id),
    },
    el("span", { className: "who", text: who }),
    el("span", { className: "first", text: item.first_request || item.subject || "(no message yet)" }),
    el("span", { className: "when", text: parts.join(" · ") }),
    notYours ? el("span", { className: "when not-for-you", text: notYours }) : null,
  );
  return el("li", {}, button);
}

/** Draw both lists; ``open(id)`` opens a conversation (read-only while it is queued). */
export function renderLists(open) {
  const mine = clear($("mine"));
  state.mine.forEach((item, i) => mine.append(itemButton(item, "mine", i, open)));
  if (!state.mine.length) mine.append(el("li", { className: "muted", text: "Nothing assigned to you." }));
  const queue = clear($("queue"));
  state.queue.forEach((item, i) => queue.append(itemButton(item, "queue", i, open)));
  if (!state.queue.length) queue.append(el("li", { className: "muted", text: "The queue is empty." }));
  $("mine-count").textContent = "(" + state.mine.length + ")";
  $("queue-count").textContent = "(" + state.queue.length + ")";
}

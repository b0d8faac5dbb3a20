/* relaydesk agent console: follow-ups of the open conversation. Schedule a message for the
   customer later (in an hour, tomorrow morning, in three days), see the scheduled ones, cancel one.
   Reloads whenever the console shows a conversation (it rewrites #conv-meta each time). */
import { $, api, clear, el, failed, notify, state } from "./console-core.js";

const WHEN = {
  hour: () => ({ due_in_s: 3600 }),
  tomorrow: () => {
    const at = new Date();
    at.setDate(at.getDate() + 1);
    at.setHours(9, 0, 0, 0);
    return { due_at: at.toISOString() };
  },
  days: () => ({ due_in_s: 3 * 86400 }),
};

const path = (id) => "/v1/agent/conversations/" + encodeURIComponent(id) + "/follow-ups";

function dayAndTime(iso) {
  return new Date(iso).toLocaleString([], { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

async function load() {
  const id = state.currentId;
  if (!id) return;
  try {
    const followUps = await api("GET", path(id));
    if (id === state.currentId) render(followUps.filter((f) => f.status === "scheduled"));
  } catch (error) {
    failed(error, "Could not load the follow-ups");
  }
}

function render(scheduled) {
  const list = clear($("follow-up-list"));
  if (!scheduled.length) {
    list.append(el("li", { className: "muted", text: "No follow-up scheduled." }));
    return;
  }
  for (const f of scheduled) {
    const when = dayAndTime(f.due_at);
    list.append(
      el(
        "li",
        { className: "card row" },
        el("span", { text: when + " · " + f.text }),
        el("button", { type: "button", "aria-label": "Cancel the follow-up of " + when, onclick: () => cancel(f.id) }, "Cancel"),
      ),
    );
  }
}

async function schedule(event) {
  event.preventDefault();
  const text = $("follow-up-text").value.trim();
  if (!text || !state.currentId) {
    notify("Write the message to send first.", "error");
    $("follow-up-text").focus();
    return;
  }
  try {
    const made = await api("POST", path(state.currentId), { text, ...WHEN[$("follow-up-when").value]() });
    $("follow-up-text").value = "";
    notify("Follow-up scheduled for " + dayAndTime(made.due_at) + ".");
    await load();
  } catch (error) {
    failed(error, "Could not schedule the follow-up");
  }
}

async function cancel(id) {
  try {
    await api("DELETE", "/v1/agent/follow-ups/" + encodeURIComponent(id));
    notify("Follow-up cancelled.");
  } catch (error) {
    failed(error, "Could not cancel the follow-up");
  }
  await load();
}

let pending = null;
new MutationObserver(() => {
  clearTimeout(pending);
  pending = setTimeout(load, 100);
}).observe($("conv-meta"), { childList: true, characterData: true, subtree: true });
$("follow-up-form").addEventListener("submit", schedule);

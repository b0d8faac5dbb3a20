/* relaydesk agent console: a long conversation's earlier messages, a page at a time. The console
   opens a conversation on its latest messages; "Earlier messages" at the top of the transcript (or
   scrolling up to it) loads the page before, keeping the reader's place. */
import { api, el, failed, state } from "./console-core.js";

const path = (id) => "/v1/agent/conversations/" + encodeURIComponent(id);

/** Remember what the page the server sent says about the messages before it. */
export function notePage(detail) {
  const first = detail.messages[0];
  state.history = { hasEarlier: !!detail.has_earlier, before: first ? first.seq : null, loading: false };
}

/** The latest page, with the earlier pages the agent already loaded kept in front of it. */
export function mergeLatest(id, detail) {
  const first = detail.messages[0];
  const kept = id === state.historyOf && first ? state.messages.filter((m) => m.seq < first.seq) : [];
  if (!kept.length) notePage(detail);
  state.historyOf = id;
  return kept.concat(detail.messages);
}

/** The transcript's first row while earlier messages exist: a button that loads them. */
export function earlierMessagesRow(render) {
  if (!state.history || !state.history.hasEarlier) return null;
  const button = el("button", { type: "button", className: "earlier", id: "earlier", text: "Earlier messages" });
  button.addEventListener("click", () => loadEarlier(render));
  return el("li", { className: "earlier-row" }, button);
}

export async function loadEarlier(render) {
  const id = state.currentId;
  const page = state.history;
  if (!id || !page || !page.hasEarlier || page.loading || page.before === null) return;
  page.loading = true;
  try {
    const detail = await api("GET", path(id) + "?before=" + page.before);
    if (id !== state.currentId) return;
    const known = new Set(state.messages.map((m) => m.id));
    state.messages = detail.messages.filter((m) => !known.has(m.id)).concat(state.messages);
    notePage(detail);
    const list = document.getElementById("transcript");
    const fromBottom = list.scrollHeight - list.scrollTop;
    render({ keepPlace: true });
    list.scrollTop = list.scrollHeight - fromBottom;
  } catch (error) {
    page.loading = false;
    failed(error, "Could not load earlier messages");
  }
}

/** Scrolling to the top of the transcript loads the page before. */
export function loadEarlierOnScroll(list, render) {
  list.addEventListener("scroll", () => {
    if (list.scrollTop < 24) loadEarlier(render);
  });
}

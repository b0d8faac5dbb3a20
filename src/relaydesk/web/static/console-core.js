/* relaydesk agent console: shared state, DOM helpers and the API client.
   Everything that came from a person or the server is shown with textContent, never as HTML. */
export const KEY_STORE = "relaydesk.agentKey";
export const POLL_MS = 10000;
export const $ = (id) => document.getElementById(id);
// /labels.js (a classic script, run before these modules): words for reason ids and priorities
export const LABELS = globalThis.relaydeskLabels;

/** "Urgent priority" and its explanation, for a conversation's priority number. */
export function priorityText(priority) {
  return LABELS.priority(priority) + " priority";
}

export const state = {
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
  socket: null,
  pollTimer: null,
  refreshTimer: null,
  reconnectDelay: 1000,
  signedIn: false,
};

// -- small helpers --------------------------------------------------------------------------------
export function el(tag, props, ...children) {
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

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function notify(text, kind) {
  const notice = $("notice");
  notice.textContent = text || "";
  notice.className = "notice" + (kind ? " " + kind : "");
}

export function ago(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + " s";
  if (s < 3600) return Math.floor(s / 60) + " min";
  return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
}

export function clock(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export function dueText(iso) {
  if (!iso) return "";
  const left = (new Date(iso).getTime() - Date.now()) / 1000;
  return left >= 0 ? "due in " + ago(left) : "overdue by " + ago(-left);
}

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
    this.detail = detail;
  }
}

export async function api(method, path, body) {
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

export function failed(error, what) {
  const detail = error instanceof ApiError ? error.detail : "the server could not be reached";
  notify((what ? what + ": " : "") + detail, "error");
}

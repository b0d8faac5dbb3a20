// Supervisor dashboard: the decision explorer. Pick a conversation (the customer as the live queue
// names them), read every decision made in it, oldest first, with its reasons in words and the
// version that decided. Uses dashboard.js's API client (globalThis.relaydeskDashboard).
(() => {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const LABELS = globalThis.relaydeskLabels; // /labels.js: words for reason ids and priorities
  const { api, el, customerLabel } = globalThis.relaydeskDashboard;

  async function loadConversations() {
    const status = $("status-filter").value;
    const params = new URLSearchParams({ limit: "50" });
    if (status) params.set("status", status);
    const list = $("conversation-list");
    try {
      const conversations = await api(`/v1/reports/conversations?${params}`);
      list.replaceChildren();
      if (!conversations.length) list.appendChild(el("li", "No conversations.", "empty"));
      conversations.forEach((c) => {
        const li = el("li");
        const button = el("button", null, "pick");
        button.type = "button";
        button.dataset.conversation = c.id;
        button.appendChild(el("span", customerLabel(c), "pick-name"));
        button.appendChild(el("span", c.status.replace(/_/g, " "), `pick-status ${c.status}`));
        button.appendChild(el("span", c.first_message || "(no message)", "pick-message"));
        button.addEventListener("click", () => loadDecisions(c));
        li.appendChild(button);
        list.appendChild(li);
      });
    } catch (err) {
      list.replaceChildren(el("li", `Conversations not shown: ${err.message}`, "message"));
    }
  }

  function reasonText(reason) {
    if (reason === null || reason === undefined) return "";
    if (typeof reason !== "object") return String(reason);
    const parts = [];
    if (reason.rule) {
      parts.push(`${LABELS.reason(reason.rule)}${reason.family ? ` (${LABELS.family(reason.family)})` : ""}`);
    }
    if (reason.reason) parts.push(String(reason.reason));
    if (parts.length) return parts.join(": ");
    // A reading (triage's payload, a route's scores): its filled-in fields as "name: value".
    return Object.entries(reason)
      .filter(([, v]) => v !== null && v !== "" && !(Array.isArray(v) && !v.length))
      .filter(([, v]) => !(typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length))
      .map(([k, v]) => `${k.replace(/_/g, " ")}: ${typeof v === "object" ? JSON.stringify(v) : v}`)
      .join("; ");
  }

  async function loadDecisions(conversation) {
    document.querySelectorAll(".pick[aria-current]").forEach((b) => b.removeAttribute("aria-current"));
    const picked = document.querySelector(`.pick[data-conversation="${CSS.escape(conversation.id)}"]`);
    if (picked) picked.setAttribute("aria-current", "true");
    $("decisions-title").textContent =
      `Decisions for ${customerLabel(conversation, "an anonymous customer")} (${conversation.id})`;
    const list = $("decision-list");
    list.replaceChildren();
    try {
      const decisions = await api(`/v1/agent/conversations/${encodeURIComponent(conversation.id)}/decisions`);
      if (!decisions.length) list.appendChild(el("li", "No decisions recorded yet.", "empty"));
      decisions.forEach((d) => {
        const li = el("li", null, "decision");
        const head = el("p", null, "decision-head");
        head.appendChild(el("span", d.kind, "kind"));
        head.appendChild(el("span", d.outcome, "outcome"));
        head.appendChild(el("time", new Date(d.created_at).toLocaleString(), "when"));
        li.appendChild(head);
        const summary = el("p", LABELS.reasonText(d.summary), "decision-summary");
        if (summary.textContent !== d.summary) summary.title = d.summary; // with the rules' ids
        li.appendChild(summary);
        const reasons = (d.reasons || []).filter((r) => reasonText(r));
        if (reasons.length) {
          const ul = el("ul", null, "reasons");
          reasons.forEach((r) => {
            const item = el("li", reasonText(r));
            if (r && typeof r === "object" && r.rule) item.title = `rule ${r.rule}${r.family ? `, family ${r.family}` : ""}`;
            ul.appendChild(item);
          });
          li.appendChild(ul);
        }
        li.appendChild(el("p", `version ${d.version}`, "version"));
        list.appendChild(li);
      });
    } catch (err) {
      list.appendChild(el("li", `Decisions not shown: ${err.message}`, "message"));
    }
  }

  globalThis.relaydeskDecisions = { loadConversations };
  $("status-filter").addEventListener("change", loadConversations);
})();

// Supervisor dashboard: live queue and agents, KPI charts (Chart.js) with table equivalents; the
// reasons' table is drawn by dashboard-reasons.js and the decision explorer by
// dashboard-decisions.js (both use the helpers this file shares as globalThis.relaydeskDashboard).
// Everything shown goes through textContent; nothing is parsed as HTML.
(() => {
  "use strict";

  const KEY = "relaydesk.dashboard.key";
  const REFRESH_MS = 5000;
  const $ = (id) => document.getElementById(id);
  const TYPE_LABELS = { ai_only: "AI only", ai_then_person: "AI then person", person_only: "Person only" };
  const COLORS = ["#1f5fa8", "#b3261e", "#1a7a4c", "#9a5300", "#6a3fa0", "#0d6e62", "#555b66"];
  const LABELS = globalThis.relaydeskLabels; // /labels.js: words for reason ids and priorities

  let liveTimer = null;
  let tickTimer = null;
  let skewMs = 0; // client clock minus server clock
  let lastLive = null;
  const charts = {};

  // -- helpers ----------------------------------------------------------------------------------
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function row(cells, header) {
    const tr = document.createElement("tr");
    cells.forEach((cell, i) => tr.appendChild(el(i === 0 && header ? "th" : "td", cell)));
    if (header) tr.firstChild.setAttribute("scope", "row");
    return tr;
  }

  function pct(rate) {
    return rate === null || rate === undefined ? "no data" : `${(rate * 100).toFixed(1)}%`;
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "no data";
    const s = Math.round(Math.abs(seconds));
    if (s < 60) return `${s}s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
    const h = Math.floor(m / 60);
    return `${h}h ${String(m % 60).padStart(2, "0")}m`;
  }

  const csatText = (s) => (s && s.mean_score != null ? `${s.mean_score.toFixed(2)} / 5 (${s.rated} rated)` : "no data");
  const moneyText = (m) => (m && m.amount != null ? `${m.amount.toFixed(2)} ${m.currency}` : "no data");

  /** Who the conversation is with: the name they gave, else the e-mail they gave, else ``anonymous``. */
  function customerLabel(c, anonymous) {
    return (c && (c.customer_name || c.customer_email)) || anonymous || "Anonymous customer";
  }

  function isoDate(d) {
    return d.toISOString().slice(0, 10);
  }

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail);
      this.status = status;
    }
  }

  async function api(path) {
    const key = sessionStorage.getItem(KEY);
    const response = await fetch(path, { headers: { "X-API-Key": key || "" } });
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    if (!response.ok) {
      const detail = body && typeof body.detail === "string" ? body.detail : `HTTP ${response.status}`;
      throw new ApiError(response.status, detail);
    }
    return body;
  }

  // -- sign in ----------------------------------------------------------------------------------
  function showSignIn(message) {
    stopLive();
    $("board").hidden = true;
    $("signin").hidden = false;
    $("sign-out").hidden = true;
    $("who").hidden = true;
    $("signin-message").textContent = message || "";
  }

  function refusal(err) {
    if (err.status === 401) return "That key matches no agent. Check it and try again.";
    if (err.status === 403) {
      return `Refused: ${err.message}. The dashboard needs a supervisor or admin key.`;
    }
    return `Could not sign in: ${err.message}`;
  }

  async function signIn(key) {
    sessionStorage.setItem(KEY, key);
    try {
      const live = await api("/v1/reports/live");
      const me = await api("/v1/agent/me");
      $("who").textContent = `Signed in as ${me.name}`;
      $("who").hidden = false;
      $("signin").hidden = true;
      $("board").hidden = false;
      $("sign-out").hidden = false;
      $("signin-message").textContent = "";
      renderLive(live);
      startLive();
      loadKpis();
      globalThis.relaydeskDecisions.loadConversations();
    } catch (err) {
      sessionStorage.removeItem(KEY);
      showSignIn(err instanceof ApiError ? refusal(err) : `Could not reach the server: ${err.message}`);
    }
  }

  // -- live queue and agents --------------------------------------------------------------------
  function startLive() {
    stopLive();
    liveTimer = setInterval(refreshLive, REFRESH_MS);
    tickTimer = setInterval(tick, 1000);
  }

  function stopLive() {
    if (liveTimer) clearInterval(liveTimer);
    if (tickTimer) clearInterval(tickTimer);
    liveTimer = tickTimer = null;
  }

  async function refreshLive() {
    try {
      renderLive(await api("/v1/reports/live"));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        sessionStorage.removeItem(KEY);
        showSignIn(refusal(err));
      } else {
        $("status-line").textContent = `Live view not refreshed: ${err.message}`;
      }
    }
  }

  function nowOnServer() {
    return Date.now() - skewMs;
  }

  function timerTexts(item) {
    const now = nowOnServer();
    const wait = item.queued_at ? (now - Date.parse(item.queued_at)) / 1000 : null;
    if (!item.due_at) return { wait: duration(wait), due: "no service level", overdue: false };
    const dueIn = (Date.parse(item.due_at) - now) / 1000;
    return {
      wait: duration(wait),
      due: dueIn >= 0 ? `due in ${duration(dueIn)}` : `overdue by ${duration(dueIn)}`,
      overdue: dueIn < 0,
    };
  }

  function tick() {
    document.querySelectorAll("[data-timer]").forEach((cell) => {
      const item = JSON.parse(cell.dataset.timer);
      const t = timerTexts(item);
      const waitCell = cell.querySelector(".wait");
      const dueCell = cell.querySelector(".due");
      if (waitCell) waitCell.textContent = t.wait;
      if (dueCell) {
        dueCell.textContent = t.due;
        dueCell.classList.toggle("overdue", t.overdue);
      }
    });
  }

  function renderLive(live) {
    lastLive = live;
    skewMs = Date.now() - Date.parse(live.now);
    const overdue = live.overdue ? `, ${live.overdue} overdue` : "";
    $("queue-summary").textContent =
      live.queued === 0 ? "Nobody is waiting for a person." : `${live.queued} waiting for a person${overdue}.`;
    const box = $("queues");
    box.replaceChildren();
    live.queues.forEach((queue) => {
      const wrap = el("div", null, "table-wrap");
      const table = el("table", null, "queue");
      const caption = el("caption", `${LABELS.priority(queue.priority)} priority: ${queue.conversations.length} waiting` +
        (queue.overdue ? `, ${queue.overdue} overdue` : ""));
      caption.title = LABELS.priorityHint(queue.priority);
      caption.dataset.priority = String(queue.priority);
      table.appendChild(caption);
      const head = el("thead");
      const hr = document.createElement("tr");
      ["Customer", "First message", "Reason", "Waiting", "Service level"].forEach((h) => {
        const th = el("th", h);
        th.setAttribute("scope", "col");
        hr.appendChild(th);
      });
      head.appendChild(hr);
      table.appendChild(head);
      const body = el("tbody");
      queue.conversations.forEach((item) => {
        const tr = document.createElement("tr");
        tr.dataset.timer = JSON.stringify({ queued_at: item.queued_at, due_at: item.due_at });
        const t = timerTexts(item);
        const name = el("th", customerLabel(item));
        name.setAttribute("scope", "row");
        tr.appendChild(name);
        tr.appendChild(el("td", item.first_message || "", "message-text"));
        const reason = el("td", LABELS.plainReason(item.escalation_reason) || LABELS.reasonText(item.escalation_reason), "reason");
        if (item.escalation_reason) reason.title = item.escalation_reason; // with the scores and the rules' ids
        tr.appendChild(reason);
        tr.appendChild(el("td", t.wait, "wait"));
        const due = el("td", t.due, "due");
        if (t.overdue) due.classList.add("overdue");
        tr.appendChild(due);
        body.appendChild(tr);
      });
      table.appendChild(body);
      wrap.appendChild(table);
      box.appendChild(wrap);
    });

    // what online agents hold, against what they can hold; an away agent's conversations apart
    const online = live.agents.filter((a) => a.status === "online");
    const open = online.reduce((n, a) => n + a.open_conversations, 0);
    const capacity = online.reduce((n, a) => n + a.capacity, 0);
    const elsewhere = live.agents.reduce((n, a) => n + (a.status === "online" ? 0 : a.open_conversations), 0);
    $("agents-summary").textContent =
      `${online.length} of ${live.agents.length} online, holding ${open} open conversation${open === 1 ? "" : "s"} ` +
      `of their capacity of ${capacity}` +
      (elsewhere ? `; ${elsewhere} more open with agents who are away or offline.` : ".");
    const tbody = $("agents-table").querySelector("tbody");
    tbody.replaceChildren();
    live.agents.forEach((a) => {
      const tr = row([a.name], true);
      const status = el("td", a.status, `agent-status ${a.status}`);
      tr.appendChild(status);
      tr.appendChild(el("td", `${a.open_conversations} / ${a.capacity}`));
      const loadCell = el("td", null, "load");
      const bar = el("span", null, "bar");
      bar.setAttribute("aria-hidden", "true");
      const fill = el("span", null, "fill");
      fill.style.width = `${Math.min(100, Math.round(a.load * 100))}%`;
      if (a.load >= 1) fill.classList.add("full");
      bar.appendChild(fill);
      loadCell.appendChild(bar);
      loadCell.appendChild(el("span", `${Math.round(a.load * 100)}%`, "load-text"));
      tr.appendChild(loadCell);
      tbody.appendChild(tr);
    });
    $("status-line").textContent = `Live view updated ${new Date().toLocaleTimeString()}.`;
  }

  // -- KPIs -------------------------------------------------------------------------------------
  function drawChart(id, config) {
    if (typeof Chart === "undefined") return;
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign(
      { animation: false, responsive: true, maintainAspectRatio: false, plugins: {} },
      config.options || {},
    );
    charts[id] = new Chart($(id), config);
  }

  function fillTable(figureId, rows, ids) {
    const tbody = $(figureId).querySelector("tbody");
    tbody.replaceChildren();
    rows.forEach((cells, i) => {
      const tr = row(cells, true);
      if (ids && ids[i]) {
        tr.firstChild.title = ids[i]; // the id decisions and the CSV export use
        tr.dataset.reason = ids[i];
      }
      tbody.appendChild(tr);
    });
  }

  function bars(id, labels, values, label, extra) {
    drawChart(id, {
      type: "bar",
      data: { labels, datasets: [{ label, data: values, backgroundColor: COLORS[0] }] },
      options: Object.assign(
        { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
        extra || {},
      ),
    });
  }

  function renderKpis(k) {
    const headline = $("headline");
    headline.replaceChildren();
    [
      ["Conversations", String(k.conversations)],
      ["Containment", pct(k.containment.rate)],
      ["AI resolution rate", pct(k.ai_resolution.rate)],
      ["Escalation rate", pct(k.escalation.rate)],
      ["Abandonment", pct(k.abandonment.rate)],
      ["CSAT", csatText(k.csat)],
      ["Post-escalation CSAT", csatText(k.post_escalation_csat)],
      ["First-contact resolution", pct(k.first_contact_resolution.rate)],
      ["Repeat contact (7 days)", pct(k.repeat_contact.rate)],
      ["Reopen rate", pct(k.reopen.rate)],
      ["Median time to escalation", duration(k.time_to_escalation.median_s)],
      ["Median handle time", duration(k.handle_time.median_s)],
      ["Handoff friction: repeated", pct(k.friction_repeated.rate)],
      ["Handed over again (72 h)", pct(k.friction_handed_again.rate)],
      ["Cost per resolution", moneyText(k.cost.per_resolution)],
    ].forEach(([term, value]) => {
      const div = el("div");
      div.appendChild(el("dt", term));
      div.appendChild(el("dd", value));
      headline.appendChild(div);
    });

    const contained = k.containment.count;
    const handed = k.escalation.count;
    drawChart("chart-containment", {
      type: "doughnut",
      data: {
        labels: ["Never reached a person", "Handed to a person"],
        datasets: [{ data: [contained, handed], backgroundColor: [COLORS[2], COLORS[1]] }],
      },
    });
    fillTable("fig-containment", [
      ["Never reached a person", contained, pct(k.containment.rate)],
      ["Handed to a person", handed, pct(k.escalation.rate)],
    ]);

    const reasons = k.reasons_by_rule;
    bars(
      "chart-reasons",
      reasons.map((r) => r.label || LABELS.reason(r.name)),
      reasons.map((r) => (r.rate === null ? 0 : +(r.rate * 100).toFixed(1))),
      "Escalation rate (%)",
      { indexAxis: "y", scales: { x: { beginAtZero: true, title: { display: true, text: "% of conversations" } } } },
    );
    globalThis.relaydeskReasons.renderReasons(k); // the rules and their kinds, as two groups

    const tte = k.time_to_escalation;
    bars("chart-tte", tte.buckets.map((b) => b.label), tte.buckets.map((b) => b.count), "Conversations");
    fillTable("fig-tte", [
      ...tte.buckets.map((b) => [b.label, b.count]),
      ["Median", duration(tte.median_s)],
      ["Mean", duration(tte.mean_s)],
    ]);

    const csat = k.csat_by_resolution_type;
    bars(
      "chart-csat",
      csat.map((c) => TYPE_LABELS[c.resolution_type] || c.resolution_type),
      csat.map((c) => (c.mean_score === null ? 0 : +c.mean_score.toFixed(2))),
      "Mean score",
      { scales: { y: { beginAtZero: true, max: 5 } } },
    );
    fillTable(
      "fig-csat",
      csat.map((c) => [
        TYPE_LABELS[c.resolution_type] || c.resolution_type,
        c.resolved,
        c.rated,
        c.mean_score === null ? "no data" : c.mean_score.toFixed(2),
        pct(c.satisfied_share),
      ]),
    );

    const handle = k.handle_time;
    bars("chart-handle", handle.buckets.map((b) => b.label), handle.buckets.map((b) => b.count), "Conversations");
    fillTable("fig-handle", [
      ...handle.buckets.map((b) => [b.label, b.count]),
      ["Median", duration(handle.median_s)],
      ["Mean", duration(handle.mean_s)],
    ]);

    const fcr = k.first_contact_resolution;
    drawChart("chart-fcr", {
      type: "doughnut",
      data: {
        labels: ["Resolved at first contact", "Reopened or came back"],
        datasets: [{ data: [fcr.count, fcr.total - fcr.count], backgroundColor: [COLORS[0], COLORS[3]] }],
      },
    });
    fillTable("fig-fcr", [
      ["Resolved at first contact", fcr.count, pct(fcr.rate)],
      ["Reopened, or came back on the topic within 7 days", fcr.total - fcr.count, pct(fcr.total ? 1 - fcr.rate : null)],
    ]);
  }

  async function loadKpis() {
    const from = $("from").value;
    const to = $("to").value;
    $("kpi-message").textContent = "";
    if (!from || !to) {
      $("kpi-message").textContent = "Choose both dates.";
      return;
    }
    // figures of another period never stay on screen under an error about this one
    const shown = (on) => {
      $("headline").hidden = !on;
      document.querySelector(".kpis .charts").hidden = !on;
    };
    if (from > to) {
      shown(false);
      $("kpi-message").textContent = `"From" (${from}) is after "To" (${to}): choose a period that starts before it ends.`;
      return;
    }
    const until = new Date(`${to}T00:00:00Z`);
    until.setUTCDate(until.getUTCDate() + 1);
    const params = new URLSearchParams({ since: from, until: isoDate(until) });
    try {
      renderKpis(await api(`/v1/reports/kpis?${params}`));
      shown(true);
      document.body.dataset.kpis = "loaded";
    } catch (err) {
      shown(false);
      $("kpi-message").textContent = `Figures not shown: ${err.message}`;
    }
  }

  globalThis.relaydeskDashboard = { api, el, customerLabel, pct };

  // -- start --------------------------------------------------------------------------------------
  function start() {
    const today = new Date();
    const weekAgo = new Date(today.getTime() - 6 * 86400000);
    $("from").value = isoDate(weekAgo);
    $("to").value = isoDate(today);

    $("signin-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const key = $("api-key").value.trim();
      $("api-key").value = "";
      if (key) signIn(key);
    });
    $("sign-out").addEventListener("click", () => {
      sessionStorage.removeItem(KEY);
      showSignIn("Signed out.");
    });
    $("period-form").addEventListener("submit", (event) => {
      event.preventDefault();
      loadKpis();
    });

    const saved = sessionStorage.getItem(KEY);
    if (saved) signIn(saved);
  }

  start();
})();

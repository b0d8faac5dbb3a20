// Supervisor dashboard: the table under "Escalation rate by reason", in two groups that are never
// added together: why a person was brought in (the rules that fired in each conversation's first
// handover) and the kind of reason (those rules' families). Each group counts the same handed-over
// conversations, so each adds up to the escalation rate (the total row), unless some conversations
// had more than one reason, which the group then says. Every rate is of all the period's
// conversations. Each row keeps its id (as decisions and the CSV record it) in title and data-reason.
(() => {
  "use strict";

  const LABELS = globalThis.relaydeskLabels; // /labels.js: words for reason ids
  const { el, pct } = globalThis.relaydeskDashboard;

  /** The two groups: [{title, rows: [{id, label, count, rate}]}]. */
  function reasonGroups(k) {
    return [
      {
        title: "Why a person was brought in",
        rows: k.reasons_by_rule.map((r) => ({ id: r.name, label: r.label || LABELS.reason(r.name), count: r.count, rate: r.rate })),
      },
      {
        title: "Kind of reason",
        rows: k.reasons_by_family.map((f) => ({
          id: `family: ${f.name}`,
          label: f.label || LABELS.family(f.name),
          count: f.count,
          rate: f.rate,
        })),
      },
    ];
  }

  function line(cells, className) {
    const tr = el("tr", null, className);
    cells.forEach((cell, i) => {
      const cellNode = el(i === 0 ? "th" : "td", cell);
      if (i === 0) cellNode.setAttribute("scope", "row");
      tr.appendChild(cellNode);
    });
    return tr;
  }

  function spanning(text, tag, className) {
    const tr = el("tr", null, className);
    const cell = el(tag, text);
    cell.colSpan = 3;
    if (tag === "th") cell.setAttribute("scope", "rowgroup");
    tr.appendChild(cell);
    return tr;
  }

  /** Draw the groups into the figure's table, with the conversations handed to a person as its total. */
  function renderReasons(k) {
    const table = document.querySelector("#fig-reasons table");
    table.querySelectorAll("tbody, tfoot").forEach((node) => node.remove());
    const handed = k.escalation.count;
    if (!handed) {
      const body = el("tbody");
      body.appendChild(line(["No escalations", 0, "no data"]));
      table.appendChild(body);
      return;
    }
    reasonGroups(k).forEach((group) => {
      const body = el("tbody", null, "reason-group");
      body.appendChild(spanning(group.title, "th", "group-title"));
      group.rows.forEach((r) => {
        const tr = line([r.label, r.count, pct(r.rate)]);
        tr.firstChild.title = r.id;
        tr.dataset.reason = r.id;
        body.appendChild(tr);
      });
      const counted = group.rows.reduce((n, r) => n + r.count, 0);
      if (counted > handed) {
        body.appendChild(
          spanning(
            `Some conversations had more than one reason, so this group adds up to ${counted}, more than the ${handed} handed to a person.`,
            "td",
            "group-note",
          ),
        );
      }
      table.appendChild(body);
    });
    const foot = el("tfoot");
    foot.appendChild(line(["Handed to a person (each group adds up to this)", handed, pct(k.escalation.rate)], "total"));
    table.appendChild(foot);
  }

  globalThis.relaydeskReasons = { reasonGroups, renderReasons };
})();

// Supervisor dashboard: "Download CSV" and "Open HTML report" for the chosen period. The files are
// fetched with the supervisor's key in a header (never in a URL), then saved or opened from a Blob.
(() => {
  "use strict";

  const KEY = "relaydesk.dashboard.key"; // the key dashboard.js keeps for this tab
  const $ = (id) => document.getElementById(id);

  // The page's period (To is inclusive there, exclusive in the API) and grouping, or null.
  function query() {
    const from = $("from").value;
    const to = $("to").value;
    if (!from || !to) return null;
    const until = new Date(`${to}T00:00:00Z`);
    until.setUTCDate(until.getUTCDate() + 1);
    const params = new URLSearchParams({ since: from, until: until.toISOString().slice(0, 10) });
    if ($("group-by").value) params.set("by", $("group-by").value);
    return params;
  }

  async function fetchFile(path) {
    const response = await fetch(path, { headers: { "X-API-Key": sessionStorage.getItem(KEY) || "" } });
    if (!response.ok) {
      let detail = `HTTP ${response.status}`;
      try {
        const body = await response.json();
        if (body && typeof body.detail === "string") detail = body.detail;
      } catch (_) {
        // not a problem+json body: keep the status
      }
      throw new Error(detail);
    }
    const named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    return { blob: await response.blob(), filename: named ? named[1] : "relaydesk-kpis" };
  }

  function save(file) {
    const url = URL.createObjectURL(file.blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = file.filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  async function exportKpis(kind) {
    const message = $("kpi-message");
    message.textContent = "";
    const params = query();
    if (!params) {
      message.textContent = "Choose both dates.";
      return;
    }
    // The report's tab opens while the click still counts as the user's (popup blockers allow
    // that) and shows the report once fetched; where no tab could open, the report is saved.
    const tab = kind === "html" ? window.open("", "_blank") : null;
    try {
      const file = await fetchFile(`/v1/reports/kpis.${kind}?${params}`);
      if (tab) {
        const url = URL.createObjectURL(file.blob);
        tab.location.href = url;
        setTimeout(() => URL.revokeObjectURL(url), 60000);
      } else {
        save(file);
      }
      document.body.dataset.exported = kind;
    } catch (err) {
      if (tab) tab.close();
      message.textContent = `Report not made: ${err.message}`;
    }
  }

  $("download-csv").addEventListener("click", () => exportKpis("csv"));
  $("open-report").addEventListener("click", () => exportKpis("html"));
})();

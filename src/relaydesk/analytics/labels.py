"""The words people read for the desk's internal ids: why a conversation went to a person (the
escalation rules, their families, and the reasons the KPIs add), and how urgent it is.

Ids stay the data (the API, the CSV export, decisions); these labels are only what a page shows,
with the id kept beside it (a tooltip, a ``title``). A rule id without a label here (a workspace's
own policy rule) reads as its words: ``billing_page_asks_again`` -> "Billing page asks again".
The console and the dashboard get the same labels from ``/labels.js`` (``labels_script``).

**Priority** runs from 0 (the default: nothing made it more urgent) upwards; 3 and above is the
most urgent (the routing rules' service level stops shortening there, docs/routing.md). People
used to "P1 = most urgent" misread the bare number, so pages show a word: Normal, Elevated, High,
Urgent.
"""

from __future__ import annotations

from relaydesk.analytics import plain_words
from relaydesk.analytics.script_json import script_json

__all__ = [
    "FAMILY_LABELS",
    "PRIORITY_LABELS",
    "RULE_LABELS",
    "family_label",
    "labels_script",
    "priority_label",
    "reason_label",
]

RULE_LABELS: dict[str, str] = {
    # reasons the KPIs add to the policy's rules (kpis.py)
    "agent_claim": "Agent took over",
    "recovery": "AI kept failing",
    "unspecified": "Not recorded",
    # the explicit family, and escalations the desk itself raises
    "explicit_request": "Asked for a person",
    "accepted_offer": "Accepted a person",
    "missing_knowledge": "Not in the help center",
    "answer_already_given": "Asked again after an answer",
    "processing_failed": "AI could not process it",
    "flow_exit": "Task needs a person",
    # the bundled policy (governance/policies/default.yaml)
    "frustrated_customer": "Clearly upset",
    "harsh_words": "Harsh words",
    "answer_did_not_help": "Answer did not help",
    "mildly_frustrated": "Somewhat frustrated",
    "same_question_twice": "Same question twice",
    "failed_answers": "AI answers kept failing",
    "long_session": "Long conversation",
    "legal_or_security": "Legal or security",
    "billing_dispute": "Billing dispute",
    "cancellation_threat": "Threat to cancel",
    "large_amount": "Large amount",
    "key_account": "Key account",
    "reopened_after_person": "Back after a person solved it",
    "billing_page_asks_again": "Asked again on billing page",
    "sales_opportunity": "Sales opportunity",
    "out_of_scope": "Outside what the AI does",
    "unsure_what_is_asked": "AI unsure what was asked",
    "too_many_ai_turns": "Too many AI replies",
    "ai_turns": "Too many AI replies",
    "too_long_with_ai": "Too long with the AI",
}
"""Rule id -> what a person reads (short: a chart's axis shows it)."""

FAMILY_LABELS: dict[str, str] = {
    "explicit": "Customer asked",
    "implicit": "Conversation signals",
    "policy": "Topic, amount or customer",
    "time_turns": "Time or reply limits",
    "agent": "Agent's own choice",
    "recovery": "AI failures",
    "unspecified": "Not recorded",
}
"""Rule family -> what a person reads."""

PRIORITY_LABELS = ("Normal", "Elevated", "High", "Urgent")
"""Priority 0, 1, 2, and 3 or more."""


def _words(name: str) -> str:
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else RULE_LABELS["unspecified"]


def reason_label(rule: str) -> str:
    """What a person reads for the rule id ``rule``."""
    return RULE_LABELS.get(rule) or _words(rule)


def family_label(family: str) -> str:
    """What a person reads for the rule family ``family``."""
    return FAMILY_LABELS.get(family) or _words(family)


def priority_label(priority: int) -> str:
    """The word for ``priority`` (0 Normal ... 3 and above Urgent)."""
    return PRIORITY_LABELS[min(max(int(priority), 0), len(PRIORITY_LABELS) - 1)]


SCRIPT = """/* relaydesk labels, made from relaydesk.analytics.labels: the words pages show for reason
   ids and priorities. relaydeskLabels.reason(id), .family(id), .priority(n), .priorityHint(n),
   .reasonText(sentence) (its "(rule some_id)" references read as labels), .words(id) (any other
   id, such as an intent, as words: "billing_question" -> "Billing question").
   Plain words for agents (relaydesk.analytics.plain_words): .plainReason(sentence or rule ids),
   .reasonIds(sentence), .frustration(score), .language(code), .topic(id). The
   brief's summary needs none of them: the server writes it in these words (handoff/brief.py). */
(function () {
  "use strict";
  var data = %s;
  function words(name) {
    var text = String(name === null || name === undefined ? "" : name).replace(/_/g, " ").trim();
    return text ? text.charAt(0).toUpperCase() + text.slice(1) : data.rules.unspecified;
  }
  function own(map, key) {
    return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : null;
  }
  function reason(id) { return own(data.rules, id) || words(id); }
  function priority(n) {
    var at = Math.min(Math.max(Math.floor(Number(n) || 0), 0), data.priorities.length - 1);
    return data.priorities[at];
  }
  globalThis.relaydeskLabels = {
    words: words,
    reason: reason,
    family: function (id) { return own(data.families, id) || words(id); },
    priority: priority,
    priorityHint: function (n) {
      return priority(n) + " priority (" + n + "; 0 is normal, 3 and above the most urgent)";
    },
    reasonText: function (sentence) {
      return String(sentence || "").replace(/\\(rule ([A-Za-z0-9_.-]+)\\)/g, function (_, id) {
        return "(" + reason(id) + ")";
      });
    },
    reasonIds: reasonIds,
    plainReason: plainReason,
    frustration: frustration,
    language: language,
    topic: topic
  };

  // -- plain words for agents (analytics/plain_words.py) --
  function reasonIds(sentence) {
    var text = String(sentence || "");
    var ids = text.indexOf(data.plain.explicitOpening) === 0 ? ["explicit_request"] : [];
    text.replace(/\\(rule ([A-Za-z0-9_.-]+)\\)/g, function (found, id) {
      if (ids.indexOf(id) < 0) ids.push(id);
      return found;
    });
    return ids;
  }
  function plainReason(rules) {
    var fired = Array.isArray(rules) ? rules : reasonIds(rules);
    var groups = [], clauses = [], known = [], others = [];
    data.plain.clauses.forEach(function (c) {
      known.push(c[0]);
      if (fired.indexOf(c[0]) >= 0 && groups.indexOf(c[1]) < 0) {
        groups.push(c[1]);
        clauses.push(c[2]);
      }
    });
    var seen = [];
    fired.forEach(function (id) {
      if (seen.indexOf(id) >= 0 || known.indexOf(id) >= 0) return;
      seen.push(id);
      var text = String(id).replace(/_/g, " ").trim();
      others.push(text.charAt(0).toUpperCase() + text.slice(1));
    });
    var text = "";
    if (clauses.length) {
      var last = clauses[clauses.length - 1];
      var said = clauses.length === 1 ? last : clauses.slice(0, -1).join(", ") + " and " + last;
      text = "The customer " + said + ".";
    }
    if (others.length) text = (text ? text + " Also: " : "") + others.join(", ") + ".";
    return text;
  }
  function frustration(score) {
    var value = Number(score) || 0;
    for (var i = 0; i < data.plain.frustration.length; i++) {
      if (value >= data.plain.frustration[i][0]) return data.plain.frustration[i][1];
    }
    return "calm";
  }
  function language(code) {
    if (!code) return "an unknown language";
    return own(data.plain.languages, String(code).toLowerCase().split("-")[0]) || String(code);
  }
  function topic(id) {
    return own(data.plain.topics, id) || String(id || "").replace(/_/g, " ").trim();
  }
})();
"""


def labels_script() -> str:
    """The labels as a script that sets ``globalThis.relaydeskLabels`` (``/labels.js``)."""
    data = {
        "rules": RULE_LABELS,
        "families": FAMILY_LABELS,
        "priorities": list(PRIORITY_LABELS),
        "plain": plain_words.script_data(),
    }
    return SCRIPT % script_json(data)

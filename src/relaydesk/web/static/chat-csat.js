/* relaydesk customer chat: the rating (CSAT) a customer gives a resolved conversation, once.
 * Loaded before chat-app.js; ``relaydeskCsat(ui, chat)`` gives ``show()`` (ask, or thank for the
 * rating already given), ``hide()`` (it opened again) and ``reset()`` (it was resolved again: look
 * again). */
window.relaydeskCsat = function (ui, chat) {
  "use strict";

  var api = chat.api, problemText = chat.problemText, showError = chat.showError;
  var checked = false;

  function path() {
    return "/v1/conversations/" + encodeURIComponent(chat.conversationId()) + "/csat";
  }

  function show() {
    if (checked) return;
    checked = true;
    api("GET", path()).then(function (result) {
      // null (200) while it has no rating: ask for one
      if (result.ok && result.data) thankForRating(result.data.score);
      else if (result.ok) ui.csat.hidden = false;
      ui.log.scrollTop = ui.log.scrollHeight;
    });
  }

  function thankForRating(score) {
    ui.csat.hidden = true;
    ui.csatDone.textContent = window.relaydeskI18n.t(document.documentElement.lang, "rated", { n: score });
    ui.csatDone.hidden = false;
  }

  // the comment and the send button appear once a score is chosen: a solved chat keeps room for
  // the conversation itself
  var more = document.getElementById("rd-csat-more");
  ui.csat.addEventListener("change", function () {
    var chosen = !!ui.csat.querySelector("input[name=score]:checked");
    ui.csatSend.disabled = !chosen;
    if (more && chosen) more.hidden = false;
  });

  ui.csat.addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = ui.csat.querySelector("input[name=score]:checked");
    if (!chosen) return;
    var comment = ui.csatComment.value.trim();
    ui.csatSend.disabled = true;
    api("POST", path(), {
      score: Number(chosen.value), comment: comment || null
    }).then(function (result) {
      if (result.ok) { showError(""); thankForRating(result.data.score); return; }
      if (result.status === 409) {
        ui.csat.hidden = true;
        ui.csatDone.textContent = problemText(result, "This conversation has already been rated.");
        ui.csatDone.hidden = false;
        return;
      }
      ui.csatSend.disabled = false;
      showError(problemText(result, "Your rating could not be sent. Please try again."));
    }, function () {
      ui.csatSend.disabled = false;
      showError("Your rating could not be sent: no connection. Please try again.");
    });
  });

  function hide() {
    // the conversation opened again: the rating form or the thanks for it waits for its next close
    ui.csat.hidden = true;
    ui.csatDone.hidden = true;
    checked = false;
  }

  return { show: show, hide: hide, reset: function () { checked = false; } };
};

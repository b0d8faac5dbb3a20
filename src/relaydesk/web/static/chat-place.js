/* relaydesk customer chat: the place in line shown while a person is coming.
 * Loaded before chat-app.js; ``relaydeskPlace(chat)`` gives ``position()`` (the place as the
 * server last said it: the conversation's ``position``, read again every PLACE_REFRESH_MS while
 * queued, or a live message that told it; before either, the newest message that told one),
 * ``minutesLeft()`` (what is left of the queue notice's estimate, null when none or passed),
 * ``update(conversation data, status)`` and ``told(position)`` (a live message said it). */
window.relaydeskPlace = function (chat) {
  "use strict";

  var PLACE_REFRESH_MS = 15000;
  var current = null;  // null: not queued, or not read yet
  var timer = null;

  function newest(test) {
    var found = null;
    chat.messages().forEach(function (entry) {
      var m = entry.message;
      if (m.metadata && test(m) && (!found || m.seq > found.seq)) found = m;
    });
    return found;
  }

  function position() {
    if (current) return current;
    var told = newest(function (m) { return typeof m.metadata.position === "number"; });
    return told ? told.metadata.position : null;
  }

  function minutesLeft() {
    var queued = newest(function (m) { return m.role === "system" && m.metadata.event === "queued"; });
    var seconds = queued && queued.metadata.estimated_wait_s;
    if (typeof seconds !== "number" || seconds <= 0) return null;
    var said = Date.parse(queued.created_at);
    var left = isNaN(said) ? seconds : seconds - (Date.now() - said) / 1000;
    return left >= 60 ? Math.max(1, Math.round(left / 60)) : null;
  }

  function read() {
    if (!chat.conversationId() || document.hidden) return;
    chat.api("GET", "/v1/conversations/" + encodeURIComponent(chat.conversationId())).then(function (result) {
      if (result.ok) chat.onConversation(result.data);
    }, function () { /* offline: the next read will do */ });
  }

  /* The place moves as the people ahead are helped, which no event of this conversation says:
   * while queued it is read again every so often, and when the page is shown again. */
  function update(data, status) {
    if (typeof data.position === "number") current = data.position;
    else if (status !== "queued") current = null;
    if (status === "queued" && !timer) {
      timer = setInterval(read, PLACE_REFRESH_MS);
    } else if (status !== "queued" && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  function told(value) { current = value; }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer) read();
  });

  return { position: position, minutesLeft: minutesLeft, update: update, told: told };
};

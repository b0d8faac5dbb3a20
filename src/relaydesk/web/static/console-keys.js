/* relaydesk agent console: keyboard shortcuts (j/k move, n takes the next, t takes this one, r goes
   to the reply, Ctrl+Enter sends, ? lists them); never while someone types in a field. */
import { $, state } from "./console-core.js";

function typing(target) {
  return target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function moveSelection(step) {
  const buttons = Array.from(document.querySelectorAll("#mine button.item, #queue button.item"));
  if (!buttons.length) return;
  const at = buttons.indexOf(document.activeElement);
  const next = at < 0 ? (step > 0 ? 0 : buttons.length - 1) : Math.min(Math.max(at + step, 0), buttons.length - 1);
  buttons[next].focus();
}

/** The keydown listener; ``actions``: sendReply(event), takeNext(), claim() (the open one). */
export function keyHandler(actions) {
  return (event) => {
    if (!state.signedIn) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.id === "reply") {
      actions.sendReply(event);
      return;
    }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if ($("shortcuts").open) return;
    if (event.key === "j") moveSelection(1);
    else if (event.key === "k") moveSelection(-1);
    else if (event.key === "n") actions.takeNext();
    else if (event.key === "r" && !$("reply-form").hidden) $("reply").focus();
    else if (event.key === "t" && state.currentId && !$("conv-body").hidden && !$("claim").hidden) actions.claim();
    else if (event.key === "?") $("shortcuts").showModal();
    else return;
    event.preventDefault();
  };
}

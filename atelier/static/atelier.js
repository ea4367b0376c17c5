// Countdowns run in the browser: the server only sends when the countdown ends (or how much is left while
// paused), so no server timer ticks per connected phone. The server's clock is sent along to cancel skew.
(function () {
  const seen = new WeakMap();
  function format(seconds) {
    const negative = seconds < 0;
    const s = Math.abs(Math.round(seconds));
    const text = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    return negative ? "−" + text : text;
  }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      const ends = el.getAttribute("data-ends");
      const left = el.getAttribute("data-left");
      const serverNow = Number(el.getAttribute("data-now"));
      const key = ends + "|" + left + "|" + serverNow;
      let state = seen.get(el);
      if (!state || state.key !== key) {
        state = { key: key, offset: serverNow - Date.now() };
        seen.set(el, state);
      }
      let seconds = null;
      if (ends) seconds = (Number(ends) - (Date.now() + state.offset)) / 1000;
      else if (left) seconds = Number(left);
      const text = seconds === null ? "" : format(seconds);
      if (el.textContent !== text) el.textContent = text;
      el.classList.toggle("overrun", seconds !== null && seconds < 0);
      el.classList.toggle("paused", !ends && seconds !== null);
    });
  }
  setInterval(tick, 250);
  document.addEventListener("DOMContentLoaded", tick);
})();

// The phone's idea form (atelier/ui/phone.py) is emptied here as "Envoyer" is tapped: the server, once the idea is
// stored, empties its own copy without sending the fields back (one message less per phone in a burst). A refused
// send puts the text back, as the server still holds it, unless the person has started typing again.
window.atelierIdeaForm = {
  set(field, text) {  // as NiceGUI's input takes a value from the server: without sending it back
    field.emitting = false;
    field.inputValue = text;
    field.$nextTick(() => { field.emitting = true; });
  },
  sent(ids) {
    for (const id of ids) {
      const field = getElement(id);
      if (field && field.inputValue) this.set(field, "");
    }
  },
  refused(texts) {
    for (const [id, text] of Object.entries(texts)) {
      const field = getElement(id);
      if (field && !field.inputValue && text) this.set(field, text);
    }
  },
};

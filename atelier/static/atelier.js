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

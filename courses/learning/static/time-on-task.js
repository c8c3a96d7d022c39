/* Time on task (docs/time-on-task.md): counts ACTIVE seconds on a lesson page (visible and
   used in the last 60 s), puts them in the "Mark as done" form, and sends what was not sent
   with a beacon when the page is left. Progressive enhancement: without it, the server
   credits the lesson's estimate. */
(function () {
  "use strict";
  var form = document.getElementById("complete-form");
  if (!form || !navigator.sendBeacon) { return; }
  var field = form.elements.active_seconds;
  var IDLE = 60000, active = 0, sent = 0, lastInput = Date.now();
  field.value = "0";
  function poke() { lastInput = Date.now(); }
  ["keydown", "pointerdown", "pointermove", "scroll", "touchstart", "wheel"].forEach(function (name) {
    window.addEventListener(name, poke, { passive: true });
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { poke(); }
  });
  setInterval(function () {
    if (document.visibilityState === "visible" && Date.now() - lastInput < IDLE) {
      active += 1;
      field.value = String(active - sent);
    }
  }, 1000);
  form.addEventListener("submit", function () {
    field.value = String(active - sent);
    sent = active;
  });
  window.addEventListener("pagehide", function () {
    if (active - sent < 1) { return; }
    var data = new FormData();
    var token = form.elements.csrf_token;
    data.append("csrf_token", token ? token.value : "");
    data.append("served", form.elements.served.value);
    data.append("active_seconds", String(active - sent));
    if (navigator.sendBeacon(form.getAttribute("data-beacon"), data)) { sent = active; }
  });
}());

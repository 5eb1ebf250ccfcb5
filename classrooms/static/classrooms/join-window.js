// Turns a "Opens at ..." placeholder into a Join link once the lesson's join window opens.
(function () {
  "use strict";
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-opens-at][aria-disabled='true']").forEach(function (el) {
      var opensAt = Date.parse(el.getAttribute("data-opens-at"));
      if (!isNaN(opensAt) && now >= opensAt) {
        el.setAttribute("href", el.getAttribute("data-join-href"));
        el.removeAttribute("aria-disabled");
        el.classList.add("btn-primary");
        el.textContent = el.getAttribute("data-ready-label");
      }
    });
  }
  if (window.__lophocJoinWindow) return;
  window.__lophocJoinWindow = true;
  tick();
  setInterval(tick, 15000);
})();

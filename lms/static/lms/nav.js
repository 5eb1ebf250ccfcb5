// The phone menu: at narrow widths the top navigation hides behind a button. The collapsing
// class is only added here, so without JavaScript the navigation simply stays visible.
(function () {
  "use strict";
  var topbar = document.querySelector(".topbar");
  var toggle = topbar && topbar.querySelector(".nav-toggle");
  var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!nav) return;
  topbar.classList.add("has-nav-toggle");

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!topbar.contains(event.target)) setOpen(false);
  });
})();

// Marks a lesson done when the student has read to its end: the end marker came into view
// after the student spent a little while on the page (so opening and jumping down does not count).
(function () {
  "use strict";
  var end = document.getElementById("lesson-end");
  if (!end || !("IntersectionObserver" in window)) return;
  var url = end.getAttribute("data-done-url");
  var minSeconds = parseInt(end.getAttribute("data-min-seconds") || "5", 10);
  var openedAt = Date.now();
  var sent = false;
  var timer = null;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function markDone() {
    if (sent) return;
    var box = document.getElementById("lesson-done");
    if (!box || box.getAttribute("data-done") === "true") return;
    sent = true;
    var body = new URLSearchParams({ source: "read" });
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
      body: body,
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var current = document.getElementById("lesson-done");
        if (current) {
          current.outerHTML = html;
          if (window.htmx) window.htmx.process(document.getElementById("lesson-done"));
        }
      })
      .catch(function () {
        sent = false; // a weak connection: try again the next time the end comes into view
      });
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) {
        if (timer) clearTimeout(timer);
        timer = null;
        return;
      }
      var waited = (Date.now() - openedAt) / 1000;
      if (waited >= minSeconds) {
        markDone();
      } else if (!timer) {
        timer = setTimeout(markDone, (minSeconds - waited) * 1000);
      }
    });
  });
  observer.observe(end);
})();

// Assignment page: deadline countdown, draft autosave, one hand-in per click.
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Countdown in the reader's own clock; the server already printed the date in their zone.
  document.querySelectorAll("[data-countdown]").forEach(function (el) {
    var due = new Date(el.dataset.countdown).getTime();
    function tick() {
      var left = Math.floor((due - Date.now()) / 1000);
      if (left <= 0) { el.textContent = el.dataset.countdownPast; return; }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600),
          m = Math.floor(left % 3600 / 60), s = left % 60;
      // Each unit's words come translated from the page, e.g. "{n} ngày" / "{n}d".
      function unit(name, n) { return el.dataset["countdown" + name].replace("{n}", n); }
      var parts = [];
      if (d) parts.push(unit("Days", d));
      if (d || h) parts.push(unit("Hours", h));
      parts.push(unit("Minutes", m));
      if (!d) parts.push(unit("Seconds", s));
      el.textContent = el.dataset.countdownLeft + " " + parts.join(" ");
      setTimeout(tick, 1000);
    }
    tick();
  });

  // Autosave: a PUT a second after typing stops, and before the tab is hidden.
  document.querySelectorAll("textarea[data-autosave]").forEach(function (area) {
    var status = area.parentElement.querySelector("[data-autosave-status]");
    var timer = null, saved = area.value, inFlight = false;
    function save() {
      if (area.value === saved || inFlight) return;
      var text = area.value;
      inFlight = true;
      fetch(area.dataset.autosave, {
        method: "PUT",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
        body: JSON.stringify({text: text}),
        keepalive: true
      }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        saved = text;
        if (status) status.textContent = status.dataset.savedText || "\u2713 " + new Date().toLocaleTimeString().slice(0, 5);
      }).catch(function () {
        if (status) status.textContent = "\u26a0";
      }).finally(function () { inFlight = false; });
    }
    area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, 1000); });
    document.addEventListener("visibilitychange", function () { if (document.hidden) save(); });
  });

  // Uploads go straight to storage (media/upload.js); each verified file joins the draft.
  document.querySelectorAll("input[type=file][data-upload-slot]").forEach(function (input) {
    if (!window.LophocUpload) return;
    var list = input.closest("fieldset").querySelector("[data-draft-files]");
    var d = input.dataset;
    window.LophocUpload.attach(input, {
      slotUrl: d.uploadSlot,
      csrfToken: csrfToken(),
      fieldName: "files-uploaded",
      messages: {uploading: d.msgUploading, retrying: d.msgRetrying, done: d.msgDone,
                 failed: d.msgFailed, progressLabel: d.msgProgress},
      onDone: function (result) {
        var item = document.createElement("li");
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox"; box.name = "files"; box.value = String(result.file_id);
        box.checked = true;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + result.name));
        item.appendChild(label);
        list.appendChild(item);
        var ids = Array.prototype.map.call(
          list.querySelectorAll("input[name=files]:checked"), function (b) { return Number(b.value); });
        fetch(d.draftApi, {
          method: "PUT",
          credentials: "same-origin",
          headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
          body: JSON.stringify({files: ids})
        });
      }
    });
  });

  // The server makes repeated clicks harmless (same client key); this only avoids the wait.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.setAttribute("aria-busy", "true");
      });
    });
  });
})();

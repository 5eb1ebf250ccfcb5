// Attendance on the live-lesson page: reports the signed-in user joining, leaving and staying
// in the lesson (client evidence, weaker than the video server's), next to the room embedded by
// classrooms. The room's IFrame API object arrives with the "lophoc:jitsi-ready" event (or as
// window.lophocJitsi); presence-check prompts and the teacher's roster are htmx partials.
// Presence is reported from the moment the page is open, whether or not the video room loads
// (a slow or failed room, a weak connection): `video` says which, and the teacher's roster
// shows "here without video" instead of absent.
(function () {
  "use strict";
  var root = document.getElementById("attendance-live");
  if (!root) return;
  var presenceUrl = root.getAttribute("data-presence-url");
  var heartbeatMs = (parseInt(root.getAttribute("data-heartbeat"), 10) || 30) * 1000;
  var connection = "tab-" + Math.random().toString(36).slice(2) + Date.now().toString(36);
  var inRoom = false;
  var video = false;
  var timer = null;
  var attached = [];

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) { return ""; }
  }

  function post(kind, keepalive) {
    return fetch(presenceUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken()
      },
      body: JSON.stringify({ kind: kind, connection: connection, video: video })
    }).catch(function () { /* offline: the next heartbeat tells the rest */ });
  }

  function present() {
    if (inRoom) return;
    inRoom = true;
    root.setAttribute("data-in-room", "true");
    post("joined");
    timer = window.setInterval(function () { post("heartbeat"); }, heartbeatMs);
  }

  function joined() {
    // The video room is up: say so at once (the next heartbeats carry it too).
    video = true;
    root.setAttribute("data-video", "true");
    if (inRoom) post("heartbeat"); else present();
  }

  function videoLost() {
    if (!video) return;
    video = false;
    root.setAttribute("data-video", "false");
    if (inRoom) post("heartbeat");
  }

  function left() {
    if (!inRoom) return;
    inRoom = false;
    video = false;
    root.setAttribute("data-in-room", "false");
    window.clearInterval(timer);
    post("left", true);
  }

  function attach(api) {
    if (!api || typeof api.addListener !== "function" || attached.indexOf(api) !== -1) return;
    attached.push(api);
    api.addListener("videoConferenceJoined", joined);
    // Hanging up is leaving the lesson (a rebuilt room joins again at once). A room that
    // never loads, or dies without a word, leaves the page reporting presence without video.
    api.addListener("videoConferenceLeft", left);
    api.addListener("readyToClose", left);
  }

  document.addEventListener("lophoc:jitsi-ready", function (event) {
    attach(event.detail && event.detail.api);
  });
  // The room may be rebuilt (low-bandwidth switch): pick up a new IFrame API object.
  attach(window.lophocJitsi);
  window.setInterval(function () { attach(window.lophocJitsi); }, 2000);
  window.addEventListener("pagehide", left);
  // A student on the page is in the lesson, with or without the video room.
  if (root.getAttribute("data-reports-presence") === "true") present();
  window.lophocAttendance = {
    joined: joined, left: left, present: present, videoLost: videoLost, connection: connection
  };
})();

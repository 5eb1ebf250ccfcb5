// Embeds the lesson's Jitsi room with the IFrame API. Everything the page needs (domain,
// room, token, configuration, translated labels) is rendered by the server.
//
// The IFrame API script comes from the video server, which may be slow or down. It is loaded
// here, asynchronously and with a timeout, so nothing else on the page (htmx, attendance's
// presence reporting, the roster) ever waits for it. Other scripts learn what the room did
// through document events:
//   lophoc:jitsi-ready   {api, sessionId}  the IFrame API object exists (the room is loading)
//   lophoc:room-ready    {api, sessionId}  this user has joined the conference
//   lophoc:room-failed   {reason}          the script did not load ("timeout" or "error")
//   lophoc:low-bandwidth {on}              the user switched low-bandwidth mode
(function () {
  "use strict";
  var STORAGE_KEY = "lophoc.lowBandwidth";
  var dataEl = document.getElementById("live-join");
  var node = document.getElementById("jitsi-room");
  var tools = document.getElementById("live-tools");
  var stage = document.querySelector("[data-testid='live-stage']");
  if (!dataEl || !node || !tools || !stage) return;
  var join = JSON.parse(dataEl.textContent);
  var scriptUrl = tools.getAttribute("data-script-url");
  var timeoutMs = (parseInt(tools.getAttribute("data-script-timeout"), 10) || 10) * 1000;
  var api = null;
  var lobbyOn = false;
  var joined = false;
  var moderator = false;
  var myId = null;
  var others = {};
  var attempt = 0;

  function label(name) { return tools.getAttribute("data-label-" + name) || ""; }
  function emit(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail || {} }));
  }
  function status(text) {
    var el = tools.querySelector("[data-role='status']");
    if (el) el.textContent = text;
  }
  function lowBandwidth() {
    try { return window.localStorage.getItem(STORAGE_KEY) === "1"; } catch (e) { return false; }
  }
  function setLowBandwidth(on) {
    try { window.localStorage.setItem(STORAGE_KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
    emit("lophoc:low-bandwidth", { on: on });
  }
  function merge(base, extra) {
    var out = {};
    Object.keys(base || {}).forEach(function (k) { out[k] = base[k]; });
    Object.keys(extra || {}).forEach(function (k) { out[k] = extra[k]; });
    return out;
  }
  function setStage(state) {
    stage.setAttribute("data-state", state);
    stage.querySelector("[data-role='loading']").hidden = state !== "loading";
    stage.querySelector("[data-role='failed']").hidden = state !== "failed";
  }
  function othersCount() { return Object.keys(others).length; }

  // Moderator buttons only work once the room has let this user in as a moderator.
  function paintModeratorButtons() {
    var ready = joined && moderator;
    tools.querySelectorAll("[data-needs-room]").forEach(function (button) {
      button.disabled = !ready;
    });
    if (!tools.querySelector("[data-needs-room]")) return;
    if (ready) status(label("ready"));
    else if (joined) status(label("not-moderator"));
  }

  function options() {
    var low = !join.moderator && lowBandwidth();
    var config = low ? merge(join.config_overwrite, join.low_bandwidth_overwrite) : join.config_overwrite;
    var opts = {
      roomName: join.room_path,
      parentNode: node,
      width: "100%",
      height: "100%",
      lang: join.language,
      configOverwrite: config,
      interfaceConfigOverwrite: join.interface_config_overwrite,
      userInfo: { displayName: join.display_name, email: join.email }
    };
    if (join.jwt) opts.jwt = join.jwt;
    return opts;
  }

  function listen(current) {
    if (typeof current.addListener !== "function") return;
    current.addListener("readyToClose", function () {
      window.location.href = tools.getAttribute("data-after-url") || window.location.href;
    });
    current.addListener("videoConferenceJoined", function (event) {
      if (current !== api) return;
      joined = true;
      myId = event && event.id;
      if (event && event.role === "moderator") moderator = true;
      // The name in the room is always the real name, even if someone edits it there.
      if (typeof current.executeCommand === "function") {
        current.executeCommand("displayName", join.display_name);
      }
      paintModeratorButtons();
      emit("lophoc:room-ready", { api: current, sessionId: join.session });
    });
    current.addListener("videoConferenceLeft", function () {
      if (current !== api) return;
      joined = false;
      others = {};
      paintModeratorButtons();
    });
    current.addListener("participantRoleChanged", function (event) {
      if (current !== api || !event) return;
      if (myId === null || event.id === myId) {
        moderator = event.role === "moderator";
        paintModeratorButtons();
      }
    });
    current.addListener("participantJoined", function (event) {
      if (current === api && event && event.id) others[event.id] = true;
    });
    current.addListener("participantLeft", function (event) {
      if (current === api && event && event.id) delete others[event.id];
    });
    current.addListener("errorOccurred", function (event) {
      if (current !== api) return;
      var error = (event && event.error) || {};
      status(label("room-error") + " " + (error.message || error.name || ""));
    });
  }

  function start() {
    if (typeof window.JitsiMeetExternalAPI !== "function") return;
    if (api && typeof api.dispose === "function") api.dispose();
    joined = false;
    moderator = false;
    others = {};
    paintModeratorButtons();
    setStage("ready");
    api = new window.JitsiMeetExternalAPI(join.domain, options());
    window.lophocJitsi = api; // other scripts (attendance) may listen to the room's events
    listen(api);
    emit("lophoc:jitsi-ready", { api: api, sessionId: join.session });
  }

  function fail(reason) {
    setStage("failed");
    status(""); // the video area says what happened; "waiting for the room" would be untrue
    emit("lophoc:room-failed", { reason: reason });
  }

  // Loads the IFrame API script; a late answer after the timeout still brings the room up.
  function load() {
    if (typeof window.JitsiMeetExternalAPI === "function") { start(); return; }
    attempt += 1;
    var mine = attempt;
    var settled = false;
    setStage("loading");
    var script = document.createElement("script");
    script.async = true;
    script.src = scriptUrl;
    var timer = window.setTimeout(function () {
      if (settled || mine !== attempt) return;
      settled = true;
      fail("timeout");
    }, timeoutMs);
    script.onload = function () {
      window.clearTimeout(timer);
      settled = true;
      if (typeof window.JitsiMeetExternalAPI === "function") start();
      else fail("error");
    };
    script.onerror = function () {
      window.clearTimeout(timer);
      if (settled || mine !== attempt) return;
      settled = true;
      fail("error");
    };
    document.head.appendChild(script);
  }

  function paintLowBandwidth(button) {
    var on = lowBandwidth();
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? label("low-on") : label("low-off");
    button.classList.toggle("btn-primary", on);
  }

  function muteEveryone() {
    var count = othersCount();
    if (typeof api.getNumberOfParticipants === "function") {
      var total = api.getNumberOfParticipants();
      if (typeof total === "number" && total >= 1) count = total - 1;
    }
    if (count < 1) {
      status(label("nobody"));
      return;
    }
    api.executeCommand("muteEveryone", "audio");
    status(label("muted").replace("{count}", String(count)));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action]");
    if (!button || !(tools.contains(button) || stage.contains(button))) return;
    var action = button.getAttribute("data-action");
    if (action === "low-bandwidth") {
      setLowBandwidth(!lowBandwidth());
      paintLowBandwidth(button);
      load(); // rejoin with the lighter configuration
    } else if (action === "low-bandwidth-retry") {
      setLowBandwidth(true);
      var lowButton = tools.querySelector("[data-action='low-bandwidth']");
      if (lowButton) paintLowBandwidth(lowButton);
      load();
    } else if (action === "retry") {
      load();
    } else if (action === "lobby") {
      if (!api || !joined) return;
      lobbyOn = !lobbyOn;
      api.executeCommand("toggleLobby", lobbyOn);
      button.setAttribute("aria-pressed", lobbyOn ? "true" : "false");
      button.textContent = lobbyOn ? label("lobby-on") : label("lobby-off");
      status(lobbyOn ? label("lobby-asked-on") : label("lobby-asked-off"));
    } else if (action === "mute-all") {
      if (api && joined) muteEveryone();
    }
  });

  // "End for everyone" is a plain form (the server ends the lesson and says so on the next
  // page); the room is closed first when it is there.
  var endForm = tools.querySelector("[data-testid='end-all-form']");
  if (endForm) {
    endForm.addEventListener("submit", function (event) {
      if (!window.confirm(label("confirm-end"))) {
        event.preventDefault();
        return;
      }
      if (api && joined && typeof api.executeCommand === "function") {
        api.executeCommand("endConference");
      }
    });
  }

  var low = tools.querySelector("[data-action='low-bandwidth']");
  if (low) paintLowBandwidth(low);
  // A script inserted before the page's load event would hold that event (and the browser's
  // busy indicator) for as long as the video server takes: start once the page has loaded.
  if (document.readyState === "complete") load();
  else window.addEventListener("load", load, { once: true });
})();

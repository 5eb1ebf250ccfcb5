// Embeds the lesson's Jitsi room with the IFrame API. Everything the page needs (domain,
// room, token, configuration, translated labels) is rendered by the server.
(function () {
  "use strict";
  var STORAGE_KEY = "lophoc.lowBandwidth";
  var dataEl = document.getElementById("live-join");
  var node = document.getElementById("jitsi-room");
  var tools = document.getElementById("live-tools");
  if (!dataEl || !node || !tools) return;
  var join = JSON.parse(dataEl.textContent);
  var api = null;
  var lobbyOn = false;

  function label(name) { return tools.getAttribute("data-label-" + name) || ""; }
  function status(text) {
    var el = tools.querySelector("[data-role='status']");
    if (el) el.textContent = text;
  }
  function lowBandwidth() {
    try { return window.localStorage.getItem(STORAGE_KEY) === "1"; } catch (e) { return false; }
  }
  function setLowBandwidth(on) {
    try { window.localStorage.setItem(STORAGE_KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
  }
  function merge(base, extra) {
    var out = {};
    Object.keys(base || {}).forEach(function (k) { out[k] = base[k]; });
    Object.keys(extra || {}).forEach(function (k) { out[k] = extra[k]; });
    return out;
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
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

  function start() {
    if (typeof window.JitsiMeetExternalAPI !== "function") {
      status(label("load-error"));
      return;
    }
    if (api && typeof api.dispose === "function") api.dispose();
    api = new window.JitsiMeetExternalAPI(join.domain, options());
    window.lophocJitsi = api; // other scripts (attendance) may listen to the room's events
    document.dispatchEvent(
      new CustomEvent("lophoc:jitsi-ready", { detail: { api: api, sessionId: join.session } })
    );
    if (typeof api.addListener === "function") {
      api.addListener("readyToClose", function () {
        window.location.href = tools.getAttribute("data-after-url");
      });
      api.addListener("videoConferenceJoined", function () {
        // The name in the room is always the real name, even if someone edits it there.
        if (typeof api.executeCommand === "function") {
          api.executeCommand("displayName", join.display_name);
        }
      });
    }
  }

  function command() {
    if (api && typeof api.executeCommand === "function") {
      api.executeCommand.apply(api, arguments);
    }
  }

  function paintLowBandwidth(button) {
    var on = lowBandwidth();
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? label("low-on") : label("low-off");
    button.classList.toggle("btn-primary", on);
  }

  tools.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action]");
    if (!button) return;
    var action = button.getAttribute("data-action");
    if (action === "low-bandwidth") {
      setLowBandwidth(!lowBandwidth());
      paintLowBandwidth(button);
      start(); // rejoin with the lighter configuration
    } else if (action === "lobby") {
      lobbyOn = !lobbyOn;
      command("toggleLobby", lobbyOn);
      button.setAttribute("aria-pressed", lobbyOn ? "true" : "false");
      button.textContent = lobbyOn ? label("lobby-on") : label("lobby-off");
    } else if (action === "mute-all") {
      command("muteEveryone", "audio");
      status(label("muted"));
    } else if (action === "end-all") {
      if (!window.confirm(label("confirm-end"))) return;
      fetch(tools.getAttribute("data-end-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
      }).finally(function () {
        command("endConference");
        window.location.href = tools.getAttribute("data-after-url");
      });
    }
  });

  var lowButton = tools.querySelector("[data-action='low-bandwidth']");
  if (lowButton) paintLowBandwidth(lowButton);
  start();
})();

// A stand-in for Jitsi's external_api.js, used by the browser tests (JITSI_EXTERNAL_API_URL):
// it records what the page passes to the IFrame API instead of opening a room, and lets a test
// play the room's events with window.__jitsiEmit(name, data).
(function () {
  "use strict";
  window.__jitsiCommands = [];
  window.JitsiMeetExternalAPI = function (domain, options) {
    var copy = {};
    var listeners = {};
    Object.keys(options).forEach(function (key) {
      if (key !== "parentNode") copy[key] = options[key];
    });
    copy.domain = domain;
    window.__jitsiOptions = copy;
    window.__jitsiCreated = (window.__jitsiCreated || 0) + 1;
    this.executeCommand = function () {
      window.__jitsiCommands.push(Array.prototype.slice.call(arguments));
    };
    this.addListener = function (name, callback) {
      (listeners[name] = listeners[name] || []).push(callback);
    };
    this.dispose = function () { listeners = {}; };
    window.__jitsiEmit = function (name, data) {
      (listeners[name] || []).forEach(function (callback) { callback(data); });
    };
  };
})();

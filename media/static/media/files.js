/* The "My files" page: the file input uploads on change, then the list reloads. */
(function () {
  "use strict";
  var input = document.querySelector("[data-upload-input]");
  if (!input || !window.LophocUpload) return;
  window.LophocUpload.attach(input, {
    messages: {
      uploading: input.dataset.msgUploading,
      retrying: input.dataset.msgRetrying,
      done: input.dataset.msgDone,
      failed: input.dataset.msgFailed,
      progressLabel: input.dataset.msgProgress,
    },
    onDone: function () {
      setTimeout(function () { window.location.reload(); }, 1200);
    },
  });
})();

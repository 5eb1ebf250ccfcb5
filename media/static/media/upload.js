/* Lophoc uploads: straight from the browser to storage, with progress and resume.
 *
 * window.LophocUpload.upload(file, {slotUrl, csrfToken, onProgress, signal})
 *   -> Promise<{file_id, name, size, sha256}>
 * asks slotUrl for an upload slot, sends the bytes where the slot says (one form POST, or
 * multipart parts PUT one by one with retries), then asks the server to verify the file.
 * A multipart upload interrupted by a dropped connection or a reload resumes: the slot is
 * remembered in localStorage under the file's name, size and date, and the next attempt asks
 * which parts storage already has and sends only the others.
 *
 * window.LophocUpload.attach(input, options) wires a file input to upload on change, with a
 * progress bar, a status line and a hidden input per verified file (options.messages holds the
 * translated texts).
 */
(function () {
  "use strict";

  var STORE_PREFIX = "lophoc-upload:";
  var RETRIES = 5;
  var FILES_API = "/api/v1/files/";

  function csrfFromCookie() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function storeKey(file, slotUrl) {
    return STORE_PREFIX + [slotUrl, file.name, file.size, file.lastModified].join("|");
  }

  function remember(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* Private mode or a full store: the upload still works, it just cannot resume. */
    }
  }

  function recall(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (e) {
      return null;
    }
  }

  function abortError() {
    var error = new Error("The upload was cancelled.");
    error.name = "AbortError";
    return error;
  }

  function delay(ms, signal) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(resolve, ms);
      if (signal) {
        signal.addEventListener("abort", function () {
          clearTimeout(timer);
          reject(abortError());
        }, { once: true });
      }
    });
  }

  /* One XHR as a promise: {status, body (parsed JSON or text)}; network failures reject. */
  function send(method, url, options) {
    options = options || {};
    return new Promise(function (resolve, reject) {
      if (options.signal && options.signal.aborted) return reject(abortError());
      var xhr = new XMLHttpRequest();
      xhr.open(method, url, true);
      Object.keys(options.headers || {}).forEach(function (name) {
        xhr.setRequestHeader(name, options.headers[name]);
      });
      if (options.onProgress && xhr.upload) {
        xhr.upload.onprogress = function (event) {
          if (event.lengthComputable) options.onProgress(event.loaded);
        };
      }
      xhr.onload = function () {
        var body = xhr.responseText;
        try {
          body = body ? JSON.parse(body) : null;
        } catch (e) {
          /* S3 answers XML or nothing; keep the text. */
        }
        resolve({ status: xhr.status, body: body });
      };
      xhr.onerror = function () {
        var error = new Error("The connection was lost.");
        error.name = "NetworkError";
        reject(error);
      };
      xhr.ontimeout = xhr.onerror;
      if (options.signal) {
        options.signal.addEventListener("abort", function () {
          xhr.abort();
          reject(abortError());
        }, { once: true });
      }
      xhr.send(options.body === undefined ? null : options.body);
    });
  }

  function apiError(answer, fallback) {
    var body = answer && answer.body;
    var error = new Error((body && body.detail) || fallback || "The upload failed.");
    error.code = (body && body.code) || "error";
    /* Only the app's own messages are translated; storage's XML errors are not shown. */
    error.fromServer = Boolean(body && body.detail);
    error.status = answer && answer.status;
    return error;
  }

  function jsonHeaders(csrfToken) {
    return {
      "Content-Type": "application/json",
      "Accept": "application/json",
      "X-CSRFToken": csrfToken,
    };
  }

  /* Retries a step on lost connections and 5xx, waiting longer each time. */
  function withRetries(step, signal, onRetry) {
    var attempt = 0;
    function run() {
      return step().then(function (answer) {
        if (answer.status >= 500 && attempt < RETRIES) return again();
        return answer;
      }, function (error) {
        if (error.name === "AbortError" || attempt >= RETRIES) throw error;
        return again();
      });
    }
    function again() {
      attempt += 1;
      if (onRetry) onRetry(attempt);
      return delay(Math.min(1000 * Math.pow(2, attempt - 1), 15000), signal).then(run);
    }
    return run();
  }

  function Upload(file, options) {
    this.file = file;
    this.options = options;
    this.slotUrl = options.slotUrl || FILES_API;
    this.csrf = options.csrfToken || csrfFromCookie();
    this.signal = options.signal;
    this.key = storeKey(file, this.slotUrl);
    this.sentBytes = 0;
  }

  Upload.prototype.progress = function (bytes) {
    if (this.options.onProgress) {
      this.options.onProgress({ loaded: Math.min(bytes, this.file.size), total: this.file.size });
    }
  };

  Upload.prototype.url = function (fileId, action) {
    var base = this.options.filesApi || FILES_API;
    return base + fileId + "/" + action + "/";
  };

  Upload.prototype.newSlot = function () {
    var self = this;
    var body = JSON.stringify({
      name: self.file.name,
      size: self.file.size,
      content_type: self.file.type || "",
    });
    return withRetries(function () {
      return send("POST", self.slotUrl, {
        headers: jsonHeaders(self.csrf), body: body, signal: self.signal,
      });
    }, self.signal, self.options.onRetry).then(function (answer) {
      if (answer.status !== 201 && answer.status !== 200) throw apiError(answer);
      remember(self.key, { file_id: answer.body.file_id, method: answer.body.method });
      return answer.body;
    });
  };

  /* What storage already has of a remembered upload, or null to start over. */
  Upload.prototype.resumeState = function (saved) {
    var self = this;
    return send("GET", self.url(saved.file_id, "parts"), {
      headers: { "Accept": "application/json" }, signal: self.signal,
    }).then(function (answer) {
      if (answer.status === 200) return answer.body;
      remember(self.key, null);
      return null;
    }, function (error) {
      if (error.name === "AbortError") throw error;
      return null;
    });
  };

  Upload.prototype.postForm = function (slot) {
    var self = this;
    return withRetries(function () {
      var form = new FormData();
      Object.keys(slot.fields).forEach(function (name) {
        form.append(name, slot.fields[name]);
      });
      form.append("file", self.file);
      return send("POST", slot.url, {
        body: form,
        signal: self.signal,
        onProgress: function (loaded) { self.progress(loaded); },
      });
    }, self.signal, self.options.onRetry).then(function (answer) {
      if (answer.status < 200 || answer.status >= 300) throw apiError(answer);
      self.progress(self.file.size);
    });
  };

  Upload.prototype.putParts = function (state) {
    var self = this;
    var partSize = state.part_size;
    var done = 0;
    (state.done || []).forEach(function (part) { done += part.size; });
    self.progress(done);
    var missing = (state.missing || state.parts || []).slice();

    function next() {
      if (!missing.length) return Promise.resolve();
      var part = missing.shift();
      var start = (part.part_number - 1) * partSize;
      var blob = self.file.slice(start, Math.min(start + partSize, self.file.size));
      return withRetries(function () {
        return send("PUT", part.url, {
          body: blob,
          signal: self.signal,
          onProgress: function (loaded) { self.progress(done + loaded); },
        });
      }, self.signal, self.options.onRetry).then(function (answer) {
        if (answer.status === 403) {
          /* The part URLs expired (a long pause): ask for fresh ones and carry on. */
          return self.resumeState({ file_id: state.file_id }).then(function (fresh) {
            if (!fresh) throw apiError(answer);
            return self.putParts(fresh);
          });
        }
        if (answer.status < 200 || answer.status >= 300) throw apiError(answer);
        done += blob.size;
        self.progress(done);
        return next();
      });
    }
    return next();
  };

  Upload.prototype.complete = function (fileId, tries) {
    var self = this;
    return withRetries(function () {
      return send("POST", self.url(fileId, "complete"), {
        headers: jsonHeaders(self.csrf), signal: self.signal,
      });
    }, self.signal, self.options.onRetry).then(function (answer) {
      if (answer.status === 200) {
        remember(self.key, null);
        return {
          file_id: answer.body.id,
          name: answer.body.name,
          size: answer.body.size,
          sha256: answer.body.sha256,
        };
      }
      if (answer.body && answer.body.code === "incomplete" && (tries || 0) < 2) {
        /* Storage lacks a part (a PUT that seemed to succeed did not): send what is missing. */
        return self.resumeState({ file_id: fileId }).then(function (state) {
          if (!state) throw apiError(answer);
          return self.sendBytes(state).then(function () {
            return self.complete(fileId, (tries || 0) + 1);
          });
        });
      }
      if (answer.status === 400 || answer.status === 404) remember(self.key, null);
      throw apiError(answer);
    });
  };

  Upload.prototype.sendBytes = function (state) {
    if (state.method === "multipart") return this.putParts(state);
    return this.postForm(state.slot || state);
  };

  Upload.prototype.run = function () {
    var self = this;
    var saved = recall(self.key);
    var start = saved ? self.resumeState(saved) : Promise.resolve(null);
    return start.then(function (state) {
      return state || self.newSlot();
    }).then(function (state) {
      return self.sendBytes(state).then(function () {
        return self.complete(state.file_id);
      });
    });
  };

  function upload(file, options) {
    return new Upload(file, options || {}).run();
  }

  function formatPercent(loaded, total) {
    return total ? Math.floor((loaded / total) * 100) : 100;
  }

  function el(tag, attributes) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    return node;
  }

  /* A file input that uploads on change. options: slotUrl, csrfToken, fieldName (hidden
   * inputs with the verified ids, default "files"), onDone(result), messages: {uploading,
   * retrying, done, failed, progressLabel} where "{name}" and "{percent}" are replaced. */
  function attach(input, options) {
    options = options || {};
    var messages = options.messages || {};
    var box = el("div", { "class": "upload-progress", "data-upload": "" });
    var bar = el("progress", { max: "100", value: "0", "aria-label": messages.progressLabel || "" });
    var status = el("p", { "class": "upload-status small", role: "status", "aria-live": "polite" });
    bar.hidden = true;
    box.appendChild(bar);
    box.appendChild(status);
    input.insertAdjacentElement("afterend", box);

    function say(template, values) {
      var text = template || "";
      Object.keys(values || {}).forEach(function (name) {
        text = text.split("{" + name + "}").join(values[name]);
      });
      status.textContent = text;
    }

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      var chain = Promise.resolve();
      files.forEach(function (file) {
        chain = chain.then(function () {
          bar.hidden = false;
          bar.value = 0;
          box.removeAttribute("data-state");
          say(messages.uploading, { name: file.name, percent: "0%" });
          return upload(file, {
            slotUrl: options.slotUrl,
            csrfToken: options.csrfToken,
            filesApi: options.filesApi,
            onProgress: function (p) {
              var percent = formatPercent(p.loaded, p.total);
              bar.value = percent;
              say(messages.uploading, { name: file.name, percent: percent + "%" });
            },
            onRetry: function () {
              say(messages.retrying, { name: file.name });
            },
          }).then(function (result) {
            bar.value = 100;
            box.setAttribute("data-state", "done");
            say(messages.done, { name: result.name });
            if (input.form) {
              var hidden = el("input", {
                type: "hidden", name: options.fieldName || "files", value: String(result.file_id),
              });
              input.form.appendChild(hidden);
            }
            if (options.onDone) options.onDone(result);
          }, function (error) {
            box.setAttribute("data-state", "failed");
            say(error.fromServer ? error.message : messages.failed, { name: file.name });
            if (options.onError) options.onError(error);
          });
        });
      });
    });
    return { progress: bar, status: status };
  }

  window.LophocUpload = { upload: upload, attach: attach };
})();

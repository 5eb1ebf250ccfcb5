// The grading page: autosave with the grade's version, conflicts shown side by side,
// keyboard navigation, and inline previews (pdf.js served by the app, images as <img>).
const config = JSON.parse(document.getElementById("grader-config").textContent);
const form = document.getElementById("grade-form");
const status = document.getElementById("save-status");
const conflict = document.getElementById("conflict");
const scoreInput = document.getElementById("score");
const text = (key) => form.dataset[key] || "";
let version = config.version;
let scoreTyped = false;
let dirty = false;
let timer = null;
let saving = Promise.resolve();

function csrf() {
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function shown(value) {
  if (value === null || value === undefined || value === "") return "—";
  let out = String(value);
  if (out.includes(".")) out = out.replace(/0+$/, "").replace(/\.$/, "");
  return config.language.startsWith("vi") ? out.replace(".", ",") : out;
}

function selections() {
  return [...form.querySelectorAll("fieldset.criterion")].map((box) => {
    const checked = box.querySelector("input[type=radio]:checked");
    const comment = box.querySelector("textarea");
    return {
      criterion: Number(box.dataset.criterion),
      level: checked ? Number(checked.value) : null,
      comment: comment ? comment.value : "",
    };
  });
}

function payload() {
  const body = {
    version,
    comment: form.comment.value,
    excused: form.excused.checked,
  };
  if (form.querySelector("fieldset.criterion")) body.rubric_selections = selections();
  if (scoreTyped || !body.rubric_selections) body.score = scoreInput.value.trim();
  if (form.reason) body.reason = form.reason.value;
  return body;
}

function say(message, kind) {
  status.textContent = message;
  status.dataset.kind = kind || "";
}

async function save() {
  clearTimeout(timer);
  if (!dirty) return;
  dirty = false;
  const body = payload();
  say(form.dataset.saving || "…");
  let response;
  try {
    response = await fetch(config.api, {
      method: "PUT",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
  } catch (error) {
    dirty = true;
    say(status.dataset.offline || "Not saved: no connection. Retrying…", "error");
    timer = setTimeout(queueSave, 5000);
    return;
  }
  const data = await response.json().catch(() => ({}));
  if (response.ok) {
    version = data.version;
    scoreTyped = false;
    scoreInput.value = data.score === null ? "" : shown(data.raw_score);
    const time = new Date().toLocaleTimeString(config.language, { hour: "2-digit", minute: "2-digit" });
    say(`${text("savedLabel")} ${time}`.trim(), "ok");
    conflict.hidden = true;
  } else if (response.status === 409 && data.current) {
    dirty = true;
    clearTimeout(timer);
    conflict.hidden = false;
    conflict.querySelector("[data-theirs]").textContent =
      `${shown(data.current.score)}${data.current.comment ? " · " + data.current.comment : ""}`;
    const mine = body.score !== undefined ? body.score : scoreInput.value;
    conflict.querySelector("[data-yours]").textContent =
      `${shown(mine)}${body.comment ? " · " + body.comment : ""}`;
    conflict.dataset.currentVersion = data.current.version;
    say(data.detail, "error");
    conflict.querySelector("[data-keep-mine]").focus();
  } else {
    dirty = true;
    say(data.detail || String(response.status), "error");
  }
}

// Saves run one after another, each with the version the previous one returned.
function queueSave() {
  saving = saving.then(save, save);
  return saving;
}

function changed(event) {
  if (event.target === scoreInput) scoreTyped = true;
  if (event.target.name && event.target.name.startsWith("criterion-")) scoreTyped = false;
  dirty = true;
  if (!conflict.hidden) return; // wait for the grader's choice
  clearTimeout(timer);
  timer = setTimeout(queueSave, 800);
}

form.dataset.savedLabel = status.dataset.saved || "✓";
form.addEventListener("input", changed);
form.addEventListener("change", changed);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  dirty = true;
  queueSave();
});

conflict.querySelector("[data-keep-mine]").addEventListener("click", () => {
  version = Number(conflict.dataset.currentVersion);
  conflict.hidden = true;
  dirty = true;
  queueSave();
});
conflict.querySelector("[data-take-theirs]").addEventListener("click", () => location.reload());

const releaseButton = form.querySelector("[data-release]");
if (releaseButton) {
  releaseButton.addEventListener("click", async () => {
    await queueSave();
    const response = await fetch(config.release, {
      method: "POST",
      headers: { "X-CSRFToken": csrf() },
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({}));
    say(response.ok ? releaseButton.dataset.done || "✓" : data.detail, response.ok ? "ok" : "error");
  });
}

async function go(url) {
  if (!url) return;
  if (dirty) await queueSave();
  await saving;
  if (!dirty) location.href = url;
}

document.addEventListener("keydown", (event) => {
  if (event.altKey && event.key === "ArrowRight") {
    event.preventDefault();
    go(config.next);
  } else if (event.altKey && event.key === "ArrowLeft") {
    event.preventDefault();
    go(config.previous);
  } else if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
    event.preventDefault();
    dirty = true;
    queueSave();
  }
});
window.addEventListener("beforeunload", (event) => {
  if (dirty) event.preventDefault();
});

async function link(index) {
  const response = await fetch(config.files[index].url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(String(response.status));
  return (await response.json()).url;
}

async function preview(box) {
  const index = Number(box.dataset.preview);
  const file = config.files[index];
  const type = file.type || "";
  try {
    if (type === "application/pdf") {
      const pdfjs = await import(config.pdfjs);
      pdfjs.GlobalWorkerOptions.workerSrc = config.pdfjsWorker;
      const doc = await pdfjs.getDocument({ url: await link(index), isEvalSupported: false }).promise;
      box.textContent = "";
      for (let n = 1; n <= Math.min(doc.numPages, 30); n += 1) {
        const page = await doc.getPage(n);
        const viewport = page.getViewport({ scale: 1.3 });
        const canvas = document.createElement("canvas");
        canvas.width = viewport.width;
        canvas.height = viewport.height;
        canvas.setAttribute("role", "img");
        canvas.setAttribute("aria-label", `${file.name} · ${n}/${doc.numPages}`);
        box.append(canvas);
        await page.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
      }
    } else if (type.startsWith("image/")) {
      const img = document.createElement("img");
      img.alt = file.name;
      img.src = await link(index);
      box.replaceChildren(img);
    } else {
      box.replaceChildren(Object.assign(document.createElement("p"), {
        className: "muted small",
        textContent: box.dataset.none || "—",
      }));
    }
  } catch (error) {
    box.replaceChildren(Object.assign(document.createElement("p"), {
      className: "muted small",
      textContent: `${box.dataset.failed || "!"} (${error.message})`,
    }));
  }
}

document.querySelectorAll("[data-preview]").forEach(preview);
document.querySelectorAll("[data-download]").forEach((button) => {
  button.addEventListener("click", async () => {
    location.href = await link(Number(button.dataset.download));
  });
});

// Inline gradebook editing: arrow keys move, Enter (or leaving the cell) saves through the
// grade API with the cell's version; a conflict marks the cell instead of overwriting.
const table = document.getElementById("gradebook");
if (table && table.dataset.editable) {
  const csrf = () => (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  const inputs = [...table.querySelectorAll("input[data-grid]")];
  const at = new Map(inputs.map((input) => [input.dataset.grid, input]));
  inputs.forEach((input) => (input.dataset.before = input.value));

  async function save(input) {
    const value = input.value.trim();
    if (value === input.dataset.before) return;
    const cell = input.closest("td");
    const student = input.closest("tr").dataset.student;
    const version = Number(cell.dataset.version) || null;
    const excused = value.toUpperCase() === "EX";
    const body = excused ? { version, excused: true } : { version, score: value, excused: false };
    const response = await fetch(`${table.dataset.api}${cell.dataset.assignment}/grades/${student}/`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", "X-CSRFToken": decodeURIComponent(csrf()) },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (response.ok) {
      cell.dataset.version = data.version;
      cell.dataset.state = "saved";
      input.dataset.before = value;
      input.title = table.dataset.saved;
    } else {
      cell.dataset.state = "error";
      input.title = response.status === 409 ? table.dataset.conflict : data.detail || "";
      input.setAttribute("aria-invalid", "true");
    }
  }

  function move(input, dr, dc) {
    const [r, c] = input.dataset.grid.split(",").map(Number);
    const next = at.get(`${r + dr},${c + dc}`);
    if (next) {
      next.focus();
      next.select();
    }
  }

  table.addEventListener("keydown", (event) => {
    const input = event.target.closest("input[data-grid]");
    if (!input) return;
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], Enter: [1, 0] };
    if (event.key === "ArrowLeft" && input.selectionStart === 0) moves.ArrowLeft = [0, -1];
    if (event.key === "ArrowRight" && input.selectionEnd === input.value.length) moves.ArrowRight = [0, 1];
    if (event.key === "Escape") {
      input.value = input.dataset.before;
      return;
    }
    const step = moves[event.key];
    if (!step) return;
    event.preventDefault();
    save(input);
    move(input, ...step);
  });
  table.addEventListener("focusout", (event) => {
    const input = event.target.closest("input[data-grid]");
    if (input) save(input);
  });
}

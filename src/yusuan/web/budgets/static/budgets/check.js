// Live check: after a change, post the form to the same address with _check=1 and place each
// finding beside its field (the server runs the core's rules on the unsaved entry).
(function () {
  const form = document.querySelector("form.live-check");
  if (!form) return;
  let timer = null;
  let sequence = 0;
  function place(key, html) {
    form.querySelectorAll('[data-findings-for="' + key + '"]').forEach(function (box) { box.innerHTML = html; });
  }
  async function check() {
    const mine = ++sequence;
    const data = new FormData(form);
    data.set("_check", "1");
    const response = await fetch(form.dataset.checkUrl, { method: "POST", body: data, headers: { "X-Requested-With": "fetch" } });
    if (!response.ok || mine !== sequence) return;
    const result = await response.json();
    form.querySelectorAll("[data-findings-for]").forEach(function (box) { box.innerHTML = ""; });
    if (result._errors) return;
    const rows = {};
    (result._rows || "").split(",").filter(Boolean).forEach(function (pair) {
      const parts = pair.split(":");
      rows[parts[0]] = parts[1];
    });
    form.querySelectorAll(".indicator-findings [data-index]").forEach(function (box) {
      const row = rows[box.dataset.index];
      box.dataset.findingsFor = row ? "indicator-" + row : "indicator-none";
    });
    Object.keys(result).forEach(function (key) { if (key[0] !== "_" || key === "_general") place(key, result[key]); });
    form.dataset.fatal = result._fatal || "0";
    form.dataset.checked = String(mine);
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 300); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(check, 50); });
})();

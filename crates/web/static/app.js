// The platform's only script: small behaviours declared in the markup, so that pages carry no
// inline script and the Content-Security-Policy can forbid it.
//   <button data-print>            prints the page
//   <form data-confirm="…">        asks before submitting
//   <input data-choose="scenarios" list="dl" data-chosen="id">   offers the records whose names
//       hold what is typed (from the API's search), sends the chosen record's number and names it
//       in the element `data-chosen` names;
//       data-choose-kind="select-id" takes the kind from a select (organisation → organisations)
//   <button data-add-row="fieldset-id">  adds one more (empty) copy of the fieldset's last row
document.addEventListener("click", (e) => {
  if (e.target.closest("[data-print]")) window.print();
  const add = e.target.closest("[data-add-row]");
  const set = add && document.getElementById(add.getAttribute("data-add-row"));
  const rows = set && set.querySelectorAll("[data-repeat]");
  if (rows && rows.length) {
    const copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll("input").forEach((i) => { i.value = ""; i.removeAttribute("id"); });
    rows[rows.length - 1].after(copy);
  }
});
document.addEventListener("submit", (e) => {
  const msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});

// Choosers: search records by name through the API as the user types.
const chooserKind = (input) => {
  const from = input.getAttribute("data-choose-kind");
  const sel = from && document.getElementById(from);
  return sel ? `${sel.value}s` : input.getAttribute("data-choose");
};
const titleOf = (r) => {
  const en = document.documentElement.lang === "en";
  const name = en ? (r.title_en || r.name_en || r.title_zh || r.name_zh || r.title) : (r.title_zh || r.name_zh || r.title || r.title_en || r.name_en);
  const org = en ? (r.org_name_en || r.org_name_zh) : (r.org_name_zh || r.org_name_en);
  return org ? `${name} · ${org}` : name;
};
const chooserTimers = new WeakMap();
document.addEventListener("input", (e) => {
  const input = e.target;
  if (!input.matches || !input.matches("input[data-choose]")) return;
  const list = document.getElementById(input.getAttribute("list"));
  const said = document.getElementById(input.getAttribute("data-chosen"));
  const q = input.value.trim();
  const known = list && [...list.options].find((o) => o.value === q);
  if (said) said.textContent = known ? known.label : "";
  if (!list || q.length < 1 || known) return;
  clearTimeout(chooserTimers.get(input));
  chooserTimers.set(input, setTimeout(async () => {
    const kind = chooserKind(input);
    const number = /^\d+$/.test(q);
    const url = number ? `/api/v1/${kind}/${q}` : `/api/v1/${kind}?q=${encodeURIComponent(q)}&per_page=10`;
    try {
      const r = await fetch(url, { headers: { accept: "application/json" } });
      if (!r.ok) return;
      const body = await r.json();
      const items = number ? [body] : (body.items || []);
      list.replaceChildren(...items.map((it) => {
        const o = document.createElement("option");
        o.value = String(it.id);
        o.label = titleOf(it);
        return o;
      }));
      if (number && said && items[0]) said.textContent = titleOf(items[0]);
    } catch (_) { /* offline: the number typed is still sent */ }
  }, 200));
});

// Names for the admin's controls that have no <label> of their own: the fields of tabular inlines and
// list-editable columns (labelled by their column header), the date and time halves of a date-time field,
// the autocomplete boxes, and the filter widget's search icons (given a role, so that their label counts).
(function () {
  // The words come from the <script> element's data attributes (templates/admin/base_site.html), in the page's language.
  const words = document.currentScript?.dataset || {};
  const fill = (pattern, values) => (pattern || "").replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
  const text = (element) => (element ? element.textContent.replace(/\s+/g, " ").replace(/[:*]\s*$/, "").trim() : "");

  function name(control, label) {
    if (label && !control.labels?.length && !control.getAttribute("aria-label")) control.setAttribute("aria-label", label);
  }

  function columns() {
    document.querySelectorAll("td[class*='field-']").forEach((cell) => {
      const field = [...cell.classList].find((c) => c.startsWith("field-")).slice(6);
      const header = cell.closest("table")?.querySelector(`thead th.column-${CSS.escape(field)}`);
      const row = cell.closest("tr");
      const number = row ? [...row.parentElement.children].indexOf(row) + 1 : 0;
      cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((control) => {
        name(control, header ? fill(words.columnRow, { column: text(header), number }) : "");
      });
    });
  }

  function deletions() {
    document.querySelectorAll("td.delete input[type=checkbox]").forEach((box) => {
      const row = box.closest("tr");
      name(box, fill(words.deleteRow, { number: [...row.parentElement.children].indexOf(row) + 1 }));
    });
  }

  function dateTimes() {
    document.querySelectorAll("p.datetime").forEach((group) => {
      const field = text(group.closest(".form-row, .fieldBox, div")?.querySelector("label"));
      group.querySelectorAll("input.vDateField").forEach((input) => name(input, fill(words.datePart, { field })));
      group.querySelectorAll("input.vTimeField").forEach((input) => name(input, fill(words.timePart, { field })));
    });
  }

  function autocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const label = text(select.labels?.[0]);
      const box = select.nextElementSibling?.querySelector(".select2-selection");
      if (!label || !box) return;
      box.removeAttribute("aria-labelledby");
      box.setAttribute("aria-label", label);
      box.querySelector(".select2-selection__rendered")?.setAttribute("aria-label", label);
    });
  }

  function icons() {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach((icon) => icon.setAttribute("role", "img"));
  }

  function run() {
    columns();
    deletions();
    dateTimes();
    autocompletes();
    icons();
  }

  window.addEventListener("load", () => setTimeout(run, 0));
  document.addEventListener("formset:added", run);
})();

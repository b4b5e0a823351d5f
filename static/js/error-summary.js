// After a failed form or a refused action, focus the error summary (a page's own list of what to fix
// first, such as the review step's, else the summary or the error message at the top), so that a
// screen reader reads the problems first; each of its links moves focus to the control it names (a
// link alone would only scroll there).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary=list]") || document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const control = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!control) return;
    event.preventDefault();
    const label = document.querySelector(`label[for="${CSS.escape(control.id)}"]`);
    const legend = control.closest("fieldset")?.querySelector("legend");
    (legend || label || control).scrollIntoView({ block: "start" });
    control.focus({ preventScroll: true });
  });
});

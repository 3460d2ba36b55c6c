// Progressive enhancement only: every page works without this file.

// Choosing a language or a filter value applies it at once; the buttons stay for
// keyboard users and browsers without JavaScript, hidden where the change applies itself.
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
for (const button of document.querySelectorAll("[data-hide-with-js]")) {
  button.hidden = true;
}

// Pressing "/" outside a field jumps to the search box, as in many web applications.
document.addEventListener("keydown", (event) => {
  const target = event.target;
  const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement || (target instanceof HTMLElement && target.isContentEditable);
  if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    const search = document.getElementById("global-q");
    if (search) {
      event.preventDefault();
      search.focus();
    }
  }
});

// A form with errors: move the keyboard focus to the first invalid field.
const invalid = document.querySelector("[aria-invalid=true]");
if (invalid) {
  invalid.focus();
}

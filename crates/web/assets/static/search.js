// Suggestions under the header's search box, as the user types (the ARIA combobox
// pattern with a listbox). Progressive enhancement: without this file the box is a plain
// form that opens the results page, so nothing here is needed to search.

const input = document.getElementById("global-q");
const popup = document.getElementById("global-suggest");

// Long enough to let a fast typist finish a word, short enough to feel immediate.
const DEBOUNCE_MS = 120;

if (input && popup && input.form) {
  const form = input.form;
  let timer = 0;
  let pending = null;
  // The text the dropdown's options were fetched for.
  let shownFor = null;

  // Only with the script is the box a combobox; the attributes would lie without it.
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", popup.id);
  // The browser's own history dropdown would cover ours.
  input.setAttribute("autocomplete", "off");

  const options = () => [...popup.querySelectorAll("[role=option]")];
  const active = () => popup.querySelector("[role=option][aria-selected=true]");
  const isOpen = () => !popup.hidden;

  const open = () => {
    popup.hidden = false;
    input.setAttribute("aria-expanded", "true");
  };

  const close = () => {
    popup.hidden = true;
    input.setAttribute("aria-expanded", "false");
    select(null);
  };

  const select = (option) => {
    for (const other of options()) {
      other.setAttribute("aria-selected", other === option ? "true" : "false");
    }
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  // Moves the active option by `step`, wrapping at both ends.
  const move = (step) => {
    const all = options();
    if (all.length === 0) {
      return;
    }
    const at = all.indexOf(active());
    const next = at === -1 ? (step > 0 ? 0 : all.length - 1) : (at + step + all.length) % all.length;
    select(all[next]);
  };

  const fetchSuggestions = async (text) => {
    // Only the answer to the latest text may fill the dropdown.
    if (pending) {
      pending.abort();
    }
    const controller = new AbortController();
    pending = controller;
    try {
      const response = await fetch(`/search/suggest?q=${encodeURIComponent(text)}`, {
        signal: controller.signal,
        headers: { Accept: "text/html" },
      });
      // A lapsed session answers with the sign-in page; the form still works then.
      if (response.redirected || !(response.ok || response.status === 400)) {
        close();
        return;
      }
      const html = await response.text();
      if (controller.signal.aborted) {
        return;
      }
      const parsed = new DOMParser().parseFromString(html, "text/html");
      popup.replaceChildren(...parsed.body.childNodes);
      // The new options have the old ones' ids: no option is active until the keys choose one.
      select(null);
      shownFor = text;
      if (document.activeElement === input) {
        open();
      }
    } catch (error) {
      if (error.name !== "AbortError") {
        close();
      }
    } finally {
      if (pending === controller) {
        pending = null;
      }
    }
  };

  const changed = () => {
    clearTimeout(timer);
    // An option chosen for the old text must not be opened by Enter on the new one.
    select(null);
    const text = input.value.trim();
    if (text === "") {
      if (pending) {
        pending.abort();
      }
      shownFor = null;
      close();
      return;
    }
    timer = setTimeout(() => fetchSuggestions(text), DEBOUNCE_MS);
  };

  input.addEventListener("input", changed);

  input.addEventListener("keydown", (event) => {
    // Keys that confirm an input method's composition (Chinese, for one) are not ours.
    if (event.isComposing) {
      return;
    }
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        event.preventDefault();
        if (!isOpen()) {
          // The dropdown comes back with the last options if the text is the same.
          if (shownFor !== null && shownFor === input.value.trim()) {
            open();
          } else {
            changed();
          }
          return;
        }
        move(event.key === "ArrowDown" ? 1 : -1);
        break;
      case "Enter": {
        const option = isOpen() ? active() : null;
        // Without an active option, Enter sends the form to the results page as usual.
        if (option) {
          event.preventDefault();
          window.location.assign(option.href);
        }
        break;
      }
      case "Escape":
        // The first Escape closes the dropdown and keeps the text; a second one may clear it.
        if (isOpen()) {
          event.preventDefault();
          close();
        }
        break;
      default:
        break;
    }
  });

  // A press inside the dropdown keeps the focus in the box (a click on a link still opens it).
  popup.addEventListener("mousedown", (event) => event.preventDefault());

  // Pointing at an option makes it the active one, so mouse and keys agree.
  popup.addEventListener("mousemove", (event) => {
    const option = event.target instanceof Element ? event.target.closest("[role=option]") : null;
    if (option && option !== active()) {
      select(option);
    }
  });

  document.addEventListener("click", (event) => {
    if (isOpen() && !form.contains(event.target)) {
      close();
    }
  });

  form.addEventListener("focusout", (event) => {
    if (!form.contains(event.relatedTarget)) {
      close();
    }
  });

  // Sending the form leaves the page; a stale answer must not reopen the dropdown meanwhile.
  form.addEventListener("submit", () => {
    clearTimeout(timer);
    if (pending) {
      pending.abort();
    }
    close();
  });
}

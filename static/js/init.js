import { initAll } from "../dist/govuk-frontend.min.js";

initAll();

// Following the skip link adds #main-content to the address. A form on the
// page would then post to that address, the browser would keep the fragment
// through the redirect or the page of errors that comes back, and scrolling
// to it takes focus away from the error summary. So the fragment is dropped
// as soon as the skip link has moved focus.
window.addEventListener("hashchange", () => {
  if (window.location.hash === "#main-content") {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
});

// A table wider than the window scrolls inside its wrapper. Keyboard users
// can only scroll it if the wrapper takes focus, so while the table overflows
// the wrapper becomes a focusable region named after the table's caption.
function updateScrollableTables() {
  for (const wrapper of document.querySelectorAll(".app-table-wrapper")) {
    if (wrapper.scrollWidth > wrapper.clientWidth) {
      const caption = wrapper.querySelector("caption");
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute(
        "aria-label",
        `${caption ? caption.textContent.trim() : "Table"} (scrolls sideways)`,
      );
    } else {
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
    }
  }
}

updateScrollableTables();
window.addEventListener("resize", updateScrollableTables);

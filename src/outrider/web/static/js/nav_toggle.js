// The header on a phone: the navigation and the session's controls fold behind a "Menu" button (at 480 px
// and less, see app.css); without this script nothing is folded.
(function () {
  "use strict";
  const header = document.querySelector("header.top");
  const button = header && header.querySelector(".nav-toggle");
  if (!button) return;
  header.classList.add("foldable");
  button.hidden = false;
  button.addEventListener("click", function () {
    const open = header.classList.toggle("nav-open");
    button.setAttribute("aria-expanded", String(open));
  });
})();

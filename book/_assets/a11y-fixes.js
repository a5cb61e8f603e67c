/*
 * MLSys Lab: two accessibility fixes to the theme's header (sphinx-book-theme 1.3.0), found
 * by axe-core (rule label-content-name-mismatch, serious): a control's spoken name must
 * contain the words it shows. MIT licence.
 *   - The search field shows "Search Ctrl+K" but is named "Search": name it by its text.
 *   - The colour-mode button shows one icon whose title names the mode ("Light", "Dark",
 *     "System Settings") but is named "Color mode": add the mode shown to its name.
 */
(function () {
  "use strict";
  var SHOWN = { light: "Light", dark: "Dark", auto: "System Settings" };

  function nameColorMode() {
    var mode = document.documentElement.dataset.mode || "auto";
    var wanted = "Color mode: " + (SHOWN[mode] || SHOWN.auto);
    document.querySelectorAll(".theme-switch-button").forEach(function (button) {
      if (button.getAttribute("aria-label") !== wanted) button.setAttribute("aria-label", wanted);
    });
  }

  function fix() {
    document.querySelectorAll(".search-button-field[aria-label]").forEach(function (button) {
      if (button.textContent.trim()) button.removeAttribute("aria-label");
    });
    nameColorMode();
    new MutationObserver(nameColorMode)
      .observe(document.documentElement, { attributes: true, attributeFilter: ["data-mode"] });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
})();

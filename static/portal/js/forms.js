/* Progressive enhancement of forms (decision 0026); the pages work without it.
 * - The error summary (.error-summary) takes the focus when the page opens, so a screen
 *   reader reads the problems first and a keyboard user tabs straight into its links.
 * - A form marked data-busy shows that its submission is under way: the pressed button
 *   says so (its data-busy-label) and a second press does not send the form twice. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy")) {
      return;
    }
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault(); // already on its way
      return;
    }
    form.setAttribute("aria-busy", "true");
    var button = event.submitter;
    if (button && button.hasAttribute("data-busy-label")) {
      button.textContent = button.getAttribute("data-busy-label");
      button.classList.add("is-busy");
    }
    // Disabled after the submission has taken the button's name and value with it.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = true;
      });
    }, 0);
  });

  // Coming back through the browser's history shows the form ready again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[aria-busy=true]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = false;
      });
    });
  });
})();

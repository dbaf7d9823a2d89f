// The workspace menu is a <details>, closed in the markup so that phones show only its button.
// On wide screens the stylesheet shows it as a sidebar (through ::details-content, without
// JavaScript); here it is also opened there, for browsers without that selector and for
// screen readers, which then hear an expanded menu (decision 0025).
(function () {
  "use strict";
  var menu = document.querySelector(".side-nav details");
  if (menu && window.matchMedia("(min-width: 761px)").matches) menu.open = true;
})();

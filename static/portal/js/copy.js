/* Copy and print buttons (progressive: the buttons stay hidden without JavaScript).
   <button data-copy="ID" data-copied="…" data-failed="…" hidden> copies the text of #ID;
   <button data-print hidden> prints the page (its print stylesheet hides the chrome). */
(function () {
  "use strict";
  function say(button, text) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) { status.textContent = text; }
  }
  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function fallback(button, node) {
    selectText(node);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    say(button, ok ? button.getAttribute("data-copied") : button.getAttribute("data-failed"));
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var node = document.getElementById(button.getAttribute("data-copy"));
    if (!node) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = node.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          say(button, button.getAttribute("data-copied"));
        }, function () { fallback(button, node); });
      } else {
        fallback(button, node);
      }
    });
  });
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();

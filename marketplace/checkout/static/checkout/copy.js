/* Copy buttons of the VietQR box: shown only when the browser can copy; without script the
   account number and transfer note stay selectable text. */
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.dataset.done || "✓";
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();

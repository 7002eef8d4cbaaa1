// A hint of password strength while typing, and a "show password" switch. The server's validators decide;
// this only helps the member choose before submitting.
(function () {
  "use strict";
  function score(value) {
    if (value.length < 8) return 0;
    var kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter(function (re) { return re.test(value); }).length;
    if (/^(.)\1+$/.test(value) || /^[0-9]+$/.test(value)) return 1;
    if (value.length >= 12 && kinds >= 3) return 3;
    if (value.length >= 10 || kinds >= 3) return 2;
    return 1;
  }
  document.querySelectorAll(".strength[data-for]").forEach(function (hint) {
    var input = document.getElementById(hint.dataset.for);
    if (!input) return;
    var labels = hint.dataset.labels.split("|");
    input.addEventListener("input", function () {
      if (!input.value) { hint.textContent = ""; hint.removeAttribute("data-score"); return; }
      var s = score(input.value);
      hint.dataset.score = s;
      hint.textContent = hint.dataset.prefix + " " + labels[s];
    });
  });
  document.querySelectorAll("input[data-show-password]").forEach(function (box) {
    var input = document.getElementById(box.dataset.showPassword);
    if (!input) return;
    box.addEventListener("change", function () { input.type = box.checked ? "text" : "password"; });
  });
})();

// Asks before a form with data-confirm="question" is sent (e.g. closing a slot in the staff queue); the form is
// sent only when the person agrees. Replaces inline onsubmit handlers, which the Content-Security-Policy forbids.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();

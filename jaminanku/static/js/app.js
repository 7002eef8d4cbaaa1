// Registers the service worker (offline card and balance) and says so when the page is shown offline.
(function () {
  "use strict";
  var body = document.body;
  if ("serviceWorker" in navigator && body.dataset.sw) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).catch(function () {});
  }
  function showOffline() {
    if (navigator.onLine || document.querySelector(".offline-banner")) {
      return;
    }
    var banner = document.createElement("p");
    banner.className = "offline-banner";
    banner.setAttribute("role", "status");
    banner.textContent = body.dataset.offlineText || "Offline";
    body.insertBefore(banner, body.firstChild);
  }
  window.addEventListener("offline", showOffline);
  showOffline();
})();

// Nearest offices: asks for the location only when the member taps the button; draws the map if Leaflet and
// the tiles load, and leaves the list usable when they do not.
(function () {
  var button = document.getElementById("use-location");
  if (button) {
    button.addEventListener("click", function () {
      var error = document.getElementById("location-error");
      if (!navigator.geolocation) { error.textContent = button.dataset.denied; return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        window.location.search = "?lat=" + pos.coords.latitude.toFixed(5) + "&lon=" + pos.coords.longitude.toFixed(5);
      }, function () { error.textContent = button.dataset.denied; }, { timeout: 10000 });
    });
  }
  var box = document.getElementById("map");
  if (!box) return;
  window.addEventListener("load", function () {
    if (typeof L === "undefined") { box.remove(); return; }
    var map = L.map(box).setView([parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)], 9);
    L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 18 }).addTo(map);
    document.querySelectorAll("li.office").forEach(function (li) {
      // the name goes in as text: Leaflet would read a string as HTML
      var label = document.createElement("span");
      label.textContent = li.dataset.name;
      L.marker([parseFloat(li.dataset.lat), parseFloat(li.dataset.lon)]).addTo(map).bindPopup(label);
    });
  });
})();

// Shows whether the dashboard's live stream is connected.
document.addEventListener("htmx:sseOpen", function () {
  var el = document.getElementById("live");
  if (el) { el.className = "live on"; el.textContent = "● live"; }
});
document.addEventListener("htmx:sseError", function () {
  var el = document.getElementById("live");
  if (el) { el.className = "live off"; el.textContent = "● reconnecting"; }
});

// Watch mode only (versus -watch): reload the page when the content is
// reloaded, valid or not, keeping the scroll position. Production pages do
// not include this script.
(function () {
  "use strict";
  var key = "versus-live-scroll:" + location.pathname + location.search;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, Number(saved)); };
    if (document.readyState === "complete") restore();
    else window.addEventListener("load", restore, { once: true });
  }
  if (!window.EventSource) return;
  var seen = null;
  var events = new EventSource("/_live");
  events.addEventListener("generation", function (e) {
    if (seen === null) {
      seen = e.data;
      document.documentElement.setAttribute("data-live", "listening");
      return;
    }
    if (e.data === seen) return;
    sessionStorage.setItem(key, String(window.scrollY));
    events.close();
    location.reload();
  });
})();

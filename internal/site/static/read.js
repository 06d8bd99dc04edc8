// Counts one read of the article on this page for "most read": a small
// POST to the site itself, with no cookie and no third party. It runs
// after the page is read from any cache, so cached pages count too.
(function () {
  var el = document.querySelector("[data-read]");
  if (!el) return;
  var url = el.getAttribute("data-read");
  if (navigator.sendBeacon) {
    navigator.sendBeacon(url);
  } else if (window.fetch) {
    fetch(url, { method: "POST", keepalive: true, credentials: "omit" });
  }
})();

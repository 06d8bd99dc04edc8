// The newsroom works without this file. It adds: a formatting toolbar and
// keyboard shortcuts for the body, a live preview made by the server's
// renderer, and autosave of drafts (the same form, with its version; a
// conflict is shown, never overwritten).
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form) return;
  var body = form.elements.body, format = form.elements.format;
  var bar = form.querySelector(".toolbar");
  var status = document.getElementById("autosave-status");
  // The words this script says, in the editor's language, from the
  // catalogue (nr.script.*) by way of the form.
  var words = JSON.parse(form.dataset.words || "{}");
  function say(key) { return words[key] || key; }

  function wrap(mark) {
    var s = body.selectionStart, e = body.selectionEnd, v = body.value;
    body.value = v.slice(0, s) + mark + v.slice(s, e) + mark + v.slice(e);
    body.setSelectionRange(s + mark.length, e + mark.length);
    changed();
  }
  function line(prefix) {
    var s = body.selectionStart, v = body.value, ls = v.lastIndexOf("\n", s - 1) + 1;
    body.value = v.slice(0, ls) + prefix + v.slice(ls);
    body.setSelectionRange(s + prefix.length, s + prefix.length);
    changed();
  }
  function link() {
    var url = window.prompt(say("link_address"));
    if (!url) return;
    var s = body.selectionStart, e = body.selectionEnd, v = body.value, text = v.slice(s, e) || "link";
    body.value = v.slice(0, s) + "[" + text + "](" + url + ")" + v.slice(e);
    changed();
  }
  if (bar) {
    bar.hidden = format.value !== "markdown";
    bar.addEventListener("click", function (ev) {
      var b = ev.target.closest("button");
      if (!b) return;
      if (b.dataset.wrap) wrap(b.dataset.wrap);
      else if (b.dataset.line) line(b.dataset.line);
      else if (b.dataset.link) link();
      body.focus();
    });
    format.addEventListener("change", function () { bar.hidden = format.value !== "markdown"; changed(); });
  }
  body.addEventListener("keydown", function (ev) {
    if (!(ev.ctrlKey || ev.metaKey) || format.value !== "markdown") return;
    var k = ev.key.toLowerCase();
    if (k === "b") { ev.preventDefault(); wrap("**"); }
    else if (k === "i") { ev.preventDefault(); wrap("_"); }
    else if (k === "k") { ev.preventDefault(); link(); }
  });

  var live = document.getElementById("live"), liveTimer = null;
  if (live) live.parentElement.hidden = false;
  function renderLive() {
    var fd = new FormData();
    fd.append("body", body.value);
    fd.append("format", format.value);
    // The article's own galleries show as its save will show them.
    if (form.dataset.article) fd.append("id", form.dataset.article);
    fetch("/newsroom/render", { method: "POST", body: fd, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { live.innerHTML = html; }); // sanitized by the server's renderer
  }
  var dirty = false;
  function changed() {
    dirty = true;
    if (live) { clearTimeout(liveTimer); liveTimer = setTimeout(renderLive, 300); }
  }
  form.addEventListener("input", changed);
  if (live) renderLive();

  var submitting = false;
  form.addEventListener("submit", function () { submitting = true; });

  // The edit lock: a small request every 20 seconds keeps it; when
  // someone else takes over, the page says who and stops autosaving
  // (Save then shows both versions). Leaving the page gives it up.
  var lockLost = false;
  if (form.dataset.heartbeat) {
    var lockStatus = document.getElementById("lock-status");
    var beat = function () {
      if (lockLost) return;
      fetch(form.dataset.heartbeat, { method: "POST", credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (j) { return { status: r.status, j: j }; }); })
        .then(function (res) {
          if (res.status !== 409) return;
          lockLost = true;
          lockStatus.textContent = res.j.error;
          lockStatus.hidden = false;
        })
        .catch(function () {}); // a missed beat is retried; the lock outlives a few
    };
    setInterval(beat, 20000);
    // Coming back to the tab asks at once, so nobody types on for long
    // into a page whose lock someone else has taken.
    window.addEventListener("focus", beat);
    window.addEventListener("pagehide", function () {
      if (!submitting && !lockLost && navigator.sendBeacon) navigator.sendBeacon(form.dataset.release);
    });
  }

  if (!form.dataset.autosave) return;
  var stopped = false;
  function autosave() {
    if (!dirty || stopped || submitting || lockLost) return;
    dirty = false;
    var fd = new FormData(form);
    fd.set("action", "save");
    status.textContent = say("saving");
    fetch(form.action, { method: "POST", body: fd, credentials: "same-origin", headers: { "X-Autosave": "1" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, status: r.status, j: j }; }); })
      .then(function (res) {
        if (res.ok) {
          form.elements.version.value = res.j.version;
          status.textContent = say("saved_at").replace("{time}", res.j.saved);
        } else {
          status.textContent = res.j.error || say("not_saved");
          status.className = "autosave error";
          if (res.status === 409) stopped = true; // Save shows both versions
        }
      })
      .catch(function () { dirty = true; status.textContent = say("offline"); });
  }
  setInterval(autosave, 15000);
  window.addEventListener("beforeunload", function (ev) { if (dirty && !submitting) ev.preventDefault(); });
})();

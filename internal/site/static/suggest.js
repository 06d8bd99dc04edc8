// Embedded posts (YouTube, X, Telegram, Instagram) arrive as links that
// load nothing from those services; a click puts the service's player in
// the link's place. This is the site's one script file, so the loader
// lives here rather than inline, which the Content-Security-Policy
// refuses.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.embed-load[data-embed]");
    if (!a || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) {
      return;
    }
    ev.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = a.getAttribute("data-embed");
    frame.title = a.textContent;
    frame.className = "embed-frame";
    frame.allowFullscreen = true;
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    a.replaceWith(frame);
    frame.focus();
  });
})();

// Suggestions for the masthead's search box, as the reader types. The
// form works without this script; with it, the box becomes an ARIA
// combobox: ArrowDown/ArrowUp move through the list, Enter on a chosen
// suggestion follows its link, Enter with none chosen submits the form as
// before, Escape closes the list.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest]");
  var input = form && form.querySelector("input[name=s]");
  if (!input || !window.fetch) {
    return;
  }
  var endpoint = form.getAttribute("data-suggest");
  var kinds = { article: "Article", section: "Section", tag: "Tag", author: "Author" };
  var list = document.createElement("ul");
  list.id = input.id + "-list";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  form.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");

  var items = [];    // the list's options, as shown
  var active = -1;   // the chosen one, or -1
  var timer = 0;
  var asked = 0;     // the number of the latest request; older answers are dropped

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function choose(i) {
    if (active >= 0) {
      items[active].setAttribute("aria-selected", "false");
    }
    active = i;
    if (i < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    items[i].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", items[i].id);
    items[i].scrollIntoView({ block: "nearest" });
  }

  function show(found) {
    close();
    if (!found.length) {
      return;
    }
    found.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = list.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var a = document.createElement("a");
      a.href = s.url;
      a.tabIndex = -1;
      a.textContent = s.label;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = kinds[s.kind] || "";
      a.appendChild(kind);
      li.appendChild(a);
      li.addEventListener("mousedown", function (e) {
        e.preventDefault(); // keep the focus in the box until the link is followed
      });
      list.appendChild(li);
      items.push(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function ask() {
    var q = input.value.trim();
    var n = ++asked;
    if (q.length < 2) {
      close();
      return;
    }
    fetch(endpoint + "?q=" + encodeURIComponent(q.slice(0, 100)), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (found) {
        if (n === asked && document.activeElement === input) {
          show(Array.isArray(found) ? found : []);
        }
      })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });

  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!items.length) {
        return;
      }
      e.preventDefault();
      var step = e.key === "ArrowDown" ? 1 : -1;
      var next = active + step;
      if (next < -1) {
        next = items.length - 1;
      } else if (next >= items.length) {
        next = -1;
      }
      choose(next);
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      follow();
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      asked++;
      close();
    }
  });

  // follow goes to the chosen suggestion's page.
  function follow() {
    window.location.assign(items[active].querySelector("a").href);
  }

  // A submission while a suggestion is chosen (an Enter that reached the
  // form all the same) goes to that suggestion, not to the search page.
  form.addEventListener("submit", function (e) {
    if (active >= 0) {
      e.preventDefault();
      follow();
    }
  });

  input.addEventListener("blur", function () {
    asked++;
    clearTimeout(timer);
    close();
  });
})();

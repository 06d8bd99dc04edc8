// The newsroom's visual editor. It replaces the body's textarea with a
// Tiptap (ProseMirror) editor when the article's format is HTML, and
// keeps the textarea as the form's field: every change writes the
// editor's HTML back into it and fires "input", so newsroom.js's live
// preview and autosave work as they do for Markdown. The server still
// sanitizes and renders what is saved; the editor only makes clean HTML.
//
// build.sh bundles this file into ../static/editor.js.

import { Editor, Node, Mark, Extension, mergeAttributes, getHTMLFromFragment } from "@tiptap/core";
import { Fragment } from "@tiptap/pm/model";
import StarterKit from "@tiptap/starter-kit";
import Image from "@tiptap/extension-image";
import { TableKit } from "@tiptap/extension-table";

// Words per minute, as the server's reading time counts them
// (internal/news/excerpt.go).
const LATIN_WPM = 220;
const CYRILLIC_WPM = 180;

// readingStats counts words as the server does: a word is Cyrillic when
// most of its letters are.
export function readingStats(text) {
  let latin = 0, cyr = 0;
  for (const w of text.split(/\s+/)) {
    let letters = 0, cyrLetters = 0;
    for (const ch of w) {
      if (/[\p{L}\p{N}]/u.test(ch)) {
        letters++;
        if (/\p{Script=Cyrillic}/u.test(ch)) cyrLetters++;
      }
    }
    if (letters === 0) continue;
    if (cyrLetters * 2 > letters) cyr++;
    else latin++;
  }
  const minutes = Math.max(1, Math.round(latin / LATIN_WPM + cyr / CYRILLIC_WPM));
  return { words: latin + cyr, minutes };
}

// ClassAttr keeps the class of blocks (align-left, pullquote, …): the
// body sanitizer allows classes, and a body opened and saved unchanged
// must render as before.
const ClassAttr = Extension.create({
  name: "classAttr",
  addGlobalAttributes() {
    return [{
      types: ["paragraph", "heading", "blockquote", "bulletList", "orderedList", "table", "figure", "gallery"],
      attributes: {
        class: {
          default: null,
          parseHTML: (el) => el.getAttribute("class"),
          renderHTML: (a) => (a.class ? { class: a.class } : {}),
        },
      },
    }];
  },
});

// BodyImage is an image with the attributes the media library gives it
// (size, srcset, lazy loading), kept as they came.
const BodyImage = Image.extend({
  addAttributes() {
    const keep = (name) => ({
      default: null,
      parseHTML: (el) => el.getAttribute(name),
      renderHTML: (a) => (a[name] != null ? { [name]: a[name] } : {}),
    });
    return {
      ...this.parent?.(),
      // A linked image (WordPress's "link to the file") keeps its link.
      href: { default: null, parseHTML: (el) => (el.parentElement && el.parentElement.tagName === "A" ? el.parentElement.getAttribute("href") : null), renderHTML: () => ({}) },
      class: keep("class"),
      width: keep("width"),
      height: keep("height"),
      srcset: keep("srcset"),
      sizes: keep("sizes"),
      loading: keep("loading"),
      decoding: keep("decoding"),
    };
  },
  renderHTML({ node, HTMLAttributes }) {
    const img = ["img", mergeAttributes(this.options.HTMLAttributes, HTMLAttributes)];
    return node.attrs.href ? ["a", { href: node.attrs.href }, img] : img;
  },
}).configure({ inline: false, allowBase64: false });

// Cite is the name of a quote's source, as WordPress's quote format
// writes it.
const Cite = Mark.create({
  name: "cite",
  parseHTML: () => [{ tag: "cite" }],
  renderHTML: () => ["cite", 0],
});

// Figcaption is a figure's caption, which may hold links and emphasis.
const Figcaption = Node.create({
  name: "figcaption",
  content: "inline*",
  parseHTML: () => [{ tag: "figcaption" }],
  renderHTML: ({ HTMLAttributes }) => ["figcaption", mergeAttributes(HTMLAttributes), 0],
});

// Figure is an image with its caption (and credit, written into the
// caption): what WordPress's [caption] becomes.
const Figure = Node.create({
  name: "figure",
  group: "block",
  content: "image figcaption?",
  draggable: true,
  isolating: true,
  parseHTML: () => [{ tag: "figure", getAttrs: (el) => (el.querySelector("img") && !el.classList.contains("embed") ? null : false) }],
  renderHTML: ({ HTMLAttributes }) => ["figure", mergeAttributes(HTMLAttributes), 0],
});

// Gallery is a row of figures, as WordPress's [gallery] is rendered.
const Gallery = Node.create({
  name: "gallery",
  group: "block",
  content: "figure+",
  parseHTML: () => [{ tag: "div.gallery", priority: 60 }],
  renderHTML: ({ HTMLAttributes }) => ["div", mergeAttributes(HTMLAttributes.class ? {} : { class: "gallery gallery-columns-3" }, HTMLAttributes), 0],
});

// Embed is a post from YouTube, X, Telegram or Instagram, kept as its
// address: the server renders it as a placeholder that loads nothing
// from the other site until the reader asks.
const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes: () => ({ url: { default: "" } }),
  parseHTML: () => [
    { tag: "p.embed", getAttrs: (el) => ({ url: (el.querySelector("a") || el).getAttribute("href") || el.textContent.trim() }) },
    // The placeholder the server rendered it as, when a saved body opens.
    { tag: "figure.embed-click", priority: 60, getAttrs: (el) => { const a = el.querySelector("a.embed-load"); return a ? { url: a.getAttribute("href") } : false; } },
  ],
  renderHTML: ({ node }) => ["p", { class: "embed" }, ["a", { href: node.attrs.url }, node.attrs.url]],
  addNodeView: () => ({ node }) => {
    const dom = document.createElement("div");
    dom.className = "embed-block";
    dom.textContent = embedLabel(node.attrs.url);
    return { dom };
  },
});

const providers = [
  [/^https:\/\/(www\.)?(youtube\.com|youtu\.be)\//, "YouTube"],
  [/^https:\/\/(www\.)?(x|twitter)\.com\/[^/]+\/status\/\d+/, "X"],
  [/^https:\/\/t\.me\/[A-Za-z0-9_]+\/\d+/, "Telegram"],
  [/^https:\/\/(www\.)?instagram\.com\/(p|reel)\/[A-Za-z0-9_-]+/, "Instagram"],
];

// embedProvider names the service an address is a post of, or "".
export function embedProvider(url) {
  for (const [re, name] of providers) if (re.test(url)) return name;
  return "";
}

// words are what the editor says, in the writer's language: the
// catalogue's nr.script.* messages, which the editor's form carries as
// JSON in data-words (see say and count).
let words = {};

// say is the message key with its {name} places filled from args.
function say(key, args = {}) {
  let s = typeof words[key] === "string" ? words[key] : key;
  for (const [name, v] of Object.entries(args)) s = s.replace("{" + name + "}", () => String(v));
  return s;
}

// count says n with the counted message key: the catalogue gives its
// text for 1, 2 and 5, and the form whose sample falls in n's CLDR plural
// category (Intl.PluralRules, in the page's language) is used.
function count(key, n, lang) {
  const forms = words[key] || {};
  const rules = new Intl.PluralRules(lang || "en");
  const cat = rules.select(n);
  const sample = Object.keys(forms).find((s) => rules.select(Number(s)) === cat) || Object.keys(forms).pop();
  return sample === undefined ? String(n) : forms[sample].replace("{n}", String(n));
}

function embedLabel(url) {
  return (embedProvider(url) || say("embed")) + ": " + url;
}

// cleanPaste drops what Word and Google Docs put around their HTML
// (styles, fonts, Office namespaces, Docs' bold wrapper) before the
// editor's schema reads it; structure — headings, lists, tables, links —
// is what the schema keeps.
export function cleanPaste(html) {
  return html
    .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, "")
    .replace(/<(style|meta|link|xml|o:p)[^>]*>[\s\S]*?<\/\1>/gi, "")
    .replace(/<\/?(o|w|v|m):[^>]*>/gi, "")
    .replace(/<b [^>]*id="docs-internal-guid[^"]*"[^>]*>([\s\S]*)<\/b>/i, "$1")
    .replace(/\s(style|class|lang|face|color|size|align)="[^"]*"/gi, "");
}

// editorHTML is what the form saves of the editor: one top-level block
// a line, so revisions' diffs read block by block, and without empty
// paragraphs (the one Tiptap keeps at the end to type into).
export function editorHTML(editor) {
  const blocks = [];
  editor.state.doc.forEach((node) => {
    const html = getHTMLFromFragment(Fragment.from(node), editor.schema);
    if (html !== "<p></p>") blocks.push(html);
  });
  return blocks.join("\n");
}

function currentHTML() {
  return window.dastanEditor ? editorHTML(window.dastanEditor) : "";
}

// button is the toolbar's button for the command cmd, labelled and
// titled from the catalogue; data-cmd names the command in any language.
function button(cmd, run, isActive) {
  const b = document.createElement("button");
  b.type = "button";
  b.dataset.cmd = cmd;
  b.textContent = say("button." + cmd);
  b.title = say("title." + cmd);
  b.addEventListener("click", run);
  b._active = isActive;
  return b;
}

// mount puts the visual editor over the textarea and returns a function
// that takes it away again.
function mount(form, textarea, html) {
  const wrap = document.createElement("div");
  wrap.className = "visual";
  const bar = document.createElement("div");
  bar.className = "toolbar visual-bar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", say("formatting"));
  const area = document.createElement("div");
  area.className = "visual-body body";
  const stats = document.createElement("p");
  stats.className = "help wordcount";
  stats.id = "wordcount";
  const hidden = document.createElement("input");
  hidden.type = "file";
  hidden.accept = "image/*";
  hidden.hidden = true;
  wrap.append(bar, area, stats, hidden);
  textarea.hidden = true;
  textarea.after(wrap);

  const label = document.querySelector('label[for="' + textarea.id + '"]');
  const editor = new Editor({
    element: area,
    extensions: [
      StarterKit.configure({ link: { openOnClick: false, autolink: true, HTMLAttributes: { target: null, rel: null } } }),
      ClassAttr, Cite, BodyImage, Figcaption, Figure, Gallery, Embed,
      TableKit.configure({ table: { resizable: false } }),
    ],
    content: html,
    // The newsroom's CSP allows no inline styles: the few rules Tiptap
    // would inject are in newsroom.css.
    injectCSS: false,
    editorProps: {
      attributes: { role: "textbox", "aria-multiline": "true", "aria-label": label ? label.textContent : say("body"), id: "visual-body" },
      transformPastedHTML: cleanPaste,
      handleDrop: (view, ev) => dropFiles(ev.dataTransfer && ev.dataTransfer.files, ev),
      handlePaste: (view, ev) => dropFiles(ev.clipboardData && ev.clipboardData.files, ev),
    },
  });

  function sync() {
    textarea.value = editorHTML(editor);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function showStats() {
    const s = readingStats(editor.getText({ blockSeparator: "\n" }));
    const lang = document.documentElement.lang;
    stats.textContent = say("stats", { words: count("words", s.words, lang), minutes: count("minutes", s.minutes, lang) });
  }
  function refresh() {
    for (const b of bar.querySelectorAll("button")) {
      if (b._active) b.setAttribute("aria-pressed", String(b._active()));
    }
  }
  editor.on("update", () => { sync(); showStats(); });
  editor.on("transaction", refresh);
  showStats();

  const chain = () => editor.chain().focus();
  function link() {
    const prev = editor.getAttributes("link").href || "";
    const url = window.prompt(say("link_address"), prev);
    if (url === null) return;
    if (url === "") chain().extendMarkRange("link").unsetLink().run();
    else chain().extendMarkRange("link").setLink({ href: url }).run();
  }
  function embed() {
    const url = window.prompt(say("embed_prompt"));
    if (!url) return;
    if (!embedProvider(url.trim())) { status(say("embed_bad")); return; }
    insertBlock({ type: "embed", attrs: { url: url.trim() } });
  }
  // insertBlock puts a block after what is selected, never over it (a
  // just-inserted figure stays selected).
  function insertBlock(content) {
    const sel = editor.state.selection;
    if (sel.empty) chain().insertContent(content).run();
    else chain().insertContentAt(sel.to, content).run();
  }
  function status(msg) {
    const s = document.getElementById("autosave-status");
    if (s) s.textContent = msg;
  }
  // dropFiles uploads dropped or pasted images through the media
  // library (its checks decide) and puts each in as a figure.
  function dropFiles(files, ev) {
    const images = Array.from(files || []).filter((f) => f.type.startsWith("image/"));
    if (!images.length) return false;
    ev.preventDefault();
    for (const f of images) upload(f);
    return true;
  }
  function upload(file) {
    if (!form.dataset.upload) { status(say("upload_forbidden")); return; }
    const fd = new FormData();
    fd.append("file", file, file.name);
    status(say("uploading", { name: file.name }));
    fetch(form.dataset.upload, { method: "POST", body: fd, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => r.json().then((j) => ({ ok: r.ok, j })))
      .then(({ ok, j }) => {
        if (!ok) { status(j.error || say("upload_failed")); return; }
        const img = { src: j.url, alt: j.alt || "", width: j.width ? String(j.width) : null, height: j.height ? String(j.height) : null, srcset: j.srcset || null };
        const caption = [j.caption, j.credit].filter(Boolean).join(" ");
        const content = [{ type: "image", attrs: img }];
        if (caption) content.push({ type: "figcaption", content: [{ type: "text", text: caption }] });
        insertBlock({ type: "figure", content });
        status(say("uploaded", { name: file.name }));
      })
      .catch(() => status(say("upload_offline")));
  }
  hidden.addEventListener("change", () => { for (const f of hidden.files) upload(f); hidden.value = ""; });

  const is = (name, attrs) => () => editor.isActive(name, attrs);
  bar.append(
    button("paragraph", () => chain().setParagraph().run(), is("paragraph")),
    button("heading", () => chain().toggleHeading({ level: 2 }).run(), is("heading", { level: 2 })),
    button("subheading", () => chain().toggleHeading({ level: 3 }).run(), is("heading", { level: 3 })),
    button("bold", () => chain().toggleBold().run(), is("bold")),
    button("italic", () => chain().toggleItalic().run(), is("italic")),
    button("link", link, is("link")),
    button("bullet-list", () => chain().toggleBulletList().run(), is("bulletList")),
    button("ordered-list", () => chain().toggleOrderedList().run(), is("orderedList")),
    button("quote", () => chain().toggleBlockquote().run(), () => editor.isActive("blockquote") && !editor.isActive("blockquote", { class: "pullquote" })),
    button("pull-quote", () => {
      if (editor.isActive("blockquote", { class: "pullquote" })) chain().lift("blockquote").run();
      else chain().toggleBlockquote().updateAttributes("blockquote", { class: "pullquote" }).run();
    }, is("blockquote", { class: "pullquote" })),
    button("table", () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()),
    button("image", () => hidden.click()),
    button("embed", embed),
    button("undo", () => chain().undo().run()),
    button("redo", () => chain().redo().run()),
  );
  area.addEventListener("keydown", (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "k") { ev.preventDefault(); link(); }
  });
  refresh();
  window.dastanEditor = editor; // for tests and the browser console
  return () => { editor.destroy(); wrap.remove(); textarea.hidden = false; window.dastanEditor = null; };
}

function start() {
  const form = document.getElementById("editor");
  if (!form) return;
  words = JSON.parse(form.dataset.words || "{}");
  const textarea = form.elements.body, format = form.elements.format;
  const markdownBar = form.querySelector(".body-field > .toolbar");
  let unmount = null;
  function open(html) {
    if (markdownBar) markdownBar.hidden = true;
    unmount = mount(form, textarea, html);
  }
  // An HTML body (a WordPress import) opens as blocks: the editor gets
  // the body as readers see it, shortcodes already figures and
  // galleries, and the form will save what the editor holds, in the
  // visual format. Nothing is marked changed until the writer changes
  // something, so opening an article saves nothing by itself.
  const rendered = document.getElementById("body-rendered");
  if ((format.value === "visual" || format.value === "html") && rendered) {
    format.value = "visual";
    open(rendered.value);
    textarea.value = currentHTML();
  } else if (format.value === "visual") {
    open(textarea.value);
  }
  let previous = format.value;
  format.addEventListener("change", () => {
    if (format.value === "visual" && !unmount) {
      // Markdown or raw HTML becomes what the site would show.
      const fd = new FormData();
      fd.append("body", textarea.value);
      fd.append("format", previous);
      fetch(form.dataset.render, { method: "POST", body: fd, credentials: "same-origin" })
        .then((r) => (r.ok ? r.text() : Promise.reject()))
        .then((html) => { open(html); textarea.value = currentHTML(); textarea.dispatchEvent(new Event("input", { bubbles: true })); })
        .catch(() => { format.value = previous; });
    } else if (format.value !== "visual" && unmount) {
      unmount();
      unmount = null;
      if (markdownBar) markdownBar.hidden = format.value !== "markdown";
    }
    previous = format.value;
  });
}

start();

/*
 * MLSys Lab: snapshot or live, never a control that lies.
 *
 * A calculator on the static site is a snapshot: its widget state was saved when the page was
 * built, and no Python runs behind it, so a moved slider would sit next to an output that did
 * not change. This script
 *   - marks every widget output as a snapshot, switches its controls off (inert, disabled) and
 *     says so, with a "Run live" button;
 *   - on "Run live", puts in its place a JupyterLite console (Pyodide, in the reader's browser)
 *     that installs the course wheel from this site and runs the same calculator, live;
 *   - on a chapter page, adds a link that opens the whole chapter as a live notebook.
 * Settings come from window.MLSYS_LIVE (book/_ext/live_book.py). MIT licence.
 */
(function () {
  "use strict";
  var WIDGET_VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  var CONTROLS = "input, select, textarea, button";

  function config() {
    return window.MLSYS_LIVE || null;
  }

  function siteRoot() {
    var root = document.documentElement.dataset.content_root || "./";
    return new URL(root, window.location.href);
  }

  function chapterName() {
    var match = window.location.pathname.match(/notebooks\/(\d\d_[a-z0-9_]+)\.html$/);
    return match ? match[1] : null;
  }

  function codeOf(cell) {
    var pre = cell && cell.querySelector(".cell_input pre");
    return pre ? pre.textContent : "";
  }

  /* The import line that defines `alias` somewhere on the page (the chapter's import cell). */
  function importFor(alias) {
    var cells = document.querySelectorAll(".cell_input pre");
    var patterns = [
      new RegExp("^from mlsys_lab(\\.[\\w.]+)? import \\w+ as " + alias + "\\s*$", "m"),
      new RegExp("^import mlsys_lab[\\w.]* as " + alias + "\\s*$", "m"),
      new RegExp("^from mlsys_lab(\\.[\\w.]+)? import " + alias + "\\s*$", "m"),
    ];
    for (var i = 0; i < cells.length; i++) {
      for (var j = 0; j < patterns.length; j++) {
        var found = cells[i].textContent.match(patterns[j]);
        if (found) return found[0].trim();
      }
    }
    return null;
  }

  /* Python for a live console: install the course, import, run the calculator cell (its
     numbers need only the site's pure-Python wheels), then try to load the plot libraries
     from Pyodide's CDN and redraw; where they cannot load, the plot area says why. */
  function liveCode(call) {
    var cfg = config();
    var alias = (call.match(/^\s*(\w+)\./) || [])[1];
    var imports = alias ? importFor(alias) : null;
    if (!cfg || !imports) return null;
    var wheel = new URL(cfg.wheel, siteRoot()).href;
    var expression = call.trim();
    if (expression.indexOf("\n") !== -1) return [cfg.install.replace("{wheel}", wheel), imports + "\n" + expression];
    return [
      cfg.install.replace("{wheel}", wheel),
      imports + "\n_live = " + expression + "\n_live",
      cfg.plots,
    ];
  }

  function consoleUrl(code) {
    var url = new URL(config().lite + "repl/index.html", siteRoot());
    var params = url.searchParams;
    params.set("kernel", "python");
    params.set("showBanner", "0");
    params.set("hideCodeInput", "1");
    params.set("promptCellPosition", "bottom");  // and hidden: the console shows only the widget
    params.set("theme", consoleTheme());  // the site's light or dark mode, inside the console too
    code.forEach(function (c) { params.append("code", c); });
    params.set("execute", "1");
    return url.href;
  }

  /* The JupyterLab theme that matches the site's mode (the pydata theme's data-theme). */
  function consoleTheme() {
    return document.documentElement.dataset.theme === "dark" ? "JupyterLab Dark" : "JupyterLab Light";
  }

  /* A reader who toggles the site's mode while a console runs: the console follows. */
  function followSiteTheme() {
    new MutationObserver(function () {
      document.querySelectorAll("iframe.mlsys-live-console").forEach(function (frame) {
        var app;
        try { app = frame.contentWindow.jupyterapp; } catch (e) { return; }
        if (app && app.commands.hasCommand("apputils:change-theme")) {
          app.commands.execute("apputils:change-theme", { theme: consoleTheme() });
        }
      });
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  function notebookUrl(name) {
    var url = new URL(config().lite + "notebooks/index.html", siteRoot());
    url.searchParams.set("path", name + ".ipynb");
    return url.href;
  }

  /* Inside the live console (same origin): show only the calculator, at full width, and give
     every control an accessible name and a visible focus ring. */
  var CONSOLE_CSS = [
    ".jp-CodeConsole-promptCell, .jp-CodeConsole-banner { display: none !important; }",
    ".jp-CodeConsole .jp-InputPrompt, .jp-CodeConsole .jp-OutputPrompt { display: none !important; }",
    ".jp-CodeConsole .jp-Cell-inputWrapper { display: none !important; }",
    ".jp-CodeConsole .jp-OutputArea-output { width: 100%; overflow: visible; }",
    ".widget-inline-hbox { width: 100%; max-width: 52rem; }",
    ".widget-inline-hbox .slider-container { flex: 1 1 auto; min-width: 12rem; }",
    ".widget-readout { min-width: 7em; overflow: visible; text-overflow: clip; }",
    ".noUi-handle:focus, .noUi-handle:focus-visible, .widget-readout:focus, select:focus, input:focus" +
      " { outline: 3px solid #1a5fb4 !important; outline-offset: 2px; }",
    // on the dark theme a light blue ring (the dark blue one is faint on a near-black page)
    "body[data-jp-theme-light=false] .noUi-handle:focus, body[data-jp-theme-light=false] .noUi-handle:focus-visible," +
      " body[data-jp-theme-light=false] .widget-readout:focus, body[data-jp-theme-light=false] select:focus," +
      " body[data-jp-theme-light=false] input:focus { outline-color: #8fb8ff !important; }",
  ].join("\n");

  function nameControls(doc) {
    // JupyterLab labels its cells without a role, which ARIA does not allow: make them groups
    doc.querySelectorAll(".jp-Cell[aria-label]:not([role])").forEach(function (cell) {
      cell.setAttribute("role", "group");
    });
    doc.querySelectorAll(".widget-inline-hbox").forEach(function (box) {
      var label = box.querySelector(".widget-label");
      var name = label ? label.textContent.trim() : "";
      if (!name) return;
      box.querySelectorAll(".noUi-handle, [role=slider], select, input").forEach(function (control) {
        if (!control.getAttribute("aria-label")) control.setAttribute("aria-label", name);
      });
      box.querySelectorAll(".widget-readout").forEach(function (readout) {
        if (!readout.getAttribute("aria-label")) readout.setAttribute("aria-label", name + ", value");
      });
    });
  }

  function tuneConsole(frame) {
    var doc;
    try { doc = frame.contentDocument; } catch (e) { return; }
    if (!doc || !doc.head || doc.querySelector("style[data-mlsys]")) return;
    var style = doc.createElement("style");
    style.setAttribute("data-mlsys", "console");
    style.textContent = CONSOLE_CSS;
    doc.head.appendChild(style);
    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; nameControls(doc); });
    }).observe(doc.body, { childList: true, subtree: true });
    nameControls(doc);
  }

  function switchOff(area) {
    area.inert = true;
    area.setAttribute("aria-disabled", "true");
    area.querySelectorAll(CONTROLS).forEach(function (c) { c.disabled = true; });
    area.querySelectorAll("[tabindex]").forEach(function (c) { c.setAttribute("tabindex", "-1"); });
  }

  function goLive(snapshot, code, bar) {
    var frame = document.createElement("iframe");
    frame.className = "mlsys-live-console";
    frame.title = "Live calculator: Python running in your browser";
    frame.src = consoleUrl(code);
    frame.loading = "eager";
    frame.addEventListener("load", function () { tuneConsole(frame); });
    var note = document.createElement("p");
    note.className = "mlsys-live-note";
    note.textContent = "Live: Python is starting in your browser (about 15 s the first time); " +
      "the controls below recompute.";
    bar.replaceWith(note);
    snapshot.replaceWith(frame);
  }

  function markSnapshot(output, index) {
    if (output.dataset.mlsysSnapshot) return;
    output.dataset.mlsysSnapshot = "1";
    var cell = output.closest(".cell");
    var code = config() ? liveCode(codeOf(cell)) : null;
    output.classList.add("mlsys-snapshot");
    var bar = document.createElement("div");
    bar.className = "mlsys-snapshot-bar";
    bar.setAttribute("role", "note");
    var text = document.createElement("span");
    text.textContent = "Snapshot: computed when the page was built, so its controls are off. ";
    bar.appendChild(text);
    if (code) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "mlsys-go-live";
      button.textContent = "Run live";
      button.title = "Run this calculator live, in your browser";
      button.addEventListener("click", function () { goLive(output, code, bar); });
      bar.appendChild(button);
    } else if (config() && chapterName()) {
      var link = document.createElement("a");
      link.href = notebookUrl(chapterName());
      link.className = "mlsys-go-live";
      link.textContent = "Open the chapter live";
      bar.appendChild(link);
    }
    output.parentNode.insertBefore(bar, output);
    switchOff(output);
    // the widget manager renders after this runs: keep new controls switched off
    new MutationObserver(function () { switchOff(output); })
      .observe(output, { childList: true, subtree: true });
  }

  function chapterLink() {
    var name = chapterName();
    var article = document.querySelector("article.bd-article, main article, [role=main]");
    if (!name || !config() || !article || document.querySelector(".mlsys-chapter-live")) return;
    var box = document.createElement("p");
    box.className = "mlsys-chapter-live";
    var link = document.createElement("a");
    link.href = notebookUrl(name);
    link.textContent = "Open this chapter as a live notebook";
    box.appendChild(link);
    box.appendChild(document.createTextNode(
      " (runs in your browser with JupyterLite: no install, no account; the answer checks run on Colab or your own Jupyter)"));
    article.insertBefore(box, article.firstChild);
  }

  /* A keyboard reader reaches the first live calculator from the top of the page: one Tab to
     this skip button, Enter, and the focus is on its "Run live" button. */
  function skipLink() {
    var first = document.querySelector("button.mlsys-go-live");
    if (!first || document.querySelector(".mlsys-skip-live")) return;
    var skip = document.createElement("button");
    skip.type = "button";
    skip.className = "mlsys-skip-live";
    skip.textContent = "Skip to the first live calculator";
    skip.addEventListener("click", function () {
      first.scrollIntoView({ block: "center" });
      first.focus();
    });
    document.body.insertBefore(skip, document.body.firstChild);
  }

  function init() {
    chapterLink();
    document.querySelectorAll(WIDGET_VIEW).forEach(function (script, index) {
      var output = script.closest(".cell_output, .output") || script.parentElement;
      markSnapshot(output, index);
    });
    skipLink();
    followSiteTheme();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/*
 * factdesk widget: fact-check a draft from any CMS page, with one <script> tag.
 *
 *   <textarea id="draft"></textarea>
 *   <script src="https://factdesk.example/static/factdesk-widget.js"
 *           data-target="#draft" data-article-id="nato-2024" defer></script>
 *
 * It posts the editor's text to /v1/drafts, streams verdicts from /v1/drafts/{id}/events
 * (Server-Sent Events) and renders a read-only "fact-check view" next to the editor: each
 * claim underlined in its verdict's colour, focusable, with a tooltip that names the verdict
 * and quotes the evidence with a link to its place in the source. No dependencies; the editor's
 * own DOM is never modified, so it works with any textarea-based CMS field.
 *
 * With an API key (data-api-key, or the `apiKey` option) every request sends it as
 * `Authorization: Bearer`; EventSource cannot send headers, so verdicts are then polled from
 * GET /v1/drafts/{id} once a second instead of streamed. Only give a page a key with the `read`
 * and `checks:write` scopes, and only a page that is not public (the key is in its HTML).
 *
 * Offsets: the API sends UTF-16 offsets (start_utf16/end_utf16) because JavaScript strings
 * count that way; the widget slices the text it sent with them, never re-finding claims.
 */
(function () {
  "use strict";

  var LABELS = {
    SUPPORTED: "Supported",
    REFUTED: "Refuted",
    NOT_ENOUGH_INFO: "Not enough information",
  };
  var script = document.currentScript;

  function FactdeskWidget(editor, options) {
    this.editor = editor;
    this.api = (options.api || "").replace(/\/$/, "");
    this.articleId = options.articleId || null;
    this.apiKey = options.apiKey || null;
    this.delayMs = options.delayMs == null ? 1200 : options.delayMs;
    this.source = null;
    this.timer = null;
    this.counter = 0;
    this.build();
    var self = this;
    editor.addEventListener("input", function () {
      self.schedule();
    });
  }

  FactdeskWidget.prototype.build = function () {
    var id = "factdesk-" + Math.random().toString(36).slice(2, 8);
    this.root = el("section", "factdesk", { "aria-label": "Fact-check view", id: id });
    this.toolbar = el("div", "factdesk-toolbar");
    this.button = el("button", "factdesk-check", { type: "button" });
    this.button.textContent = "Check facts";
    this.status = el("p", "factdesk-status", { role: "status", "aria-live": "polite" });
    this.view = el("div", "factdesk-view", { "data-factdesk-view": "" });
    this.legend = el("p", "factdesk-legend");
    this.legend.innerHTML =
      '<span class="fd-claim fd-SUPPORTED">supported</span> ' +
      '<span class="fd-claim fd-REFUTED">refuted</span> ' +
      '<span class="fd-claim fd-NOT_ENOUGH_INFO">not enough information</span> ' +
      '<span class="fd-claim fd-pending">checking…</span>';
    this.toolbar.appendChild(this.button);
    this.toolbar.appendChild(this.status);
    this.root.appendChild(this.toolbar);
    this.root.appendChild(this.view);
    this.root.appendChild(this.legend);
    this.editor.insertAdjacentElement("afterend", this.root);
    var self = this;
    this.button.addEventListener("click", function () {
      self.check();
    });
    this.root.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && document.activeElement.classList.contains("fd-claim")) {
        document.activeElement.blur();
      }
    });
  };

  FactdeskWidget.prototype.schedule = function () {
    var self = this;
    clearTimeout(this.timer);
    if (this.delayMs > 0) {
      this.timer = setTimeout(function () {
        self.check();
      }, this.delayMs);
    }
  };

  FactdeskWidget.prototype.check = function () {
    var text = this.editor.value;
    var self = this;
    if (!text.trim()) {
      return;
    }
    if (this.source) {
      this.source.close();
    }
    clearTimeout(this.poller);
    var seq = (this.seq = (this.seq || 0) + 1); // only the newest request may render
    var body = { text: text };
    if (this.articleId) {
      body.article_id = this.articleId;
    }
    this.say("Finding claims…");
    fetch(this.api + "/v1/drafts", {
      method: "POST",
      headers: this.headers({ "content-type": "application/json" }),
      body: JSON.stringify(body),
    })
      .then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) {
            throw new Error(json.detail || response.statusText);
          }
          return json;
        });
      })
      .then(function (draft) {
        if (seq !== self.seq) {
          return;
        }
        self.render(text, draft);
        self.stream(draft);
      })
      .catch(function (error) {
        self.say("Fact-check failed: " + error.message);
      });
  };

  FactdeskWidget.prototype.render = function (text, draft) {
    var view = this.view;
    var cursor = 0;
    view.textContent = "";
    this.marks = {};
    var annotations = draft.annotations.slice().sort(function (a, b) {
      return a.start_utf16 - b.start_utf16;
    });
    for (var i = 0; i < annotations.length; i++) {
      var a = annotations[i];
      view.appendChild(document.createTextNode(text.slice(cursor, a.start_utf16)));
      view.appendChild(this.mark(text.slice(a.start_utf16, a.end_utf16), a));
      cursor = a.end_utf16;
    }
    view.appendChild(document.createTextNode(text.slice(cursor)));
    var n = annotations.length;
    this.say(n === 0 ? "No check-worthy claims found." : n + (n === 1 ? " claim" : " claims") +
      " found, checking…");
    for (var j = 0; j < annotations.length; j++) {
      if (annotations[j].verdict) {
        this.update(annotations[j]);
      }
    }
  };

  FactdeskWidget.prototype.mark = function (text, annotation) {
    var tipId = "fd-tip-" + ++this.counter;
    var mark = el("mark", "fd-claim fd-pending", {
      tabindex: "0",
      "data-index": String(annotation.index),
      "aria-describedby": tipId,
    });
    mark.textContent = text;
    var tip = el("span", "fd-tooltip", { role: "tooltip", id: tipId });
    tip.textContent = "Checking…";
    mark.appendChild(tip);
    this.marks[annotation.index] = mark;
    return mark;
  };

  FactdeskWidget.prototype.update = function (annotation) {
    var mark = this.marks && this.marks[annotation.index];
    if (!mark) {
      return;
    }
    var tip = mark.querySelector(".fd-tooltip");
    var verdict = annotation.verdict;
    mark.className = "fd-claim " + (verdict ? "fd-" + verdict.label : "fd-failed");
    mark.setAttribute("data-verdict", verdict ? verdict.label : "FAILED");
    tip.textContent = "";
    var title = el("strong", "fd-verdict");
    if (!verdict) {
      title.textContent = "Could not be checked";
      tip.appendChild(title);
      return;
    }
    title.textContent = LABELS[verdict.label] + " (" + Math.round(verdict.confidence * 100) + "%)";
    tip.appendChild(title);
    var evidence = verdict.evidence && verdict.evidence[0];
    if (evidence) {
      var quote = el("q", "fd-evidence");
      quote.textContent = evidence.quote.exact;
      tip.appendChild(quote);
      var link = el("a", "fd-source", { href: sourceHref(evidence) });
      link.textContent = "Show in source";
      link.addEventListener("click", function (event) {
        if (revealInPage(evidence)) {
          event.preventDefault();
        }
      });
      tip.appendChild(link);
    } else {
      var none = el("span", "fd-evidence");
      none.textContent = "No evidence sentence in the sources.";
      tip.appendChild(none);
    }
  };

  FactdeskWidget.prototype.headers = function (headers) {
    if (this.apiKey) {
      headers.authorization = "Bearer " + this.apiKey;
    }
    return headers;
  };

  // With a key: poll the draft until every claim is final (EventSource sends no headers).
  FactdeskWidget.prototype.poll = function (draft, seq) {
    var self = this;
    var shown = {};
    var tick = function () {
      fetch(self.api + "/v1/drafts/" + encodeURIComponent(draft.id), { headers: self.headers({}) })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.statusText);
          }
          return response.json();
        })
        .then(function (view) {
          if (seq !== self.seq) {
            return;
          }
          var done = 0;
          view.annotations.forEach(function (a) {
            if (a.status === "done" || a.status === "failed") {
              done += 1;
              if (!shown[a.index]) {
                shown[a.index] = true;
                self.update(a);
              }
            }
          });
          if (view.status === "done") {
            self.root.setAttribute("data-state", "done");
            self.say("All " + view.annotations.length + " claims checked.");
            return;
          }
          self.say(done + " of " + view.annotations.length + " claims checked.");
          self.poller = setTimeout(tick, 1000);
        })
        .catch(function () {
          self.say("Lost the connection to the fact-checker.");
        });
    };
    this.root.setAttribute("data-state", "checking");
    tick();
  };

  FactdeskWidget.prototype.stream = function (draft) {
    var self = this;
    if (this.apiKey) {
      this.poll(draft, this.seq);
      return;
    }
    var done = 0;
    var source = new EventSource(this.api + "/v1/drafts/" + encodeURIComponent(draft.id) +
      "/events");
    this.source = source;
    source.addEventListener("claim", function (event) {
      var annotation = JSON.parse(event.data);
      self.update(annotation);
      done += 1;
      self.say(done + " of " + draft.annotations.length + " claims checked.");
    });
    source.addEventListener("done", function () {
      source.close();
      self.root.setAttribute("data-state", "done");
      self.say("All " + draft.annotations.length + " claims checked.");
    });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) {
        self.say("Lost the connection to the fact-checker.");
      }
    };
    this.root.setAttribute("data-state", "checking");
  };

  FactdeskWidget.prototype.say = function (message) {
    this.status.textContent = message;
  };

  function sourceHref(evidence) {
    var fragment = "#:~:text=" + encodeURIComponent(evidence.quote.exact);
    return evidence.source.url ? evidence.source.url + fragment : fragment;
  }

  // On a page that shows the source itself (element with data-factdesk-source="<id>"),
  // select the evidence there instead of navigating away.
  function revealInPage(evidence) {
    var holder = document.querySelector(
      '[data-factdesk-source="' + cssEscape(evidence.source.id) + '"]');
    if (!holder || !holder.firstChild || holder.firstChild.nodeType !== 3) {
      return false;
    }
    var text = holder.firstChild.nodeValue;
    var range = document.createRange();
    range.setStart(holder.firstChild, utf16Offset(text, evidence.span.start));
    range.setEnd(holder.firstChild, utf16Offset(text, evidence.span.end));
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    holder.parentElement.scrollIntoView({ block: "nearest" });
    return true;
  }

  // Evidence spans are code points; DOM ranges count UTF-16 units.
  function utf16Offset(text, codePoints) {
    var units = 0;
    for (var i = 0; i < codePoints && units < text.length; i++) {
      units += text.codePointAt(units) > 0xffff ? 2 : 1;
    }
    return units;
  }

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : value.replace(/"/g, '\\"');
  }

  function el(tag, className, attributes) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    for (var name in attributes || {}) {
      node.setAttribute(name, attributes[name]);
    }
    return node;
  }

  function stylesheet(href) {
    if (!document.querySelector('link[data-factdesk-css]')) {
      var link = el("link", null, { rel: "stylesheet", href: href, "data-factdesk-css": "" });
      document.head.appendChild(link);
    }
  }

  function attach(target, options) {
    var editor = typeof target === "string" ? document.querySelector(target) : target;
    if (!editor) {
      throw new Error("factdesk: no editor element " + target);
    }
    return new FactdeskWidget(editor, options || {});
  }

  window.Factdesk = { attach: attach };

  if (script && script.dataset.target) {
    var base = script.src.replace(/\/static\/[^/]*$/, "");
    stylesheet(base + "/static/factdesk-widget.css");
    var options = {
      api: script.dataset.api || base,
      articleId: script.dataset.articleId,
      apiKey: script.dataset.apiKey,
      delayMs: script.dataset.delayMs == null ? null : Number(script.dataset.delayMs),
    };
    var start = function () {
      window.Factdesk.widget = attach(script.dataset.target, options);
    };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }
})();

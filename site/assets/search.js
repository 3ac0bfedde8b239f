/* Casebook search: Material's search box, Pagefind's index (generator/site_search.py).
 *
 * Nothing is fetched until the reader opens or focuses the box; then pagefind/pagefind.js
 * (with its wasm and metadata) and assets/search/t2s.json load from this site, and each
 * query fetches only the index chunks and the result fragments it needs.
 *
 * The query is normalised before Pagefind sees it (mirrored in Python by
 * generator/site_search.py `normalise` and `token_query`, tested against each other):
 * NFKC (full-width １＋１２＋Ｘ → 1+12+X), lower case, traditional → simplified (OpenCC's
 * data, the site's slice), formulas → one token each (1+12+X → cbf1j12jx, 文体+ →
 * cbfu6587u4f53j: the model pages carry the same tokens), a trailing 模式/做法/经验
 * dropped. Chinese words are searched first as the collection's word tokens (岚皋 →
 * cbwu5c9au768b), because Pagefind segments Chinese one way when indexing and another way
 * (Intl.Segmenter) when searching; when that finds fewer than a page of results, the plain
 * query runs too and its results follow.
 *
 * Search runs on every `input` event (typing, IME commit, paste from the menu, voice
 * input, autofill), never on key events alone.
 */
(function () {
  "use strict";

  var HAN = "\\u3400-\\u9fff";
  var ITEM = "(?:[0-9a-z]+|[" + HAN + "]+)";
  var FORMULA = new RegExp(ITEM + "(?:\\+" + ITEM + ")+\\+?|" + ITEM + "\\+", "g");
  var SUFFIX = /(.)(?:模式|做法|经验)$/;
  var HAN_RUN = new RegExp("[" + HAN + "]{2,}", "g");
  var TOKEN = /\bcb[fw][0-9a-z]+\b/g;
  var PAGE = 5; // results whose fragments are fetched at a time

  function spell(text) {
    var out = "";
    for (var ch of text) {
      if (ch === "+") out += "j";
      else if (/^[0-9a-z]$/.test(ch)) out += ch;
      else out += "u" + ch.codePointAt(0).toString(16);
    }
    return out;
  }

  function fold(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  function toSimplified(text, table) {
    var phrases = (table && table.phrases) || {};
    var chars = (table && table.chars) || {};
    var longest = 0;
    for (var key in phrases) longest = Math.max(longest, Array.from(key).length);
    var list = Array.from(text);
    var out = "";
    var i = 0;
    while (i < list.length) {
      var done = false;
      for (var n = Math.min(longest, list.length - i); n > 1; n--) {
        var piece = list.slice(i, i + n).join("");
        if (Object.prototype.hasOwnProperty.call(phrases, piece)) {
          out += phrases[piece];
          i += n;
          done = true;
          break;
        }
      }
      if (!done) {
        var ch = list[i];
        out += Object.prototype.hasOwnProperty.call(chars, ch) ? chars[ch] : ch;
        i += 1;
      }
    }
    return out;
  }

  function normalise(query, table) {
    var text = fold(query);
    if (table) text = toSimplified(text, table);
    var words = text.split(/\s+/).filter(Boolean).map(function (word) {
      word = word.replace(SUFFIX, "$1");
      return word.replace(FORMULA, function (f) { return " cbf" + spell(f) + " "; });
    });
    return words.join(" ").split(/\s+/).filter(Boolean).join(" ");
  }

  function tokenQuery(normalised) {
    if (!normalised.match(HAN_RUN)) return null;
    return normalised.replace(HAN_RUN, function (w) { return "cbw" + spell(w); });
  }

  // For tests (tests/test_search_browser.py compares these with the Python mirror).
  window.casebookSearch = { normalise: normalise, tokenQuery: tokenQuery, toSimplified: toSimplified };

  var root = document.querySelector("[data-cb-search]");
  if (!root) return;
  var input = root.querySelector(".md-search__input");
  var form = root.querySelector(".md-search__form");
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var toggle = document.getElementById("__search");
  // The 404 page's base is "/": "//" would read as an address with no host (review).
  var base = new URL((root.getAttribute("data-base") || ".").replace(/\/+$/, "") + "/", location.href);
  var loading = null;
  var seq = 0;
  var shown = [];
  var pending = [];
  var needles = [];

  function load() {
    if (!loading) {
      var pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
        // pageLength 0.3 (Pagefind's default 0.75): long case pages are not pushed below
        // short hand-written pages for a word both contain.
        var options = { baseUrl: base.pathname, ranking: { pageLength: 0.3 } };
        return Promise.resolve(pf.options(options)).then(function () {
          pf.init();
          return pf;
        });
      });
      var table = fetch(new URL("assets/search/t2s.json", base).href)
        .then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; });
      loading = Promise.all([pagefind, table]);
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function say(text) {
    meta.textContent = text;
  }

  function count(n) {
    if (n === 0) return root.getAttribute("data-none");
    if (n === 1) return root.getAttribute("data-one");
    return root.getAttribute("data-other").replace("#", String(n));
  }

  // The words of the query as they appear in page text: whole words, formulas, Han runs.
  function needlesOf(query, table) {
    var text = toSimplified(fold(query), table);
    var out = [];
    text.split(/\s+/).filter(Boolean).forEach(function (word) {
      word = word.replace(SUFFIX, "$1");
      out.push(word);
      out.push.apply(out, word.match(FORMULA) || []);
      out.push.apply(out, word.match(HAN_RUN) || []);
    });
    return out;
  }

  function snippet(content, title, needles, into) {
    var text = content.split(/\bcbz\b/)[0].replace(TOKEN, "").replace(/\s{2,}/g, " ").trim();
    // Pagefind joins a heading and the text after it with ". ": not shown after the title.
    if (title && text.indexOf(title) === 0) text = text.slice(title.length).replace(/^[\s.]+/, "");
    var lower = text.toLowerCase();
    var at = -1;
    var length = 0;
    needles.forEach(function (n) {
      var i = n ? lower.indexOf(n) : -1;
      if (i >= 0 && (at < 0 || i < at || (i === at && n.length > length))) {
        at = i;
        length = n.length;
      }
    });
    if (at < 0) {
      into.textContent = text.slice(0, 120);
      return;
    }
    var from = Math.max(0, at - 30);
    var mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + length);
    into.append((from > 0 ? "…" : "") + text.slice(from, at), mark,
                text.slice(at + length, at + length + 90));
  }

  // A model's own words in its case page's content: its hidden section is "cby name summary
  // cbz words" (generator/site_search.py annotate, model_section): the text from cby to cbz
  // of the section that starts with the model's name. "" when not found (the title only).
  function modelText(content, title) {
    var parts = content.split(/\bcby\b/).slice(1);
    for (var i = 0; i < parts.length; i++) {
      var text = parts[i].split(/\bcbz\b/)[0].trim();
      if (title && text.indexOf(title) === 0) return text;
    }
    return "";
  }

  // A case page's hit in a model's hidden section (heading id cbm-<model id>) is shown as
  // a result for the model's own page; hits elsewhere in the page, as the case page.
  // Within one page, the entry with the heavier hits comes first.
  function expand(data) {
    var page = { url: data.url, meta: data.meta, excerpt: data.excerpt, content: data.content, score: 0 };
    var entries = [];
    (data.sub_results || []).forEach(function (sub) {
      var weight = (sub.weighted_locations || []).reduce(function (s, l) { return s + l.weight; }, 0);
      var model = /#cbm-([^#]+)$/.exec(sub.url || "");
      if (!model) {
        page.score += weight;
      } else if (weight > 0) {
        entries.push({ url: new URL("models/" + decodeURIComponent(model[1]) + "/", base).pathname,
                       meta: { title: sub.title }, excerpt: sub.excerpt,
                       content: modelText(data.content || "", sub.title || ""), score: weight });
      }
    });
    if (page.score > 0 || !entries.length) entries.push(page);
    return entries.sort(function (a, b) { return b.score - a.score; });
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    a.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var h1 = document.createElement("h1");
    h1.textContent = (data.meta && data.meta.title) || data.url;
    var p = document.createElement("p");
    // Always the page's (or model's) own text around the query, never Pagefind's excerpt:
    // a hit in the hidden search words would show those words (review rv12 #8).
    if (data.content) snippet(data.content, h1.textContent, needles, p);
    article.append(icon, h1, p);
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  function more(mine) {
    var next = pending.splice(0, PAGE);
    if (!next.length) return Promise.resolve();
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (data) {
      if (mine !== seq) return;
      var old = list.querySelector(".cb-search-more");
      // The button goes away: its focus moves to the first new result, not to the page
      // (where Escape would no longer reach the search; review).
      var focused = old && old.contains(document.activeElement);
      var before = list.querySelectorAll(".md-search-result__link").length;
      if (old) old.remove();
      data.forEach(function (d) {
        expand(d).forEach(function (entry) { list.appendChild(item(entry)); });
      });
      var next = list.querySelectorAll(".md-search-result__link")[before];
      if (focused && next) next.focus();
      shown = shown.concat(data);
      // The count is of the entries listed (a case page's hit may list its model pages too),
      // plus the pages not fetched yet (review rv12 #9).
      var listed = list.querySelectorAll(".md-search-result__link").length;
      say((pending.length ? "另有 " + pending.length + " 个页面见「更多结果」· " : "") + count(listed));
      if (pending.length) {
        var li = document.createElement("li");
        li.className = "md-search-result__item cb-search-more";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-search-result__more cb-search-more__button";
        button.textContent = root.getAttribute("data-more");
        button.addEventListener("click", function () { more(mine); });
        li.appendChild(button);
        list.appendChild(li);
      }
    });
  }

  // Pages that hold the typed words as the collection's words (the token query) come
  // first, in that query's order; then the rest of the plain query's results.
  function merge(plain, tokens) {
    var seen = new Set();
    var out = [];
    [tokens, plain].forEach(function (search) {
      if (!search) return;
      search.results.forEach(function (r) {
        if (!seen.has(r.id)) {
          seen.add(r.id);
          out.push(r);
        }
      });
    });
    return out;
  }

  function search(raw) {
    var mine = ++seq;
    var query = raw.trim();
    root.removeAttribute("data-done");
    if (!query) {
      list.replaceChildren();
      say(root.getAttribute("data-placeholder"));
      return Promise.resolve();
    }
    if (!loading) say(root.getAttribute("data-loading"));
    return load().then(function (loaded) {
      if (mine !== seq) return;
      var pf = loaded[0];
      var q = normalise(query, loaded[1]);
      needles = needlesOf(query, loaded[1]);
      var tq = tokenQuery(q);
      // The token query first: when it finds a page's worth, the plain query (and the
      // index chunks it would fetch) is not needed; otherwise both are merged.
      var searches = tq && tq !== q
        ? pf.search(tq).then(function (tokens) {
          if (tokens.results.length >= PAGE) return [null, tokens];
          return pf.search(q).then(function (plain) { return [plain, tokens]; });
        })
        : pf.search(q).then(function (plain) { return [plain, null]; });
      return searches.then(function (found) {
        if (mine !== seq) return;
        var results = merge(found[0], found[1]);
        list.replaceChildren();
        shown = [];
        pending = results;
        if (!results.length) say(count(0));
        return more(mine).then(function () {
          // Which query the list now shows (tests wait for it; it is not shown to readers).
          if (mine === seq) root.setAttribute("data-done", query);
        });
      });
    }, function () {
      if (mine === seq) say(root.getAttribute("data-failed"));
    });
  }

  function open() {
    if (toggle && !toggle.checked) toggle.checked = true;
    load();
  }

  input.addEventListener("input", function (event) {
    if (event.isComposing) return; // the IME's commit sends its own input event
    open();
    search(input.value);
  });
  input.addEventListener("compositionend", function () { search(input.value); });
  input.addEventListener("focus", open);
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) {
        load();
        setTimeout(function () { input.focus(); }, 50);
      } else {
        input.blur();
      }
    });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector(".md-search-result__link");
    if (first) location.href = first.href;
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { search(""); input.focus(); }, 0);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      if (toggle) toggle.checked = false;
      input.blur();
    } else if (event.key === "ArrowDown") {
      var first = list.querySelector(".md-search-result__link");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  list.addEventListener("keydown", function (event) {
    var links = Array.from(list.querySelectorAll(".md-search-result__link"));
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at + 1 < links.length) {
      event.preventDefault();
      links[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? links[at - 1] : input).focus();
    }
  });
  function close() {
    if (toggle) toggle.checked = false;
    if (root.contains(document.activeElement)) document.activeElement.blur();
  }
  // Escape closes the search from anywhere inside it (the input, a result, 更多结果), and
  // while it is open from anywhere else too (a tap may leave the focus on the page).
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && (root.contains(event.target) || (toggle && toggle.checked))) close();
  });
  // Focus leaving the search (Tab past the box or the results) closes it, so the overlay
  // never covers the next Tab stop. A click on plain text inside gives no relatedTarget.
  root.addEventListener("focusout", function (event) {
    var to = event.relatedTarget;
    if (to && !root.contains(to)) close();
  });
  // The README's shortcuts: /, s and f open the search and focus the box (the box has no
  // data-md-component, so Material's own handler does not). Not while typing elsewhere.
  document.addEventListener("keydown", function (event) {
    if (["/", "s", "f"].indexOf(event.key) < 0 || root.contains(event.target)) return;
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    var target = event.target;
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable) return;
    event.preventDefault();
    open();
    input.focus();
  });
})();

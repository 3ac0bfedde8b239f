// Sortable tables: each column header holds a button (keyboard: Tab to it, Enter or Space),
// and the header carries aria-sort (ascending / descending / none) so screen readers hear
// the order. Numbers sort numerically, Chinese magnitudes included (400余万元 = 4,000,000);
// a cell's data-sort-value, when present, is used instead of its text. Our own few lines,
// not a CDN library: the site must work where CDNs are blocked.
(function () {
  var MAGNITUDE = { "万": 1e4, "亿": 1e8 };
  function value(cell) {
    var raw = cell.getAttribute("data-sort-value");
    var text = (raw !== null ? raw : cell.textContent).trim();
    var m = /^(?:约|近|超过|不到|最多)?\s*(-?[\d,]*\.?\d+)\s*余?\s*([万亿])?/.exec(text);
    if (!m) return { text: text, number: NaN };
    var number = parseFloat(m[1].replace(/,/g, "")) * (m[2] ? MAGNITUDE[m[2]] : 1);
    return { text: text, number: number };
  }
  function sortBy(table, th, column) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = value(a.cells[column]), y = value(b.cells[column]);
      var cmp = !isNaN(x.number) && !isNaN(y.number) ? x.number - y.number : x.text.localeCompare(y.text, "zh");
      return ascending ? cmp : -cmp;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("thead th[aria-sort]").forEach(function (other) {
      other.setAttribute("aria-sort", "none");
      other.removeAttribute("data-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    th.setAttribute("data-sort", ascending ? "asc" : "desc");
  }
  document$.subscribe(function () {
    document.querySelectorAll("article table").forEach(function (table) {
      if (!table.tBodies[0] || table.tBodies[0].rows.length < 2) return;
      table.querySelectorAll("thead th").forEach(function (th, column) {
        if (!th.textContent.trim() || th.querySelector("button")) return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "cb-sort";
        while (th.firstChild) button.appendChild(th.firstChild);
        button.setAttribute("aria-label", button.textContent.trim() + "：点击排序");
        th.appendChild(button);
        th.setAttribute("aria-sort", "none");
        button.addEventListener("click", function () { sortBy(table, th, column); });
      });
    });
  });
})();

// Click a table header to sort its column (numbers numerically). Our own few lines,
// instead of a CDN library: the site must work where CDNs are blocked.
document$.subscribe(function () {
  document.querySelectorAll("article table").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, column) {
      th.setAttribute("data-sort", "");
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var asc = th.getAttribute("data-sort") !== "asc";
        rows.sort(function (a, b) {
          var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
          var nx = parseFloat(x.replace(/,/g, "")), ny = parseFloat(y.replace(/,/g, ""));
          var cmp = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y, "zh");
          return asc ? cmp : -cmp;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        th.setAttribute("data-sort", asc ? "asc" : "desc");
      });
    });
  });
});

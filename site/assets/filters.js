// Filters of the case list and the model library (form.cb-filters above table[data-filtered]).
// Each select narrows the rows whose data-<facet> (space-separated values) contains the
// chosen value; the selects combine (AND). The filter lives in the address's query string
// (?province=陕西省&kind=team_structure), so a filtered view can be bookmarked and shared.
// No framework, no outside host.
document$.subscribe(function () {
  var form = document.querySelector("form.cb-filters");
  var table = document.querySelector("table[data-filtered]");
  if (!form || !table) return;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var count = form.querySelector(".cb-filter-count");
  function apply(updateAddress) {
    var chosen = {};
    selects.forEach(function (s) { if (s.value) chosen[s.name] = s.value; });
    var shown = 0, rows = table.tBodies[0].rows;
    Array.prototype.forEach.call(rows, function (row) {
      var ok = Object.keys(chosen).every(function (facet) {
        return (row.getAttribute("data-" + facet) || "").split(" ").indexOf(chosen[facet]) >= 0;
      });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = "显示 " + shown + " / " + rows.length + " 项";
    // No row left: say so (没有符合条件的案例) with a way out, and hide the empty table.
    var none = document.querySelector(".cb-filter-none");
    if (none) none.hidden = shown > 0;
    table.hidden = shown === 0;
    if (updateAddress) {
      var params = new URLSearchParams();
      Object.keys(chosen).forEach(function (k) { params.set(k, chosen[k]); });
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }
  }
  var params = new URLSearchParams(location.search);
  selects.forEach(function (s) {
    var wanted = params.get(s.name);
    if (wanted && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) s.value = wanted;
    s.addEventListener("change", function () { apply(true); });
  });
  var clear = document.querySelector(".cb-filter-none button");
  if (clear) clear.addEventListener("click", function () { form.reset(); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply(false);
});

// Phone navigation on case and model pages:
// - the in-page table of contents (nav.cb-toc) marks the section being read (aria-current)
//   and shows its name next to 本页目录; choosing an entry closes the list;
// - the header tab of the page's section (data-section on the breadcrumb) is marked active,
//   as Material marks it for pages listed in the nav.
document$.subscribe(function () {
  var crumbs = document.querySelector(".cb-crumbs[data-section]");
  if (crumbs) {
    var section = crumbs.getAttribute("data-section");
    document.querySelectorAll(".md-tabs__item").forEach(function (item) {
      var link = item.querySelector("a");
      if (!link) return;
      var path = (link.pathname || "").replace(/index\.html$/, "");
      if (path.slice(-(section.length + 2)) === "/" + section + "/") item.classList.add("md-tabs__item--active");
    });
    // The drawer (phones) marks the same section's entry.
    document.querySelectorAll(".md-nav--primary > .md-nav__list > .md-nav__item > a.md-nav__link").forEach(function (link) {
      var path = (link.pathname || "").replace(/index\.html$/, "");
      if (path.slice(-(section.length + 2)) === "/" + section + "/") {
        link.classList.add("md-nav__link--active");
        link.setAttribute("aria-current", "true");
      }
    });
  }
  // The active tab says so to screen readers too, not by a class only.
  document.querySelectorAll(".md-tabs__item--active > a.md-tabs__link").forEach(function (link) {
    link.setAttribute("aria-current", "page");
  });
  var toc = document.querySelector("nav.cb-toc");
  if (!toc) return;
  var details = toc.querySelector("details");
  var here = toc.querySelector(".cb-toc-here");
  var links = Array.prototype.slice.call(toc.querySelectorAll('a[href^="#"]'));
  var targets = links.map(function (a) { return document.getElementById(a.getAttribute("href").slice(1)); });
  links.forEach(function (a) { a.addEventListener("click", function () { details.open = false; }); });
  function mark() {
    var current = -1;
    targets.forEach(function (t, i) { if (t && t.getBoundingClientRect().top < 120) current = i; });
    // At the foot of the page the last short sections never reach the top: the last one in
    // view is the one being read (review: 证据 and 相关案例 were never marked).
    var root = document.documentElement;
    if (window.innerHeight + window.scrollY >= root.scrollHeight - 2) {
      targets.forEach(function (t, i) { if (t && t.getBoundingClientRect().top < window.innerHeight) current = i; });
    }
    links.forEach(function (a, i) {
      if (i === current) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
    });
    here.textContent = current >= 0 ? "· " + links[current].textContent : "";
  }
  window.addEventListener("scroll", mark, { passive: true });
  mark();
});

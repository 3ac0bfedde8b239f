// A small stand-in for ResizeObserver on browsers that lack it (Chrome < 64, Safari < 13.1).
// Material's bundle would otherwise load a polyfill from unpkg.com, an outside host the
// site must never call. It is not a full polyfill: observed elements are measured again
// on window resize, orientation change, page load and every 250 ms while any is observed,
// and the callback gets entries with `target` and `contentRect` when a size changed.
(function () {
  if (typeof window.ResizeObserver !== "undefined") return;
  var observers = [];
  var timer = null;
  function size(el) {
    return { width: el.offsetWidth, height: el.offsetHeight, top: 0, left: 0,
             right: el.offsetWidth, bottom: el.offsetHeight, x: 0, y: 0 };
  }
  function check() {
    observers.forEach(function (o) {
      var changed = [];
      o.targets.forEach(function (t) {
        var now = size(t.el);
        if (!t.last || now.width !== t.last.width || now.height !== t.last.height) {
          t.last = now;
          changed.push({ target: t.el, contentRect: now });
        }
      });
      if (changed.length) o.callback(changed, o);
    });
  }
  function schedule() {
    var any = observers.some(function (o) { return o.targets.length; });
    if (any && !timer) timer = setInterval(check, 250);
    if (!any && timer) { clearInterval(timer); timer = null; }
  }
  function RO(callback) { this.callback = callback; this.targets = []; observers.push(this); }
  RO.prototype.observe = function (el) {
    if (!this.targets.some(function (t) { return t.el === el; })) this.targets.push({ el: el, last: null });
    schedule();
    setTimeout(check, 0);
  };
  RO.prototype.unobserve = function (el) {
    this.targets = this.targets.filter(function (t) { return t.el !== el; });
    schedule();
  };
  RO.prototype.disconnect = function () { this.targets = []; schedule(); };
  window.ResizeObserver = RO;
  window.addEventListener("resize", check);
  window.addEventListener("orientationchange", check);
  window.addEventListener("load", check);
})();

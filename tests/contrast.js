// WCAG contrast of every element with its own visible text: the text colour (with its
// alpha and its ancestors' opacity) over the background of its nearest painted ancestors.
// Returns one line per failing element kind: TAG.class:ratio text. Used by test_browser_nav.py.
(() => {
  const parse = c => { const m = c.match(/[\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3])).concat([1]);
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const opacity = el => { let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
  const bad = [];
  const seen = new Set();
  document.querySelectorAll("body *").forEach(el => {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest("script,style,[hidden],[aria-hidden=true],.md-search,.md-sidebar--secondary .md-nav__title,svg")) return;
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!rect.width || !rect.height || style.visibility === "hidden" || style.display === "none") return;
    if (opacity(el) < 0.1 || rect.right <= 0 || rect.bottom <= 0 || rect.left >= innerWidth) return;  // not shown
    const bg = background(el);
    const fg = parse(style.color);
    const text = over([fg[0], fg[1], fg[2], fg[3] * opacity(el)], bg);
    const [a, b] = [lum(text), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const key = el.tagName + "." + el.className + ":" + ratio.toFixed(2);
    if (ratio < 4.5 && !seen.has(key)) { seen.add(key); bad.push(key + " " + el.textContent.trim().slice(0, 20)); }
  });
  return bad;
})()

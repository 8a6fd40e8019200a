// The two "A" buttons of the article page: smaller / larger article text,
// remembered in this browser. Without this script the buttons stay hidden.
(() => {
  "use strict";

  const STEPS = [0.85, 1, 1.1, 1.25, 1.4];
  const DEFAULT_INDEX = 1;
  const STORAGE_KEY = "phusa:article-scale";

  const article = document.querySelector("[data-article-text]");
  const controls = document.querySelector("[data-font-size]");
  if (!article || !controls) return;

  const smaller = controls.querySelector('[data-step="-1"]');
  const larger = controls.querySelector('[data-step="1"]');

  // Storage may be unavailable (private browsing, blocked cookies): the
  // buttons still work for this visit.
  const load = () => {
    try {
      return STEPS.indexOf(Number(localStorage.getItem(STORAGE_KEY)));
    } catch {
      return -1;
    }
  };
  const save = (scale) => {
    try {
      localStorage.setItem(STORAGE_KEY, String(scale));
    } catch {
      /* nothing to do */
    }
  };

  let index = load();
  if (index < 0) index = DEFAULT_INDEX;

  const apply = () => {
    article.style.setProperty("--article-scale", String(STEPS[index]));
    smaller.disabled = index === 0;
    larger.disabled = index === STEPS.length - 1;
  };

  controls.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-step]");
    if (!button || button.disabled) return;
    index = Math.min(STEPS.length - 1, Math.max(0, index + Number(button.dataset.step)));
    apply();
    save(STEPS[index]);
    // A disabled button loses focus; keep keyboard users on the pair.
    if (button.disabled) (button === smaller ? larger : smaller).focus();
  });

  apply();
  controls.hidden = false;
})();

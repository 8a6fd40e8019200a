// The copy-link button under an article (the Facebook and Zalo links are
// plain links and need nothing). Shown only where the Clipboard API exists.
(() => {
  "use strict";

  const button = document.querySelector("[data-share-copy]");
  if (!button || !navigator.clipboard) return;
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.shareCopy);
      button.textContent = button.dataset.copied;
      setTimeout(() => {
        button.textContent = label;
      }, 2000);
    } catch {
      // Denied (permissions, insecure context): the address bar still has the link.
    }
  });
})();

// Counts one read of this article for "Đọc nhiều": a beacon once the reader
// has stayed a few seconds (a bounce is not a read). The page itself is the
// same cached HTML for everyone; the count happens in this second request.
(() => {
  "use strict";

  const script = document.currentScript;
  const url = script && script.dataset.countUrl;
  if (!url || !navigator.sendBeacon) return;
  setTimeout(() => navigator.sendBeacon(url), 5000);
})();

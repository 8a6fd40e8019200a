/* The editor's image browser (templates/ckeditor/browse.html): "Chèn ảnh này"
 * hands the image's address to the editor dialog that opened this popup. */
(function () {
  "use strict";

  var funcNum = new URLSearchParams(window.location.search).get("CKEditorFuncNum");

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-src]");
    if (!button || !funcNum || !window.opener || !window.opener.CKEDITOR) {
      return;
    }
    window.opener.CKEDITOR.tools.callFunction(Number(funcNum), button.dataset.src);
    window.close();
  });
})();

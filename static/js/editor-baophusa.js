/* The newsroom's CKEditor 4 plugin "baophusa" (extraPlugins in CKEDITOR_CONFIGS).
 *
 * - Every upload (the image dialog's upload tab, a pasted or dropped image)
 *   carries Django's CSRF token in X-CSRFToken, so the upload endpoint keeps
 *   Django's CSRF check (docs/security.md). The token is the one of the admin
 *   form the editor sits in.
 * - Pasted and dropped images are uploaded to the same address as the upload tab.
 * - A refused upload shows the server's Vietnamese reason, not "HTTP error 400".
 * - Vietnamese where CKEditor's own file is still English (the heading names,
 *   the upload notices) and where it misleads: it calls the image's alt text
 *   "Chú thích ảnh", the word the article form uses for the caption.
 */
/* global CKEDITOR */
(function () {
  "use strict";

  var VIETNAMESE = {
    format: { tag_h2: "Đề mục 2", tag_h3: "Đề mục 3", tag_h4: "Đề mục 4" },
    image2: { alt: "Mô tả ảnh (cho người khiếm thị)" },
    uploadwidget: {
      abort: "Đã huỷ tải lên.",
      doneOne: "Đã tải ảnh lên.",
      doneMany: "Đã tải lên %1 ảnh.",
      uploadOne: "Đang tải ảnh lên ({percentage}%)…",
      uploadMany: "Đang tải ảnh lên: xong {current}/{max} ({percentage}%)…",
    },
    clipboard: {
      fileFormatNotSupportedNotification: "Không nhận tệp định dạng ${formats}.",
      fileWithoutFormatNotSupportedNotification: "Không nhận định dạng tệp này.",
      pasteNotification:
        "Bấm %1 để dán. Trình duyệt không cho dán bằng nút trên thanh công cụ hay trình đơn chuột phải.",
      pasteMsg: "Dán nội dung vào ô dưới đây rồi bấm Đồng ý.",
    },
    notification: { closed: "Đã đóng thông báo." },
    link: {
      displayText: "Chữ hiển thị",
      download: "Buộc tải xuống",
      toPhone: "Điện thoại",
      phoneNumber: "Số điện thoại",
      noTel: "Hãy nhập số điện thoại",
    },
    table: {
      heightUnit: "đơn vị chiều cao",
      cell: { columnHeader: "Tiêu đề cột", rowHeader: "Tiêu đề hàng" },
    },
    widget: { label: "Khối %1" },
  };

  // Into CKEditor's own strings, key by key: the groups keep their other entries.
  function merge(strings, entries) {
    Object.keys(entries).forEach(function (key) {
      if (typeof entries[key] === "object" && strings[key]) {
        merge(strings[key], entries[key]);
      } else {
        strings[key] = entries[key];
      }
    });
  }

  function csrfToken(editor) {
    var form = editor.element && editor.element.$.form;
    var field = form && form.elements.namedItem("csrfmiddlewaretoken");
    return field ? field.value : "";
  }

  function serverMessage(xhr) {
    try {
      var reply = JSON.parse(xhr.responseText);
      return reply && reply.error && reply.error.message;
    } catch (error) {
      return null;
    }
  }

  CKEDITOR.plugins.add("baophusa", {
    requires: "filetools",
    beforeInit: function (editor) {
      // Pasted and dropped images go where the upload tab sends them. Without
      // this, CKEditor appends "&responseType=json" to django-ckeditor's
      // address, which has no query string: "/ckeditor/upload/&responseType=json".
      editor.config.uploadUrl = editor.config.uploadUrl || editor.config.filebrowserUploadUrl;
    },
    init: function (editor) {
      // Every plugin's strings are in editor.lang by now (CKEditor sets them in
      // its beforeInit round); dialogs, menus and notices read them later.
      if (editor.langCode === "vi") {
        merge(editor.lang, VIETNAMESE);
      }
      // Between filetools' own listeners: after it opens the request (priority 5),
      // before it sends it (priority 999).
      editor.on("fileUploadRequest", function (event) {
        event.data.fileLoader.xhr.setRequestHeader("X-CSRFToken", csrfToken(editor));
      });
      editor.uploadRepository.on("instanceCreated", function (event) {
        var loader = event.data;
        // Before the upload widget's own listener shows loader.message.
        loader.on(
          "error",
          function () {
            var message = loader.xhr && serverMessage(loader.xhr);
            if (message) {
              loader.message = message;
            }
          },
          null,
          null,
          1
        );
      });
    },
  });
})();

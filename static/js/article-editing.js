/* The article form's editing helpers (articles/admin_editing.py), on the
 * element #article-editing that templates/admin/articles/article/includes/
 * editing.html renders inside the form:
 *
 * - presence: a heartbeat every data-heartbeat-ms tells the server this page
 *   is open and shows who else has the article open ("Đang được sửa bởi …"),
 *   and whether someone saved it since; leaving the page says goodbye;
 * - autosave: every data-autosave-ms, if the form changed since the last
 *   autosave, its content (CKEditor's included) is kept as the person's draft,
 *   never as the article;
 * - restore: the offered draft is put back into the fields, CKEditor and the
 *   byline rows included;
 * - leaving with changes not saved asks first, except when the form is sent
 *   (sending it to another tab, "Xem trước", leaves the page as it is).
 *
 * Posts carry Django's CSRF token, the one of the form (X-CSRFToken, or the
 * form field for the goodbye beacon, which cannot set headers).
 */
/* global CKEDITOR */
(function () {
  "use strict";

  var SKIPPED_TYPES = { file: true, submit: true, button: true, reset: true, image: true };
  var MANAGEMENT = /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;
  var EDITORS_WAIT_MS = 10000;

  function each(list, callback) {
    Array.prototype.forEach.call(list, callback);
  }

  function editorOf(element) {
    return element.tagName === "TEXTAREA" && window.CKEDITOR && element.id
      ? CKEDITOR.instances[element.id] || null
      : null;
  }

  function setUp(root) {
    var form = root.closest("form");
    if (!form) {
      return;
    }
    var token = form.elements.namedItem("csrfmiddlewaretoken").value;
    var presenceUrl = root.getAttribute("data-presence-url");
    var autosaveUrl = root.getAttribute("data-autosave-url");
    var heartbeatMs = Number(root.getAttribute("data-heartbeat-ms")) || 20000;
    var autosaveMs = Number(root.getAttribute("data-autosave-ms")) || 30000;
    var presenceNotice = root.querySelector(".article-editing-presence");
    var savedNotice = root.querySelector(".article-editing-saved");
    var statusLine = root.querySelector(".article-editing-status");
    var offer = root.querySelector(".article-editing-draft");
    var draftScript = document.getElementById("article-editing-draft");
    // A form shown again after an error holds what was typed, not what is stored.
    var shownAgain = root.getAttribute("data-unsaved") === "1";
    var baseline = null;
    var lastSent = null;
    var sending = false;
    var restoring = false;
    var submitting = false;
    var timers = [];

    function fieldsOf(element) {
      return (
        element.name &&
        !element.disabled &&
        !SKIPPED_TYPES[element.type] &&
        element.name !== "csrfmiddlewaretoken" &&
        element.name.indexOf("__prefix__") === -1
      );
    }

    // The form's content: {fields: {name: [values]}, labels: {name: {value: text}}}.
    function collect() {
      var fields = {};
      var labels = {};
      each(form.elements, function (element) {
        if (!fieldsOf(element)) {
          return;
        }
        var name = element.name;
        var values = fields[name] || (fields[name] = []);
        var editor = editorOf(element);
        if (element.type === "checkbox" || element.type === "radio") {
          if (element.checked) {
            values.push(element.value);
          }
        } else if (element.tagName === "SELECT") {
          each(element.options, function (option) {
            if (option.selected) {
              values.push(option.value);
              // An autocomplete's options are only the chosen ones: their names
              // let a restore recreate them.
              (labels[name] || (labels[name] = {}))[option.value] = option.text;
            }
          });
        } else {
          values.push(editor ? editor.getData() : element.value);
        }
      });
      return { fields: fields, labels: labels };
    }

    function contentKey() {
      return JSON.stringify(collect().fields);
    }

    function post(url, body, contentType) {
      var headers = { "X-CSRFToken": token };
      if (contentType) {
        headers["Content-Type"] = contentType;
      }
      return fetch(url, {
        method: "POST",
        body: body,
        headers: headers,
        credentials: "same-origin",
      }).then(function (response) {
        if (response.status === 403 || response.status === 404) {
          stop();
        }
        return response.ok ? response.json() : Promise.reject(response);
      });
    }

    function stop() {
      timers.forEach(clearInterval);
      timers = [];
    }

    // A notice: its wrapper hidden when there is nothing to say.
    function show(wrapper, text) {
      wrapper.querySelector("li").textContent = text || "";
      wrapper.hidden = !text;
    }

    function heartbeat() {
      if (submitting) {
        return; // the save says this form is left: a late "I am here" would undo it
      }
      var body = new FormData();
      var version = form.elements.namedItem("version");
      body.append("version", version ? version.value : "");
      post(presenceUrl, body).then(
        function (reply) {
          show(presenceNotice, reply.presence);
          show(savedNotice, reply.saved);
        },
        function () {}
      );
    }

    function goodbye() {
      var body = new FormData();
      body.append("csrfmiddlewaretoken", token);
      body.append("leaving", "1");
      navigator.sendBeacon(presenceUrl, body);
    }

    function autosave() {
      if (submitting || sending || restoring) {
        return;
      }
      var content = collect();
      var key = JSON.stringify(content.fields);
      if (key === lastSent) {
        return;
      }
      // Back to what the page opened with: nothing left to keep.
      var payload = key === baseline && !shownAgain ? { discard: true } : content;
      sending = true;
      post(autosaveUrl, JSON.stringify(payload), "application/json").then(
        function (reply) {
          sending = false;
          lastSent = key;
          if (reply.message) {
            statusLine.textContent = reply.message;
          }
          if (offer && !payload.discard) {
            offer.hidden = true; // the draft offered is the one just replaced
          }
        },
        function () {
          sending = false;
        }
      );
    }

    function changed(element) {
      element.dispatchEvent(new Event("change", { bubbles: true }));
    }

    // Rows the draft has and the page has not yet (a byline added), through the
    // inline's own "add another" link, so the admin numbers and wires them.
    function addRows(fields) {
      Object.keys(fields).forEach(function (name) {
        var match = /^(.+)-TOTAL_FORMS$/.exec(name);
        var total = form.elements.namedItem(name);
        if (!match || !total) {
          return;
        }
        var wanted = Number(fields[name][0]);
        var link = document.querySelector("#" + match[1] + "-group .add-row a");
        while (link && Number(total.value) < wanted) {
          link.click();
          link = document.querySelector("#" + match[1] + "-group .add-row a");
        }
      });
    }

    // Calls ``done`` once the editors hold what ``put`` gave them.
    function put(element, values, labels, done) {
      var editor = editorOf(element);
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT") {
        values.forEach(function (value) {
          var known = Array.prototype.some.call(element.options, function (option) {
            return option.value === value;
          });
          if (!known && value !== "") {
            element.add(new Option(labels[value] || value, value));
          }
        });
        each(element.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else if (editor) {
        done.pending += 1;
        editor.setData(values[0] || "", { callback: done });
        return;
      } else {
        element.value = values[0] || "";
      }
      changed(element);
    }

    function restore() {
      var draft = JSON.parse(draftScript.textContent);
      var fields = draft.fields || {};
      var labels = draft.labels || {};
      // The draft restored is the one stored: no autosave until the next change
      // (nor before the editors hold it).
      function done() {
        done.pending -= 1;
        if (done.pending === 0) {
          lastSent = contentKey();
          restoring = false;
        }
      }
      done.pending = 1;
      restoring = true;
      addRows(fields);
      Object.keys(fields).forEach(function (name) {
        if (MANAGEMENT.test(name)) {
          return;
        }
        each(form.elements, function (element) {
          if (element.name === name && fieldsOf(element)) {
            put(element, fields[name], labels[name] || {}, done);
          }
        });
      });
      done();
      offer.hidden = true;
      statusLine.textContent =
        "Đã khôi phục bản lưu tự động. Hãy xem lại rồi bấm Lưu để lưu vào bài.";
    }

    function discard() {
      post(autosaveUrl, JSON.stringify({ discard: true }), "application/json").then(
        function () {
          offer.hidden = true;
        },
        function () {}
      );
    }

    function start() {
      baseline = contentKey();
      // Shown again after an error: kept at the first autosave.
      lastSent = shownAgain ? null : baseline;
      if (presenceUrl) {
        heartbeat();
        timers.push(setInterval(heartbeat, heartbeatMs));
        window.addEventListener("pagehide", goodbye);
      }
      timers.push(setInterval(autosave, autosaveMs));
    }

    form.addEventListener("submit", function (event) {
      // A button sending the form to another tab ("Xem trước") leaves this page as it is.
      var submitter = event.submitter;
      var target = (submitter && submitter.getAttribute("formtarget")) || form.target;
      if (target && target !== "_self") {
        return;
      }
      submitting = true;
      // Another script may have stopped the submit: the page stays, and so does the check.
      setTimeout(function () {
        if (event.defaultPrevented) {
          submitting = false;
        }
      }, 0);
    });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || baseline === null) {
        return; // sent, or not started yet: nothing typed
      }
      if (shownAgain || contentKey() !== baseline) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    if (offer) {
      offer.querySelector("[data-editing=restore]").addEventListener("click", restore);
      offer.querySelector("[data-editing=discard]").addEventListener("click", discard);
    }

    // The baseline is taken once the editors hold the article: CKEditor's
    // getData() is its own rendering of the body, not the textarea's text.
    var waited = 0;
    (function whenEditorsReady() {
      var pending = Array.prototype.some.call(
        form.querySelectorAll("textarea[data-type=ckeditortype]"),
        function (textarea) {
          var editor = editorOf(textarea);
          return textarea.id.indexOf("__prefix__") === -1 && (!editor || editor.status !== "ready");
        }
      );
      if (pending && waited < EDITORS_WAIT_MS) {
        waited += 100;
        setTimeout(whenEditorsReady, 100);
        return;
      }
      start();
    })();
  }

  function ready() {
    var root = document.getElementById("article-editing");
    if (root) {
      setUp(root);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

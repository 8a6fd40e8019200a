// The moderation queue by keyboard: j/k choose a comment, a approves, r opens the
// reasons to reject (1-5 one of them, Enter none, Esc closes), s marks spam,
// u presses the Undo in the message, ? lists the keys. A key presses the row's
// own button (data-key, comments/admin.py), so it posts exactly as a click does;
// the row's place is kept across the reload so that the next comment comes up
// chosen at once. Without this script the buttons work as they are.
(function () {
  "use strict";
  var STORED = "moderation-queue:row";
  var KEYS = [
    ["j / k", "chọn ý kiến kế tiếp / trước đó"],
    ["a", "duyệt"],
    ["r", "từ chối: rồi 1–5 chọn lý do, Enter không nêu lý do, Esc đóng"],
    ["s", "đánh dấu spam"],
    ["u", "hoàn tác quyết định vừa rồi"],
    ["?", "hiện bảng phím tắt này (Esc đóng)"],
  ];

  function typing(element) {
    if (element.isContentEditable) return true;
    var tag = element.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    return tag === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(element.type);
  }

  // The row to choose after the reload; storage may be refused (a private
  // window), and then the queue starts at its first row.
  function remember(index) {
    try {
      sessionStorage.setItem(STORED, String(index));
    } catch (refused) {}
  }

  function recall() {
    try {
      var stored = sessionStorage.getItem(STORED);
      sessionStorage.removeItem(STORED);
      return /^[0-9]+$/.test(stored || "") ? Number(stored) : null;
    } catch (refused) {
      return null;
    }
  }

  function init() {
    var table = document.getElementById("result_list");
    if (!table) return;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var current = -1;
    var help = null;

    rows.forEach(function (row) {
      row.tabIndex = -1;
    });

    function choose(index, focus) {
      if (!rows.length) return;
      index = Math.max(0, Math.min(index, rows.length - 1));
      if (rows[current]) rows[current].classList.remove("is-current");
      current = index;
      var row = rows[current];
      row.classList.add("is-current");
      if (focus) {
        row.focus({ preventScroll: true });
        row.scrollIntoView({ block: "nearest" });
      }
    }

    function reasons(row) {
      return row && row.querySelector("details.reject-reasons");
    }

    function closeReasons() {
      var open = reasons(rows[current]);
      if (open) open.open = false;
    }

    // A click, so that the place is remembered by the listeners below.
    function press(button) {
      if (!button) return false;
      button.click();
      return true;
    }

    function pressInRow(key) {
      var row = rows[current];
      return press(row && row.querySelector('button[data-key="' + key + '"]'));
    }

    function showHelp() {
      if (!help) {
        help = document.createElement("dialog");
        help.className = "queue-help";
        help.setAttribute("aria-labelledby", "queue-help-title");
        var title = document.createElement("h2");
        title.id = "queue-help-title";
        title.textContent = "Phím tắt trong hàng chờ duyệt";
        var list = document.createElement("dl");
        KEYS.forEach(function (pair) {
          var term = document.createElement("dt");
          var kbd = document.createElement("kbd");
          kbd.textContent = pair[0];
          term.appendChild(kbd);
          var description = document.createElement("dd");
          description.textContent = pair[1];
          list.appendChild(term);
          list.appendChild(description);
        });
        var close = document.createElement("button");
        close.type = "button";
        close.className = "button";
        close.textContent = "Đóng";
        close.addEventListener("click", function () {
          help.close();
        });
        help.appendChild(title);
        help.appendChild(list);
        help.appendChild(close);
        help.addEventListener("close", function () {
          if (rows[current]) rows[current].focus({ preventScroll: true });
        });
        document.body.appendChild(help);
      }
      help.showModal();
    }

    // Keys while the reasons of the current row are open.
    function onReasonKey(event) {
      var open = reasons(rows[current]);
      if (!open || !open.open) return false;
      if (/^[1-9]$/.test(event.key)) return pressInRow(event.key) || true;
      if (event.key === "Escape") {
        closeReasons();
        rows[current].focus({ preventScroll: true });
        return true;
      }
      // Enter on one of the reasons' own buttons presses that button.
      if (event.key === "Enter" && document.activeElement === rows[current]) {
        return pressInRow("Enter");
      }
      return false;
    }

    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (typing(event.target) || (help && help.open)) return;
      var handled = onReasonKey(event);
      if (!handled) {
        switch (event.key) {
          case "j":
          case "k":
            closeReasons();
            choose(current + (event.key === "j" ? 1 : -1), true);
            handled = true;
            break;
          case "a":
          case "s":
            handled = pressInRow(event.key);
            break;
          case "r":
            if (rows[current] && reasons(rows[current])) {
              reasons(rows[current]).open = true;
              rows[current].focus({ preventScroll: true });
              rows[current].scrollIntoView({ block: "nearest" });
              handled = true;
            }
            break;
          case "u":
            handled = press(document.querySelector(".messagelist [data-undo]"));
            break;
          case "?":
            showHelp();
            handled = true;
            break;
        }
      }
      if (handled) event.preventDefault();
    });

    // A tap or a Tab into a row makes it the current one, and a decision made
    // with the pointer keeps the place for the reload as a key does.
    table.addEventListener("focusin", function (event) {
      var row = event.target.closest("tbody tr");
      if (row && rows.indexOf(row) !== current) choose(rows.indexOf(row), false);
    });
    table.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-key]");
      var row = button && button.closest("tbody tr");
      if (row) remember(rows.indexOf(row));
    });
    var undo = document.querySelector(".messagelist [data-undo]");
    if (undo) {
      undo.addEventListener("click", function () {
        remember(Math.max(current, 0));
      });
    }

    var hint = document.createElement("p");
    hint.className = "queue-keys-hint";
    hint.textContent = "Phím tắt: j/k chọn, a duyệt, r từ chối, s spam, u hoàn tác, ? trợ giúp";
    var changelist = document.getElementById("changelist");
    if (changelist) changelist.parentNode.insertBefore(hint, changelist);

    var stored = recall();
    choose(stored === null ? 0 : stored, stored !== null);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

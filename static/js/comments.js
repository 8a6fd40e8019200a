// Comments block. The page already shows the list and a plain form that works
// alone; this adds the live counter (counted as the server counts), posting in
// place, "Trả lời" moving the form under a comment, and "Xem thêm" in place.
(() => {
  "use strict";

  const HEADERS = { "X-Requested-With": "fetch" };

  // portal.text.normalize_comment: CR/CRLF -> \n, control characters but \n
  // and the bidirectional controls removed, NFC, then Python's str.strip()
  // (unlike trim(), it keeps U+FEFF).
  const REMOVED =
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  const SPACE = "[\\n \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  const EDGES = new RegExp(`^${SPACE}+|${SPACE}+$`, "g");
  const normalize = (text) =>
    text.replace(/\r\n?/g, "\n").replace(REMOVED, "").normalize("NFC").replace(EDGES, "");
  // Code points, like Python's len(): "😀".length is 2 UTF-16 units, 1 character.
  const countChars = (text) => Array.from(normalize(text)).length;

  const adopt = (node) => document.importNode(node, true);
  const fetchPage = async (url) => {
    const response = await fetch(url, { headers: HEADERS });
    if (!response.ok) throw new Error(String(response.status));
    return new DOMParser().parseFromString(await response.text(), "text/html");
  };

  function setUp(section, form) {
    const $ = (selector) => form.querySelector(selector);
    const body = $("textarea[name=body]");
    const counter = $("[data-counter]");
    const submit = $("[data-comments-submit]");
    const status = $("[data-comments-status]");
    const errors = $("[data-comments-errors]");
    const parent = $("[data-comments-parent]");
    const replying = $("[data-comments-replying]");
    const max = Number(counter.dataset.max);
    const list = () => section.querySelector("[data-comments-body]");
    let sending = false;
    let wasOver = false;
    let moved = false;

    const update = () => {
      const count = countChars(body.value);
      const over = count > max;
      counter.textContent = `${count} / ${max} ký tự`;
      counter.classList.toggle("is-over", over);
      $("[data-counter-warning]").hidden = !over;
      // Only the length state is ours: a server error marked on load stays.
      if (over) body.setAttribute("aria-invalid", "true");
      else if (wasOver) body.removeAttribute("aria-invalid");
      wasOver = over;
      submit.disabled = over || sending;
    };

    const showErrors = (message, fields = {}) => {
      for (const [name, messages] of Object.entries(fields)) {
        const box = $(`[data-errors-for="${CSS.escape(name)}"]`);
        if (box) box.textContent = messages.join(" ");
        else message += ` ${messages.join(" ")}`;
      }
      const line = document.createElement("p");
      line.textContent = message;
      errors.replaceChildren(line);
    };

    // Like WordPress's comment-reply: one form, moved under the comment answered.
    const replyTo = (link) => {
      link.parentNode.after(form);
      parent.value = link.dataset.commentsReply;
      $("[data-comments-replying-to]").textContent = `Trả lời ý kiến của ${link.dataset.name}`;
      replying.hidden = false;
      moved = true;
      body.focus();
    };
    const stopReplying = () => {
      parent.value = "";
      replying.hidden = true;
      if (moved) list().before(form);
      moved = false;
    };

    // The reader's comment is published: the list again, with it.
    const showList = async (id) => {
      const fresh = await fetchPage(section.dataset.commentsUrl);
      stopReplying();
      section.querySelector("[data-comments-heading]").textContent =
        fresh.querySelector("[data-comments-heading]").textContent;
      list().replaceChildren(
        ...Array.from(fresh.querySelector("[data-comments-body]").childNodes, adopt),
      );
      document.getElementById(`y-kien-${id}`)?.scrollIntoView({ block: "center" });
    };

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      status.textContent = "";
      errors.replaceChildren();
      for (const box of form.querySelectorAll("[data-errors-for]")) box.textContent = "";
      sending = true;
      update();
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: HEADERS,
        });
        const data = await response.json().catch(() => ({}));
        if (response.status === 201) {
          body.value = "";
          status.textContent = data.message;
          // Posted whatever happens next: a list that fails to come stays as it is.
          if (data.published && section.dataset.commentsUrl) {
            showList(data.published).catch(() => {});
          }
        } else if (data.message) {
          showErrors(data.message, data.errors);
        } else {
          showErrors(`Chưa gửi được (lỗi ${response.status}). Nội dung vẫn còn, hãy thử lại.`);
        }
      } catch {
        showErrors("Không kết nối được. Nội dung vẫn còn, hãy kiểm tra mạng rồi gửi lại.");
      } finally {
        sending = false;
        update();
      }
    });

    section.addEventListener("click", (event) => {
      const reply = event.target.closest("[data-comments-reply]");
      // On the reply page the form was not moved: "Hủy" is followed as a link.
      const cancel = moved && event.target.closest("[data-comments-cancel]");
      if (!reply && !cancel) return;
      event.preventDefault();
      if (reply) replyTo(reply);
      else {
        stopReplying();
        body.focus();
      }
    });
    body.addEventListener("input", update);
    update();
  }

  // "Xem thêm": the next page joins the list in place.
  async function showMore(section, link) {
    const fragment = await fetchPage(link.href);
    const list = section.querySelector("[data-comments-list]");
    list.append(...Array.from(fragment.querySelectorAll("[data-comments-list] > li"), adopt));
    const next = fragment.querySelector("[data-comments-more-row]");
    const row = link.closest("[data-comments-more-row]");
    if (next) row.replaceWith(adopt(next));
    else row.remove();
  }

  for (const section of document.querySelectorAll("[data-comments]")) {
    const form = section.querySelector("[data-comments-form]");
    if (form) setUp(section, form);

    section.addEventListener("click", (event) => {
      const link = event.target.closest("[data-comments-more]");
      if (!link) return;
      event.preventDefault();
      link.setAttribute("aria-disabled", "true");
      // If anything goes wrong the link is followed as a plain link.
      showMore(section, link).catch(() => window.location.assign(link.href));
    });
  }
})();

// Comments block: loads the approved list after the page, counts like the
// server, posts in place. On the article page the block is a skeleton with no
// CSRF token (the page is cached for everyone): comments:list supplies the
// count, the list and the token. Without this script a plain page and form work.
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

  const parse = (html) => new DOMParser().parseFromString(html, "text/html");
  const adopt = (node) => document.importNode(node, true);

  function setUpForm(form) {
    const $ = (selector) => form.querySelector(selector);
    const body = $("textarea[name=body]");
    const counter = $("[data-counter]");
    const submit = $("[data-comments-submit]");
    const status = $("[data-comments-status]");
    const errors = $("[data-comments-errors]");
    const max = Number(counter.dataset.max);
    let sending = false;
    let wasOver = false;

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
      submit.disabled = over || sending || !$("[name=csrfmiddlewaretoken]");
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
        } else if (data.message) {
          showErrors(data.message, data.errors);
        } else if (response.status === 403) {
          // Django's own CSRF refusal: a token from a page left open too long.
          showErrors("Phiên làm việc đã hết hạn. Hãy tải lại trang rồi gửi lại.");
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

    body.addEventListener("input", update);
    update();
    return update;
  }

  // Fill the skeleton from comments:list. The form is not replaced, only given
  // the token, so whatever the reader typed meanwhile stays (focus included).
  async function load(section, form, update) {
    const list = section.querySelector("[data-comments-body]");
    try {
      const response = await fetch(section.dataset.commentsUrl, { headers: HEADERS });
      if (!response.ok) throw new Error(String(response.status));
      const fragment = parse(await response.text());
      const heading = fragment.querySelector("[data-comments-heading]");
      const title = section.querySelector("[data-comments-heading]");
      if (heading && title) title.textContent = heading.textContent;
      const closed = fragment.querySelector("[data-comments-closed]");
      const token = fragment.querySelector("[name=csrfmiddlewaretoken]");
      if (closed) form.replaceWith(adopt(closed));
      else if (token) form.prepend(adopt(token));
      const items = fragment.querySelector("[data-comments-body]")?.childNodes ?? [];
      list.replaceChildren(...Array.from(items, adopt));
      update();
    } catch {
      // The form stays with what was typed; sending waits for a token.
      const link = document.createElement("a");
      link.href = section.dataset.commentsUrl;
      link.textContent = "Mở trang ý kiến";
      const line = document.createElement("p");
      line.append("Chưa tải được ý kiến. ", link);
      list.replaceChildren(line);
    } finally {
      list.removeAttribute("aria-busy");
    }
  }

  // "Xem thêm": the next page joins the list in place.
  async function showMore(section, link) {
    const response = await fetch(link.href, { headers: HEADERS });
    if (!response.ok) throw new Error(String(response.status));
    const fragment = parse(await response.text());
    const list = section.querySelector("[data-comments-list]");
    list.append(...Array.from(fragment.querySelectorAll("[data-comments-list] > li"), adopt));
    const next = fragment.querySelector("[data-comments-more-row]");
    const row = link.closest("[data-comments-more-row]");
    if (next) row.replaceWith(adopt(next));
    else row.remove();
  }

  for (const section of document.querySelectorAll("[data-comments]")) {
    const form = section.querySelector("[data-comments-form]");
    const update = form ? setUpForm(form) : () => {};

    section.addEventListener("click", (event) => {
      const link = event.target.closest("[data-comments-more]");
      if (!link) return;
      event.preventDefault();
      link.setAttribute("aria-disabled", "true");
      // If anything goes wrong the link is followed as a plain link.
      showMore(section, link).catch(() => window.location.assign(link.href));
    });

    if (form && section.dataset.commentsUrl) {
      form.hidden = false;
      load(section, form, update);
    }
  }
})();

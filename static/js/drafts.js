// Drafts of long texts, kept in this browser until the form is saved.
//
// A 读后感, a comment, a 践诺 entry or a reason can take half an hour to write; if the session has
// ended or the page is too old when it is sent, the server refuses it and the text would be lost.
// Every field marked `data-draft` (config/forms.py marks every textarea; a form marked
// `data-draft` counts for all its textareas) is copied to localStorage as it is typed, under
// "cx-draft:<user>:<page>:<form action>:<field>", and put back when the form opens again empty.
//
// When is a draft done with? Sending the form only says that it left: the server may refuse it.
// A form that was saved is answered with a redirect; a form with mistakes is shown again (no
// redirect), and a refused one lands on an error page, on the login page (signed out) or on a
// page with an error message. So the keys of a sent form wait in sessionStorage, and the next
// page clears them only if it was reached through a redirect, by the same person, signed in,
// without an error message.
//
// A shared office computer: drafts belong to the person signed in (another person's drafts are
// removed when someone else signs in), they are removed on sign-out, and passwords, hidden and
// file fields are never kept. Drafts older than two weeks are dropped.
(() => {
  const PREFIX = "cx-draft:";
  const PENDING = "cx-draft-pending";
  const MAX_AGE = 14 * 24 * 3600 * 1000;
  // Set by templates/includes/_shell.html, drawn for each request (config/pagecache.py).
  const viewer = document.getElementById("viewer") || document.body;
  const user = viewer.dataset.draftUser || "";
  const signout = viewer.dataset.signoutUrl || "";

  let store;
  try {
    store = window.localStorage;
    store.getItem(PREFIX); // throws where storage is disabled
  } catch (e) {
    return;
  }

  const pathOf = (url) => new URL(url, window.location.href).pathname;
  const draftKeys = () => {
    const keys = [];
    for (let i = 0; i < store.length; i += 1) {
      const key = store.key(i);
      if (key && key.startsWith(PREFIX)) keys.push(key);
    }
    return keys;
  };
  const read = (key) => {
    try {
      return JSON.parse(store.getItem(key) || "null");
    } catch (e) {
      return null;
    }
  };

  // Sign-out removes every draft (and anything else of ours) from this browser.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (signout && !event.defaultPrevented && pathOf(form.getAttribute("action") || "") === signout) {
      draftKeys().forEach((key) => store.removeItem(key));
      window.sessionStorage.removeItem(PENDING);
    }
  });

  // Old drafts, and drafts of someone else, go.
  const now = Date.now();
  draftKeys().forEach((key) => {
    const draft = read(key);
    if (!draft || now - (draft.t || 0) > MAX_AGE || (user && draft.u !== user)) store.removeItem(key);
  });

  // The form sent from the previous page: saved (redirected here without an error) or not.
  let pending = null;
  try {
    pending = JSON.parse(window.sessionStorage.getItem(PENDING) || "null");
  } catch (e) {
    pending = null;
  }
  window.sessionStorage.removeItem(PENDING);
  if (pending && user && pending.u === user && now - pending.t < 10 * 60 * 1000) {
    const nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    const redirected = nav ? nav.redirectCount > 0 : window.location.pathname !== pending.page;
    const refused = document.querySelector(".alert-danger");
    if (redirected && !refused) pending.keys.forEach((key) => store.removeItem(key));
  }

  if (!user) return;

  const keyOf = (field) => {
    const form = field.form;
    const action = pathOf((form && form.getAttribute("action")) || window.location.href);
    return `${PREFIX}${user}:${window.location.pathname}:${action}:${field.name}`;
  };
  const keepable = (field) =>
    field.name &&
    field.form &&
    (field.form.getAttribute("method") || "").toLowerCase() === "post" &&
    !["password", "hidden", "file"].includes(field.type) &&
    !(field.autocomplete || "").includes("password");
  const fields = Array.from(
    document.querySelectorAll(
      "textarea[data-draft], input[data-draft], form[data-draft] textarea",
    ),
  ).filter(keepable);

  const save = (field) => {
    const key = keyOf(field);
    if (field.value.trim()) {
      store.setItem(key, JSON.stringify({ v: field.value, t: Date.now(), u: user }));
    } else {
      store.removeItem(key);
    }
  };

  const notice = (field, text, buttonText, onClick) => {
    const note = document.createElement("div");
    note.className = "form-text text-success draft-note";
    note.setAttribute("role", "status");
    note.textContent = text;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link btn-sm p-0 ms-2 align-baseline";
    button.textContent = buttonText;
    button.addEventListener("click", () => {
      onClick();
      note.remove();
      field.focus();
    });
    note.appendChild(button);
    field.insertAdjacentElement("afterend", note);
  };

  fields.forEach((field) => {
    const key = keyOf(field);
    const draft = read(key);
    if (draft && draft.v && draft.v !== field.value) {
      if (!field.value.trim()) {
        field.value = draft.v;
        notice(field, "已恢复您上次没有提交的内容。", "清空", () => {
          field.value = "";
          store.removeItem(key);
        });
      } else {
        // The page shows saved text: never overwritten, but the draft is offered.
        notice(field, "这台电脑上有一份您没有提交的草稿。", "用草稿替换", () => {
          field.value = draft.v;
        });
      }
    }
    let timer = null;
    field.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => save(field), 300);
    });
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented) return;
    const mine = fields.filter((field) => field.form === form);
    if (!mine.length) return;
    mine.forEach(save);
    window.sessionStorage.setItem(
      PENDING,
      JSON.stringify({ u: user, t: Date.now(), page: window.location.pathname, keys: mine.map(keyOf) }),
    );
  });
})();

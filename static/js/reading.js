// 宣传稿: copy the plain-text block to the clipboard (falls back to selecting it).
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.getAttribute("data-copy-target"));
    const status = document.getElementById("copy-status");
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = "已复制，可以粘贴到群里了。";
    } catch (err) {
      document.execCommand("copy");
      if (status) status.textContent = "已选中全部文字，请按 Ctrl+C 复制。";
    }
  });
});

// 登记发放: tick or untick every person at once.
document.querySelectorAll("[data-check-all]").forEach((button) => {
  button.addEventListener("click", () => {
    const boxes = document.querySelectorAll(`input[type=checkbox][name="${button.getAttribute("data-check-all")}"]`);
    const tick = Array.from(boxes).some((box) => !box.checked);
    boxes.forEach((box) => { box.checked = tick; });
  });
});

// The article editor's image picker (admin/articles/image/picker.html): a click on an
// image hands its address, alt text and caption back to the editor that opened this
// window, the way CKEditor's file browser answers (django-prose-editor's Figure dialog
// listens through window.CKEDITOR.tools.callFunction), then closes the window.
document.addEventListener("DOMContentLoaded", () => {
  const grid = document.querySelector(".image-picker-grid");
  if (!grid) return;
  const callback = Number.parseInt(grid.dataset.callback, 10);
  grid.addEventListener("click", (event) => {
    const choice = event.target.closest(".image-picker-choice");
    if (!choice || Number.isNaN(callback)) return;
    const editor = window.opener && window.opener.CKEDITOR;
    if (!editor || !editor.tools) return;
    editor.tools.callFunction(callback, choice.dataset.url, {
      id: choice.dataset.id,
      alternative_text: choice.dataset.alt,
      caption: choice.dataset.caption,
    });
    window.close();
  });
});

// Our extensions to the article body's editor (django-prose-editor), loaded by its
// "configurable" preset for the extensions named in articles/editor.py.
import { Extension } from "django-prose-editor/editor";

// Tiptap puts its base rules in a <style> element it adds to the page, which our
// Content-Security-Policy (style-src 'self') refuses. The same rules are in
// static/css/admin.css; this turns the injection off before the editor's view is made.
export const NoInjectedStyles = Extension.create({
  name: "noInjectedStyles",
  onBeforeCreate() {
    this.editor.options.injectCSS = false;
  },
});

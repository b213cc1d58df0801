// Loaded between require.js and the widget manager on pages with saved widget state (see _config.yml).
// The widget manager's bundle defines several named modules (@jupyter-widgets/base, controls,
// html-manager/dist/libembed-amd, ...), and whichever of them injects the icon-font CSS first looks for the fonts
// in the folder require.js gives that module's name. Without these mappings that is the page's own folder,
// and every font request is a 404; with them every name resolves into the vendored folder.
(function () {
  var self = document.currentScript && document.currentScript.src;
  if (!self || !window.require) { return; }
  var folder = self.slice(0, self.lastIndexOf("/") + 1) + "vendor/widgets";
  window.require.config({ paths: {
    "@jupyter-widgets": folder,
    "@jupyter-widgets/html-manager": folder + "/html-manager",
    "@jupyter-widgets/html-manager/dist": folder
  } });
})();

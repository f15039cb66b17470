// Installs the service worker (see /sw.js), which keeps the app shell for a weak signal.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(() => {
      // Without it the app still works online; nothing to tell the user.
    });
  });
}

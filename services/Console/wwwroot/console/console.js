// The supervisor's queue updates by itself: the page is asked for again every few seconds (the same
// server render, with the session's cookie) and its table is swapped in when it changed. No
// WebSocket, no long-held connection: it works through any proxy and over poor connections.
(function () {
  function watchQueue() {
    const queue = document.getElementById('queue');
    if (!queue || queue.dataset.watching) return;
    queue.dataset.watching = 'true';
    const every = parseInt(queue.dataset.refreshMs || '1000', 10);
    const tick = async () => {
      const current = document.getElementById('queue');
      if (!current) return; // navigated away
      try {
        const response = await fetch(location.pathname + location.search, { credentials: 'same-origin', cache: 'no-store' });
        if (response.ok) {
          const html = await response.text();
          const next = new DOMParser().parseFromString(html, 'text/html').getElementById('queue');
          if (next && next.innerHTML !== current.innerHTML) current.innerHTML = next.innerHTML;
        }
      } catch (e) { /* offline for a moment: try again at the next tick */ }
      setTimeout(tick, every);
    };
    setTimeout(tick, every);
  }
  document.addEventListener('DOMContentLoaded', watchQueue);
  // Blazor's enhanced navigation swaps pages without a load event.
  if (window.Blazor) { window.Blazor.addEventListener('enhancedload', watchQueue); }
  else { document.addEventListener('DOMContentLoaded', () => window.Blazor && window.Blazor.addEventListener('enhancedload', watchQueue)); }
})();

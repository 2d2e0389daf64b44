import { escapeHtml } from './html-escape.js';

/** The page at a session's `shareable_url`: the same dialog, for WebViews and links. */
export function hostedPage(sessionId: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Flow emulator · ${escapeHtml(sessionId)}</title>
<script src="/flow.js"></script></head>
<body data-session-id="${escapeHtml(sessionId)}">
<script>
window.Flow.openHosted(document.body.dataset.sessionId).catch(function (error) {
  document.body.textContent = error.message;
});
</script>
</body></html>
`;
}

/** Downloads of a saved board (history page): file names and handing a Blob to the browser. */

/** "Weekly sync" + 2026-11-25 → "Weekly sync 2026-11-25" without characters file systems refuse. */
export function exportFileName(title: string, updatedAt: string, extension: string): string {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(updatedAt)?.[0] ?? '';
  const raw = `${title.trim() || 'whiteboard'}${day ? ` ${day}` : ''}`;
  // Characters that Windows or macOS refuse in file names, and control characters.
  const base = [...raw]
    .map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? '-' : c))
    .join('')
    .slice(0, 100);
  return `${base}.${extension}`;
}

export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

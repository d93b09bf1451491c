import { describe, expect, it } from 'vitest';
import { exportFileName } from './boardExport';

describe('exportFileName', () => {
  it('names the file after the meeting and the day, without characters file systems refuse', () => {
    expect(exportFileName('Weekly sync', '2026-11-25T10:00:00Z', 'png')).toBe('Weekly sync 2026-11-25.png');
    expect(exportFileName('a/b: c?', '', 'excalidraw')).toBe('a-b- c-.excalidraw');
    expect(exportFileName('  ', 'x', 'svg')).toBe('whiteboard.svg');
  });
});

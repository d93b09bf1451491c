import { describe, expect, it } from 'vitest';
import { supportsScreenShare } from './screenShare';

describe('supportsScreenShare', () => {
  it('is offered only where getDisplayMedia is a function', () => {
    expect(supportsScreenShare({ mediaDevices: { getDisplayMedia: async () => ({}) as MediaStream } })).toBe(true);
    // Android Chrome and iOS Safari: mediaDevices without getDisplayMedia.
    expect(supportsScreenShare({ mediaDevices: {} })).toBe(false);
    expect(supportsScreenShare({ mediaDevices: { getDisplayMedia: undefined } })).toBe(false);
    // Insecure context: no mediaDevices at all.
    expect(supportsScreenShare({})).toBe(false);
    expect(supportsScreenShare(undefined)).toBe(false);
  });
});

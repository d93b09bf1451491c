import { describe, expect, it } from 'vitest';
import { tokenFromHash } from './ResetPassword';

describe('tokenFromHash', () => {
  it('reads the token from the fragment', () => {
    expect(tokenFromHash('#token=abc_DEF-123')).toBe('abc_DEF-123');
    expect(tokenFromHash('token=xyz')).toBe('xyz');
    expect(tokenFromHash('#foo=1&token=t%2Bk')).toBe('t+k');
  });

  it('returns null when there is no token', () => {
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
    expect(tokenFromHash('#other=1')).toBeNull();
  });
});

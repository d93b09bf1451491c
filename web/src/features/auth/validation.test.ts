import { describe, expect, it } from 'vitest';
import { checkNewPassword, checkUsername } from './validation';

// The server's rule (credentials_policy.cpp): 2 to 32 code points after trimming, any printable
// Unicode, no control or bidirectional-control characters.
describe('checkUsername', () => {
  it('accepts what the server accepts', () => {
    expect(checkUsername('al')).toBeUndefined();
    expect(checkUsername('  Zoë Müller  ')).toBeUndefined();
    expect(checkUsername('李小龍')).toBeUndefined();
    expect(checkUsername('a'.repeat(32))).toBeUndefined();
    expect(checkUsername('😀'.repeat(32))).toBeUndefined();
  });

  it('rejects what the server rejects', () => {
    expect(checkUsername('   ')).toMatch(/required/);
    expect(checkUsername(' a ')).toMatch(/2 to 32/);
    expect(checkUsername('a'.repeat(33))).toMatch(/2 to 32/);
    expect(checkUsername('ab\u0007c')).toMatch(/control/);
    expect(checkUsername('ab\u202ecd')).toMatch(/control/);
    expect(checkUsername('ab\u0085cd')).toMatch(/control/);
  });
});

describe('checkNewPassword', () => {
  it('counts characters, not UTF-16 units', () => {
    expect(checkNewPassword('😀😀😀😀')).toMatch(/at least 8/);
    expect(checkNewPassword('😀'.repeat(8))).toBeUndefined();
  });
});

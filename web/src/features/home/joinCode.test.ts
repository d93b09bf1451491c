import { describe, expect, it } from 'vitest';
import { parseJoinCode } from './joinCode';

describe('parseJoinCode', () => {
  it.each([
    ['abc-defg-hij', 'abc-defg-hij'],
    ['ABC DEFG HIJ', 'abc-defg-hij'],
    ['  Abc-Defg-Hij  ', 'abc-defg-hij'],
    ['abcdefghij', 'abc-defg-hij'],
    ['abc - defg - hij', 'abc-defg-hij'],
    ['http://meet.example.test/m/abc-defg-hij', 'abc-defg-hij'],
    ['https://meet.example.test:6001/m/abc-defg-hij?pwd=1#x', 'abc-defg-hij'],
    ['meet.example.test/m/ABC-DEFG-HIJ/', 'abc-defg-hij'],
    ['/m/abc-defg-hij', 'abc-defg-hij'],
  ])('accepts %j', (input, expected) => {
    expect(parseJoinCode(input)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'hello',
    'abc-defg-hi',
    'abc-defg-hijk',
    'ab-cdefg-hij',
    'abc-def1-hij',
    'abc_defg_hij',
    'abcdefghijk',
    'https://meet.example.test/meetings',
    'https://evil.test/x/abc-defg-hij',
    'javascript:alert(1)',
    '/m/abc-defg-hij/extra',
    '<script>abc-defg-hij</script>',
  ])('rejects %j', (input) => {
    expect(parseJoinCode(input)).toBeNull();
  });
});

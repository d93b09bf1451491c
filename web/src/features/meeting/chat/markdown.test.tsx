import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatText, safeHref, tokenize } from './markdown';

function html(text: string): string {
  const { container } = render(
    <div>
      <ChatText text={text} />
    </div>,
  );
  return container.firstElementChild!.innerHTML;
}

describe('chat markdown', () => {
  it('renders the subset', () => {
    expect(html('**bold** and *italic* and _also_ and `x < y`')).toBe(
      '<strong>bold</strong> and <em>italic</em> and <em>also</em> and <code>x &lt; y</code>',
    );
  });

  it('turns http(s) links into new-tab links with noopener', () => {
    expect(html('see https://example.com/a?b=1 now')).toBe(
      'see <a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer">https://example.com/a?b=1</a> now',
    );
    expect(html('[docs](https://example.com/docs)')).toBe(
      '<a href="https://example.com/docs" target="_blank" rel="noopener noreferrer">docs</a>',
    );
  });

  it.each([
    '<img src=x onerror=alert(1)>',
    '<script>alert(1)</script>',
    '"><svg onload=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '**<b onmouseover=alert(1)>x</b>**',
  ])('never lets markup through: %s', (payload) => {
    const out = html(payload);
    expect(out).not.toMatch(/<(img|script|svg|b |a href="javascript)/i);
    const { container } = render(<ChatText text={payload} />);
    expect(container.querySelectorAll('img, script, svg, [onerror], [onload], [onmouseover]')).toHaveLength(0);
  });

  it('refuses links that are not http(s)', () => {
    expect(html('[click](javascript:alert(1))')).not.toContain('<a');
    expect(html('data:text/html,<b>x</b>')).not.toContain('<a');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('https://ok.example')).toBe('https://ok.example/');
  });

  it('leaves unmatched markers as text', () => {
    expect(tokenize('2 * 3 = 6 and snake_case_name and 2*3*4')).toEqual([
      { kind: 'text', text: '2 * 3 = 6 and snake_case_name and 2*3*4' },
    ]);
    expect(html('**not closed')).toBe('**not closed');
  });
});

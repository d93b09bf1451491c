import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FormField } from './FormField';

describe('FormField', () => {
  it('describes the input by its help text while there is no error', () => {
    render(<FormField label="Username" name="username" value="" onChange={() => undefined} help="2 to 32 characters." />);
    const input = screen.getByLabelText('Username');
    const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
    expect(ids.map((id) => document.getElementById(id)?.textContent)).toEqual(['2 to 32 characters.']);
  });

  it('points only at elements on the page when an error replaces the help text', () => {
    render(
      <FormField label="Username" name="username" value="" onChange={() => undefined} help="2 to 32 characters." error="Too short." />,
    );
    const input = screen.getByLabelText('Username');
    const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
    expect(ids.map((id) => document.getElementById(id)?.textContent)).toEqual(['Too short.']);
    expect(input).toHaveAttribute('aria-invalid', 'true');
  });
});

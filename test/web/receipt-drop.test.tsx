import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ReceiptDrop, type ReceiptChoice } from '../../web/src/components/receipt-drop';
import { bellLabel } from '../../web/src/components/bell';

function Harness() {
  const [value, setValue] = useState<ReceiptChoice | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <ReceiptDrop
      value={value}
      error={error}
      onChange={(v, e) => {
        setValue(v);
        setError(e);
      }}
    />
  );
}

const png = () => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])], 'transfer.png', { type: 'image/png' });
const text = () => new File(['just some text'], 'receipt.pdf', { type: 'application/pdf' });

describe('ReceiptDrop', () => {
  it('is a labelled file input that refuses a file that is not a receipt, before any upload', async () => {
    render(<Harness />);
    const input = screen.getByLabelText('Receipt');
    fireEvent.change(input, { target: { files: [text()] } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('“receipt.pdf” is not a JPEG, PNG, WebP or PDF file'));
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('accepts a PNG picked or dropped, and shows its name', async () => {
    render(<Harness />);
    fireEvent.change(screen.getByLabelText('Receipt'), { target: { files: [png()] } });
    await waitFor(() => expect(screen.getByText('transfer.png')).toBeTruthy());
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(screen.queryByText('transfer.png')).toBeNull();

    const zone = screen.getByText(/Drag the receipt here/).parentElement!;
    fireEvent.drop(zone, { dataTransfer: { files: [png()] } });
    await waitFor(() => expect(screen.getByText('transfer.png')).toBeTruthy());
  });
});

describe('bell', () => {
  it('names the unread count', () => {
    expect(bellLabel(3)).toBe('Notifications, 3 unread');
    expect(bellLabel(0)).toBe('Notifications, 0 unread');
    expect(bellLabel(null)).toBe('Notifications');
  });
});

import { describe, expect, it } from 'vitest';
import { checkReceiptFile, MAX_RECEIPT_BYTES, sniffReceipt } from '../../web/src/lib/files';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const WEBP = new Uint8Array([...new TextEncoder().encode('RIFF'), 1, 2, 3, 4, ...new TextEncoder().encode('WEBPVP8 ')]);
const PDF = new TextEncoder().encode('%PDF-1.4\n%âãÏÓ\n');
const file = (bytes: Uint8Array, name: string, type = '') => new File([bytes as BlobPart], name, { type });

describe('receipt file check', () => {
  it('recognises JPEG, PNG, WebP and PDF from their bytes', () => {
    expect(sniffReceipt(PNG)).toBe('png');
    expect(sniffReceipt(JPEG)).toBe('jpeg');
    expect(sniffReceipt(WEBP)).toBe('webp');
    expect(sniffReceipt(PDF)).toBe('pdf');
    expect(sniffReceipt(new TextEncoder().encode('hello'))).toBeNull();
  });

  it('accepts a receipt by its bytes, whatever its name says', async () => {
    expect(await checkReceiptFile(file(PNG, 'scan.png', 'image/png'))).toEqual({ ok: true, kind: 'png' });
    expect(await checkReceiptFile(file(PDF, 'receipt.bin'))).toEqual({ ok: true, kind: 'pdf' });
  });

  it('refuses text named like an image, with a message saying what is accepted', async () => {
    const check = await checkReceiptFile(file(new TextEncoder().encode('not an image at all'), 'receipt.png', 'image/png'));
    expect(check).toEqual({ ok: false, error: expect.stringContaining('is not a JPEG, PNG, WebP or PDF file') });
  });

  it('refuses an empty file and one over the limit', async () => {
    expect(await checkReceiptFile(file(new Uint8Array(), 'empty.pdf'))).toMatchObject({ ok: false, error: expect.stringContaining('is empty') });
    const big = new Uint8Array(MAX_RECEIPT_BYTES + 1);
    big.set(PNG);
    expect(await checkReceiptFile(file(big, 'huge.png'))).toMatchObject({ ok: false, error: expect.stringContaining('at most 10.0 MB') });
    const justRight = new Uint8Array(MAX_RECEIPT_BYTES);
    justRight.set(PNG);
    expect(await checkReceiptFile(file(justRight, 'ok.png'))).toEqual({ ok: true, kind: 'png' });
  });
});

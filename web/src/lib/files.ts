/** The receipt check the server makes (type from the file's bytes, size), made before uploading. */

export const MAX_RECEIPT_BYTES = 10 * 1024 * 1024;
export const RECEIPT_ACCEPT = '.jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf';

export type ReceiptKind = 'jpeg' | 'png' | 'webp' | 'pdf';

export type ReceiptCheck = { ok: true; kind: ReceiptKind } | { ok: false; error: string };

/** What the first bytes say the file is (the same signatures the server trusts). */
export function sniffReceipt(head: Uint8Array): ReceiptKind | null {
  const starts = (bytes: number[], offset = 0) => bytes.every((b, i) => head[offset + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  return null;
}

async function readHead(file: Blob, bytes: number): Promise<Uint8Array> {
  const slice = file.slice(0, bytes);
  // Blob.arrayBuffer is missing in some test DOMs; FileReader is everywhere.
  if (typeof slice.arrayBuffer === 'function') return new Uint8Array(await slice.arrayBuffer());
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsArrayBuffer(slice);
  });
}

export async function checkReceiptFile(file: File, maxBytes = MAX_RECEIPT_BYTES): Promise<ReceiptCheck> {
  if (file.size === 0) return { ok: false, error: `“${file.name}” is empty. Choose the receipt file itself.` };
  if (file.size > maxBytes) {
    const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
    return { ok: false, error: `“${file.name}” is ${mb(file.size)}; a receipt can be at most ${mb(maxBytes)}.` };
  }
  const kind = sniffReceipt(await readHead(file, 12));
  if (!kind) return { ok: false, error: `“${file.name}” is not a JPEG, PNG, WebP or PDF file. Take a photo or a PDF of the receipt and upload that.` };
  return { ok: true, kind };
}

import type { FastifyRequest } from 'fastify';
import { AppError, validationFailed, type ErrorDetail } from '../http/errors.js';
import { parseCents } from '../shared/money.js';
import type { ReceiptStore, StoredReceipt } from './receipt-store.js';

export interface ReceiptForm {
  classIds: number[];
  amountCents: bigint;
  currency: string;
  reference: string;
  originalName: string | null;
  receipt: StoredReceipt;
}

const FILE_FIELDS = new Set(['file', 'receipt']);
const TEXT_FIELDS = new Set(['class_ids', 'class_ids[]', 'amount', 'currency', 'reference']);

/** `class_ids` may be repeated, comma-separated, or a JSON array: whatever a form or a script sends. */
function parseClassIds(values: string[]): number[] | undefined {
  const items = values.flatMap((v) => {
    const text = v.trim();
    if (text.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(text);
        return Array.isArray(parsed) ? parsed.map(String) : ['x'];
      } catch {
        return ['x'];
      }
    }
    return text.split(',');
  });
  const ids = items.map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (ids.length === 0 || ids.some((n) => !Number.isInteger(n) || n < 1 || n > 2_147_483_647)) return undefined;
  return [...new Set(ids)];
}

function validateFields(fields: Map<string, string[]>, hasFile: boolean) {
  const details: ErrorDetail[] = [];
  const one = (name: string) => fields.get(name)?.at(-1)?.trim() ?? '';

  for (const name of fields.keys()) {
    if (!TEXT_FIELDS.has(name)) details.push({ field: name, message: 'is not an allowed field' });
  }
  if (!hasFile) details.push({ field: 'file', message: 'is required (the receipt: JPEG, PNG, WebP or PDF)' });

  const rawIds = [...(fields.get('class_ids') ?? []), ...(fields.get('class_ids[]') ?? [])];
  const classIds = rawIds.length ? parseClassIds(rawIds) : undefined;
  if (rawIds.length === 0) details.push({ field: 'class_ids', message: 'is required (one or more class ids)' });
  else if (!classIds) details.push({ field: 'class_ids', message: 'must be class ids (positive whole numbers)' });
  if (classIds && classIds.length > 20) details.push({ field: 'class_ids', message: 'must list at most 20 classes' });

  const amountText = one('amount');
  const amountCents = amountText ? parseCents(amountText) : undefined;
  if (!amountText) details.push({ field: 'amount', message: 'is required' });
  else if (amountCents === undefined || amountCents <= 0n) details.push({ field: 'amount', message: 'must be a positive amount with at most 2 decimal places' });

  const currency = one('currency').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) details.push({ field: 'currency', message: 'must be a 3-letter ISO 4217 code such as USD' });

  const reference = one('reference');
  if (!reference) details.push({ field: 'reference', message: 'is required (the bank transfer reference)' });
  else if (reference.length > 100) details.push({ field: 'reference', message: 'must be at most 100 characters' });

  if (details.length > 0) throw validationFailed(details, `Invalid receipt form: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`);
  return { classIds: classIds!, amountCents: amountCents!, currency, reference };
}

/**
 * Reads a multipart receipt form. The file is streamed to the store as it arrives (never held in
 * memory); if anything about the form is wrong, the stored file is removed before the error.
 */
export async function readReceiptForm(request: FastifyRequest, store: ReceiptStore): Promise<ReceiptForm> {
  const fields = new Map<string, string[]>();
  let receipt: StoredReceipt | undefined;
  let originalName: string | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (!FILE_FIELDS.has(part.fieldname) || receipt) {
          part.file.resume();
          throw new AppError('validation_failed', 'Send exactly one receipt file, in the field "file"', [{ field: part.fieldname, message: 'unexpected file' }]);
        }
        receipt = await store.save(part.file);
        originalName = part.filename ? part.filename.slice(0, 255) : null;
      } else {
        fields.set(part.fieldname, [...(fields.get(part.fieldname) ?? []), String(part.value)]);
      }
    }
    return { ...validateFields(fields, receipt !== undefined), originalName, receipt: receipt! };
  } catch (error) {
    if (receipt) await store.remove(receipt.path);
    throw error;
  }
}

import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';
import { AppError } from '../http/errors.js';

/** What a receipt may be, decided from its bytes, never from its name or the client's header. */
const ALLOWED: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

export interface StoredReceipt {
  /** Relative to the store's directory; generated, never from user input. */
  path: string;
  contentType: string;
  size: number;
  sha256: string;
}

export type ReceiptStore = ReturnType<typeof createReceiptStore>;

class TooLarge extends Error {}

/** A size limit as people read it: "64 KB" below 1 MB (never "0 MB"), "10 MB" or "1.5 MB" from there. */
export function formatSizeLimit(bytes: number): string {
  const mb = 1024 * 1024;
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < mb) return `${Math.floor(bytes / 1024)} KB`;
  return `${Math.floor((bytes / mb) * 10) / 10} MB`;
}

export function createReceiptStore(options: { dir: string; maxBytes: number }) {
  const tmpDir = join(options.dir, 'tmp');
  const limit = formatSizeLimit(options.maxBytes);

  const absolute = (relative: string) => {
    const path = normalize(join(options.dir, relative));
    if (!path.startsWith(normalize(options.dir) + sep)) throw new Error(`receipt path escapes the store: ${relative}`);
    return path;
  };

  /**
   * Streams an upload to a temporary file while counting and hashing it, checks its real type,
   * then moves it under a generated name. Anything refused leaves no file behind.
   */
  async function save(stream: Readable & { truncated?: boolean }): Promise<StoredReceipt> {
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > options.maxBytes) return done(new TooLarge());
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(stream, meter, createWriteStream(tmp, { mode: 0o600 }));
      if (stream.truncated) throw new TooLarge();
      if (size === 0) throw new AppError('validation_failed', 'The receipt file is empty', [{ field: 'file', message: 'is empty' }]);
      const type = await fileTypeFromFile(tmp);
      const ext = type ? ALLOWED[type.mime] : undefined;
      if (!type || !ext) {
        throw new AppError('unsupported_file_type', `A receipt must be a JPEG, PNG, WebP image or a PDF${type ? ` (this file is ${type.mime})` : ''}`, [
          { field: 'file', message: 'must be a JPEG, PNG, WebP or PDF file' },
        ]);
      }
      const now = new Date();
      const relative = join(String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, '0'), `${randomUUID()}.${ext}`);
      await mkdir(dirname(absolute(relative)), { recursive: true });
      await rename(tmp, absolute(relative));
      return { path: relative, contentType: type.mime, size, sha256: hash.digest('hex') };
    } catch (error) {
      await rm(tmp, { force: true });
      if (error instanceof TooLarge || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        // Drain the rest so the client gets our answer rather than a reset connection.
        stream.resume();
        throw new AppError('payload_too_large', `The receipt is larger than ${limit}`, [{ field: 'file', message: `must be at most ${limit}` }]);
      }
      throw error;
    }
  }

  return {
    save,
    open: (relative: string) => createReadStream(absolute(relative)),
    remove: (relative: string) => rm(absolute(relative), { force: true }),
  };
}

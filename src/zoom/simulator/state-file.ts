import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { SimStore, StoreSnapshot } from './store.js';

/** Changes are written at most this often; a burst of registrations makes one write. */
const SAVE_DELAY_MS = 50;

/**
 * Keeps the simulator's webinars, registrants and users in a JSON file, so the zero-config run's
 * Zoom survives a restart like its database does. Counters, tokens, faults and logs are not kept:
 * a restart is a fresh UTC-day count, as if the day had turned. Written to a temporary file and
 * renamed, so a crash mid-write never leaves half a file.
 */
export class StateFile {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly store: SimStore,
    private readonly logger: FastifyBaseLogger,
  ) {}

  /** Loads the file if there is one. An unreadable file is set aside (not overwritten) and the simulator starts empty. */
  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const snapshot = JSON.parse(text) as StoreSnapshot;
      if (snapshot.version !== 1 || !Array.isArray(snapshot.webinars) || !Array.isArray(snapshot.users)) throw new Error('unknown format');
      this.store.restore(snapshot);
    } catch (error) {
      const aside = `${this.path}.unreadable-${Date.now()}`;
      await rename(this.path, aside);
      this.logger.warn({ err: error, file: aside }, 'zoom simulator state file unreadable; set aside, starting empty');
    }
  }

  /** Schedules a write of the current state. */
  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write());
    }, SAVE_DELAY_MS);
    this.timer.unref();
  }

  /** Writes pending changes now (on close). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write());
    }
    await this.writing;
  }

  private async write(): Promise<void> {
    try {
      await this.writeNow();
    } catch (error) {
      this.logger.error({ err: error, file: this.path }, 'zoom simulator state not saved');
    }
  }

  private async writeNow(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(this.store.snapshot()));
    await rename(temp, this.path);
  }
}

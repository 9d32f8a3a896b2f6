/**
 * Keeps what the wait page shows (access pass, binding message, QR) until the challenge ends, so a
 * page reload or a browser without JavaScript still shows it. The session never holds it: an access
 * pass is a few kilobytes. Images are kept as bytes, not base64 text: a quarter smaller, and off the
 * JavaScript heap. Bounded: past `maxEntries` the oldest go, and a miss only means the page says
 * "confirm on your phone" without the picture.
 */
import type { ChallengeDisplay } from './providers/provider';

type Image = string | { type: string; bytes: Buffer };

interface Entry {
  display: ChallengeDisplay;
  accessPass?: Image;
  qr?: Image;
  expiresAt: number;
}

export class DisplayCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  set(challengeId: string, display: ChallengeDisplay, expiresAt: number): void {
    if (this.entries.size >= this.maxEntries) this.evict();
    const { accessPass, qr, ...text } = display;
    this.entries.set(challengeId, { display: text, accessPass: pack(accessPass), qr: pack(qr), expiresAt });
  }

  get(challengeId: string): ChallengeDisplay | undefined {
    const entry = this.entries.get(challengeId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(challengeId);
      return undefined;
    }
    const images = {
      ...(entry.accessPass ? { accessPass: unpack(entry.accessPass) } : {}),
      ...(entry.qr ? { qr: unpack(entry.qr) } : {}),
    };
    return { ...entry.display, ...images };
  }

  delete(challengeId: string): void {
    this.entries.delete(challengeId);
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(id);
    for (const id of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(id);
    }
  }
}

const DATA_URL = /^data:([a-z]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/;

function pack(value: string | undefined): Image | undefined {
  if (value === undefined) return undefined;
  const match = DATA_URL.exec(value);
  if (!match) return value; // not a base64 data URL (a QR's text, say): keep it as it is
  const bytes = Buffer.from(match[2] ?? '', 'base64');
  // Keep the text when it would not come back byte for byte (non-canonical base64).
  return bytes.toString('base64') === match[2] ? { type: match[1] ?? '', bytes } : value;
}

function unpack(image: Image): string {
  return typeof image === 'string' ? image : `data:${image.type};base64,${image.bytes.toString('base64')}`;
}

import { inflateSync } from 'node:zlib';

export interface Png {
  readonly width: number;
  readonly height: number;
  /** The pixel's colour as `#rrggbb`. */
  colourAt(x: number, y: number): string;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Reads what a Chromium screenshot is: 8-bit RGB or RGBA, not interlaced. Enough to know a page's
 * style applied, without an image package.
 */
export function readPng(bytes: Buffer): Png {
  if (!bytes.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colourType, , , interlace] = body.subarray(8, 13);
      if (depth !== 8 || interlace !== 0 || (colourType !== 2 && colourType !== 6))
        throw new Error(
          `unsupported PNG: depth ${String(depth)}, colour type ${String(colourType)}`,
        );
      channels = colourType === 6 ? 4 : 3;
    }
    if (type === 'IDAT') data.push(body);
    at += 12 + length;
  }
  const rows = unfilter(inflateSync(Buffer.concat(data)), width, height, channels);
  return {
    width,
    height,
    colourAt: (x, y) => {
      const row = rows[y];
      if (row === undefined || x < 0 || x >= width) throw new Error(`no pixel at ${x},${y}`);
      const hex = [0, 1, 2].map((c) => (row[x * channels + c] ?? 0).toString(16).padStart(2, '0'));
      return `#${hex.join('')}`;
    },
  };
}

/** PNG's per-row filters (None, Sub, Up, Average, Paeth), undone. */
function unfilter(raw: Buffer, width: number, height: number, bpp: number): Buffer[] {
  const stride = width * bpp;
  const rows: Buffer[] = [];
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const start = y * (stride + 1);
    const filter = raw[start];
    const row = Buffer.from(raw.subarray(start + 1, start + 1 + stride));
    for (let i = 0; i < stride; i++) {
      const left = i >= bpp ? (row[i - bpp] ?? 0) : 0;
      const up = previous[i] ?? 0;
      const upLeft = i >= bpp ? (previous[i - bpp] ?? 0) : 0;
      const predicted =
        filter === 1
          ? left
          : filter === 2
            ? up
            : filter === 3
              ? (left + up) >> 1
              : filter === 4
                ? paeth(left, up, upLeft)
                : 0;
      row[i] = ((row[i] ?? 0) + predicted) & 0xff;
    }
    rows.push(row);
    previous = row;
  }
  return rows;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

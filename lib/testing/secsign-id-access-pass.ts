/**
 * Access-pass pictures for the SecSign ID simulator: 88×88 RGBA PNGs like the real server's, each a
 * white symbol on a coloured rounded tile, so a person in a demo can tell them apart at a glance.
 */
import { randomInt } from 'node:crypto';
import type * as Pngjs from 'pngjs';
import { requirePeer } from './optional-peer';

export const ACCESS_PASS_SIZE = 88;

/** A point in the tile: u right, v down, both from -1 to 1. */
type Inside = (u: number, v: number) => boolean;

function polygon(points: readonly (readonly [number, number])[]): Inside {
  return (u, v) => {
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [ui, vi] = points[i] as readonly [number, number];
      const [uj, vj] = points[j] as readonly [number, number];
      if (vi > v !== vj > v && u < ((uj - ui) * (v - vi)) / (vj - vi) + ui) inside = !inside;
    }
    return inside;
  };
}

function regular(count: number, outer: number, inner: number, turn = -Math.PI / 2): Inside {
  const points: [number, number][] = [];
  const steps = inner > 0 ? count * 2 : count;
  for (let i = 0; i < steps; i++) {
    const r = inner > 0 && i % 2 === 1 ? inner : outer;
    const a = turn + (i * 2 * Math.PI) / steps;
    points.push([r * Math.cos(a), r * Math.sin(a)]);
  }
  return polygon(points);
}

const circle =
  (cu: number, cv: number, r: number): Inside =>
  (u, v) =>
    (u - cu) ** 2 + (v - cv) ** 2 <= r * r;

export const ACCESS_PASS_SYMBOLS: readonly { name: string; inside: Inside }[] = [
  { name: 'circle', inside: circle(0, 0, 0.58) },
  { name: 'square', inside: (u, v) => Math.max(Math.abs(u), Math.abs(v)) <= 0.5 },
  { name: 'diamond', inside: (u, v) => Math.abs(u) + Math.abs(v) <= 0.7 },
  { name: 'triangle', inside: regular(3, 0.72, 0, -Math.PI / 2) },
  { name: 'star', inside: regular(5, 0.72, 0.3) },
  { name: 'hexagon', inside: regular(6, 0.64, 0, 0) },
  {
    name: 'plus',
    inside: (u, v) =>
      (Math.abs(u) <= 0.2 && Math.abs(v) <= 0.66) || (Math.abs(v) <= 0.2 && Math.abs(u) <= 0.66),
  },
  {
    name: 'cross',
    inside: (u, v) => {
      const a = (u + v) / Math.SQRT2;
      const b = (u - v) / Math.SQRT2;
      return (Math.abs(a) <= 0.19 && Math.abs(b) <= 0.7) || (Math.abs(b) <= 0.19 && Math.abs(a) <= 0.7);
    },
  },
  { name: 'ring', inside: (u, v) => u * u + v * v <= 0.62 ** 2 && u * u + v * v >= 0.36 ** 2 },
  {
    name: 'heart',
    inside: (u, v) => {
      const x = u / 0.56;
      const y = -v / 0.56 + 0.15;
      return (x * x + y * y - 1) ** 3 - x * x * y * y * y <= 0;
    },
  },
  { name: 'moon', inside: (u, v) => circle(0, 0, 0.62)(u, v) && !circle(0.3, -0.2, 0.52)(u, v) },
  {
    name: 'bolt',
    inside: polygon([
      [0.18, -0.75],
      [-0.42, 0.1],
      [-0.04, 0.1],
      [-0.2, 0.75],
      [0.42, -0.12],
      [0.04, -0.12],
    ]),
  },
  {
    name: 'arrow',
    inside: polygon([
      [0, -0.72],
      [0.6, -0.05],
      [0.22, -0.05],
      [0.22, 0.68],
      [-0.22, 0.68],
      [-0.22, -0.05],
      [-0.6, -0.05],
    ]),
  },
];

type Rgb = readonly [number, number, number];

/** Tile colours; the symbol is white except on the light ones. */
export const ACCESS_PASS_COLOURS: readonly { name: string; rgb: Rgb; light?: boolean }[] = [
  { name: 'red', rgb: [229, 57, 53] },
  { name: 'orange', rgb: [245, 124, 0] },
  { name: 'yellow', rgb: [253, 216, 53], light: true },
  { name: 'green', rgb: [67, 160, 71] },
  { name: 'teal', rgb: [0, 137, 123] },
  { name: 'blue', rgb: [30, 136, 229] },
  { name: 'indigo', rgb: [57, 73, 171] },
  { name: 'purple', rgb: [142, 36, 170] },
  { name: 'pink', rgb: [216, 27, 96] },
];

export interface AccessPassDesign {
  symbol: number;
  colour: number;
}

export function designKey(design: AccessPassDesign): string {
  return `${design.symbol}:${design.colour}`;
}

/** A random design whose key is not in `taken` (taken is left unchanged). */
export function randomDesign(taken: ReadonlySet<string> = new Set()): AccessPassDesign {
  const total = ACCESS_PASS_SYMBOLS.length * ACCESS_PASS_COLOURS.length;
  for (let attempt = 0; attempt < 64; attempt++) {
    const n = randomInt(total);
    const design = {
      symbol: n % ACCESS_PASS_SYMBOLS.length,
      colour: Math.floor(n / ACCESS_PASS_SYMBOLS.length),
    };
    if (!taken.has(designKey(design))) return design;
  }
  // Only when nearly every design is taken: fall back to the first free one.
  for (let n = 0; n < total; n++) {
    const design = {
      symbol: n % ACCESS_PASS_SYMBOLS.length,
      colour: Math.floor(n / ACCESS_PASS_SYMBOLS.length),
    };
    if (!taken.has(designKey(design))) return design;
  }
  return { symbol: randomInt(ACCESS_PASS_SYMBOLS.length), colour: randomInt(ACCESS_PASS_COLOURS.length) };
}

/**
 * A decoy for the phone's choice: its symbol differs from every design in `taken`, not only its
 * colour, so people who cannot tell colours apart can still find the right pass by shape.
 */
export function randomDecoy(taken: ReadonlySet<string>): AccessPassDesign {
  const usedSymbols = new Set([...taken].map((key) => Number(key.split(':')[0])));
  const free = ACCESS_PASS_SYMBOLS.map((_, i) => i).filter((i) => !usedSymbols.has(i));
  if (free.length === 0) return randomDesign(taken);
  return {
    symbol: free[randomInt(free.length)] as number,
    colour: randomInt(ACCESS_PASS_COLOURS.length),
  };
}

const SAMPLES = 4;
const CORNER = 0.3;

function inTile(u: number, v: number): boolean {
  const edge = 0.96 - CORNER;
  const du = Math.max(Math.abs(u) - edge, 0);
  const dv = Math.max(Math.abs(v) - edge, 0);
  return du * du + dv * dv <= CORNER * CORNER;
}

/**
 * Share of each pixel inside `shape`: one sample at each pixel centre, and 4×4 samples only where a
 * neighbour differs (the edges), which keeps a mask cheap even under a slow test runner.
 */
function coverage(shape: Inside): Float32Array {
  const size = ACCESS_PASS_SIZE;
  const at = (pixel: number): number => ((pixel + 0.5) / size) * 2 - 1;
  const centre = new Uint8Array((size + 2) * (size + 2));
  for (let y = -1; y <= size; y++) {
    for (let x = -1; x <= size; x++) centre[(y + 1) * (size + 2) + x + 1] = shape(at(x), at(y)) ? 1 : 0;
  }
  const cover = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const here = centre[(y + 1) * (size + 2) + x + 1] ?? 0;
      let edge = false;
      for (let dy = 0; dy <= 2 && !edge; dy++) {
        for (let dx = 0; dx <= 2; dx++) if (centre[(y + dy) * (size + 2) + x + dx] !== here) edge = true;
      }
      if (!edge) {
        cover[y * size + x] = here;
        continue;
      }
      let hits = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        const v = ((y + (sy + 0.5) / SAMPLES) / size) * 2 - 1;
        for (let sx = 0; sx < SAMPLES; sx++) {
          if (shape(((x + (sx + 0.5) / SAMPLES) / size) * 2 - 1, v)) hits++;
        }
      }
      cover[y * size + x] = hits / (SAMPLES * SAMPLES);
    }
  }
  return cover;
}

// Masks are computed once per symbol and PNGs once per design: drawing is the simulator's only real cost.
let tileMask: Float32Array | undefined;
const symbolMasks = new Map<number, Float32Array>();
const rendered = new Map<string, Buffer>();
let pngjs: typeof Pngjs | undefined;

/** pngjs, loaded on first use: an optional peer, so importing passport-push/testing never needs it. */
function loadPngjs(): typeof Pngjs {
  return (pngjs ??= requirePeer<typeof Pngjs>('pngjs', 'SecSignIdSimulator (its access-pass pictures)'));
}

/** Throws the PushError with the install line when pngjs is missing (types stay private: no @types/pngjs for users). */
export function requirePngjs(): void {
  loadPngjs();
}

/** A design as PNG bytes: 88×88, 8-bit RGBA, anti-aliased. */
export function renderAccessPass(design: AccessPassDesign): Buffer {
  const key = designKey(design);
  let png = rendered.get(key);
  if (png === undefined) {
    png = draw(design);
    rendered.set(key, png);
  }
  return png;
}

function draw(design: AccessPassDesign): Buffer {
  const size = ACCESS_PASS_SIZE;
  const symbolIndex = design.symbol % ACCESS_PASS_SYMBOLS.length;
  const tile = (tileMask ??= coverage(inTile));
  let symbol = symbolMasks.get(symbolIndex);
  if (symbol === undefined) {
    const inside = ACCESS_PASS_SYMBOLS[symbolIndex]?.inside ?? circle(0, 0, 0.5);
    symbol = coverage(inside);
    symbolMasks.set(symbolIndex, symbol);
  }
  const colour = ACCESS_PASS_COLOURS[design.colour % ACCESS_PASS_COLOURS.length] ?? { rgb: [0, 0, 0] as Rgb };
  const ink: Rgb = 'light' in colour && colour.light ? [38, 50, 56] : [255, 255, 255];
  const { PNG } = loadPngjs();
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    // A gentle top-to-bottom shade makes the tile read as an icon rather than a flat block.
    const shade = 1.12 - (0.24 * y) / size;
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const t = tile[i] ?? 0;
      const mix = t === 0 ? 0 : Math.min(1, (symbol[i] ?? 0) / t);
      for (let c = 0; c < 3; c++) {
        const base = Math.min(255, (colour.rgb[c] ?? 0) * shade);
        png.data[i * 4 + c] = Math.round(base * (1 - mix) + (ink[c] ?? 0) * mix);
      }
      png.data[i * 4 + 3] = Math.round(255 * t);
    }
  }
  // Fixed filter and a middle deflate level: adaptive filtering is slow in pure JS and gains little here.
  return PNG.sync.write(png, { colorType: 6, filterType: 1, deflateLevel: 6 });
}

export function toDataUrl(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}

// The benchmark's report: a table on the terminal, latest.json, and an SVG chart over the run.
import fs from 'node:fs';
import path from 'node:path';
import type { Sample } from './load';

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function table(rows: [string, string | number][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${String(v).padStart(10)}`).join('\n');
}

/** Throughput (orders finished per second) and p50 completion latency, second by second. */
export function chartSvg(samples: Sample[], title: string): string {
  const seconds = Math.max(1, Math.ceil(Math.max(...samples.map((s) => s.at), 1) / 1000));
  const buckets = Array.from({ length: seconds }, (_, i) => samples.filter((s) => Math.floor(s.at / 1000) === i));
  const rate = buckets.map((b) => b.length);
  const p50 = buckets.map((b) => (b.length ? percentile(b.map((s) => s.completeMs), 50) : Number.NaN));
  const [w, h, pad] = [720, 180, 40];
  const panel = (values: number[], top: number, label: string, color: string) => {
    const max = Math.max(1, ...values.filter(Number.isFinite));
    const points = values
      .map((v, i) => (Number.isFinite(v) ? `${pad + (i / Math.max(1, seconds - 1)) * (w - 2 * pad)},${top + h - (v / max) * h}` : ''))
      .filter(Boolean)
      .join(' ');
    return [
      `<text x="${pad}" y="${top - 8}" font-size="13">${label} (max ${round(max, 1)})</text>`,
      `<rect x="${pad}" y="${top}" width="${w - 2 * pad}" height="${h}" fill="none" stroke="#ccc"/>`,
      `<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2"/>`,
    ].join('\n');
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${2 * h + 120}" font-family="sans-serif">`,
    `<text x="${pad}" y="20" font-size="15" font-weight="bold">${title}</text>`,
    panel(rate, 50, 'orders completed per second', '#2b6cb0'),
    panel(p50, h + 90, 'p50 completion latency, ms', '#c05621'),
    `<text x="${pad}" y="${2 * h + 110}" font-size="12">seconds into the run: 0 to ${seconds}</text>`,
    '</svg>',
  ].join('\n');
}

export function writeResults(dir: string, results: object, svg: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'latest.svg'), `${svg}\n`);
}

/** A bar on stderr that fills as `total` steps are counted; the returned function counts one. */
export function progressBar(label: string, total: number): () => void {
  let done = 0;
  return () => {
    done += 1;
    const filled = Math.round((done / total) * 30);
    process.stderr.write(`\r  ${label} [${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

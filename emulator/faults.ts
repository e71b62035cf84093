// Fault injection with a seeded PRNG, so a failing soak run can be replayed with the same --seed.
export const FAULT_KINDS = [
  "throttle", "internal", "http5xx", "timeout", "reset", "lost-response", "stale-read",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
/**
 * How far behind the writes a `stale-read` Describe may be (the emulator's --stale-ms): a real
 * API's reads can lag its writes, so a task just created or modified may be missing or old.
 */
export const DEFAULT_STALE_MS = 3000;

/** Only reads can be stale: a `stale-read` drawn for a write is no fault (and is not counted). */
function appliesTo(kind: FaultKind, action: string | undefined): boolean {
  return kind !== "stale-read" || action === undefined || action.startsWith("Describe");
}
export type FaultSpec = Partial<Record<FaultKind, number>>;

function isFaultKind(k: string): k is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(k);
}

/** Parses `kind=prob[,kind=prob]` or a map; probabilities 0..1 whose sum is at most 1. */
export function parseFaultSpec(spec: string | Record<string, number> | undefined): FaultSpec {
  const out: FaultSpec = {};
  if (spec === undefined || spec === "") return out;
  const entries: [string, unknown][] =
    typeof spec === "string"
      ? spec.split(",").map((part) => {
          const m = /^\s*([a-z0-9-]+)\s*=\s*([^\s,]+)\s*$/.exec(part);
          if (!m) throw new Error(`faults: "${part}" is not kind=probability`);
          return [m[1], Number(m[2])];
        })
      : Object.entries(spec);
  let total = 0;
  for (const [kind, p] of entries) {
    if (!isFaultKind(kind)) throw new Error(`faults: unknown kind "${kind}" (known: ${FAULT_KINDS.join(", ")})`);
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
      throw new Error(`faults: probability of ${kind} must be 0..1, got ${String(p)}`);
    }
    out[kind] = p;
    total += p;
  }
  if (total > 1 + 1e-9) throw new Error(`faults: probabilities add up to ${total}, more than 1`);
  return out;
}

/** mulberry32: tiny, fast and good enough to spread faults; repeatable from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private spec: FaultSpec = {};
  private random: () => number = Math.random;
  private seedValue = 0;
  private counts: Record<FaultKind, number> = FaultInjector.zero();

  constructor(spec?: string | Record<string, number>, seed?: number) {
    this.configure(spec, seed);
  }

  private static zero(): Record<FaultKind, number> {
    return Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  }

  /** Replaces the spec; a given seed restarts the sequence, no seed picks a fresh random one. */
  configure(spec?: string | Record<string, number>, seed?: number): void {
    const parsed = parseFaultSpec(spec);
    if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`faults: seed must be an integer, got ${seed}`);
    this.spec = parsed;
    this.seedValue = seed ?? Math.floor(Math.random() * 2 ** 31);
    this.random = mulberry32(this.seedValue);
  }

  /** One draw per request of `action`: at most one fault kind, or undefined. */
  draw(action?: string): FaultKind | undefined {
    const kinds = FAULT_KINDS.filter((k) => (this.spec[k] ?? 0) > 0);
    if (kinds.length === 0) return undefined;
    const r = this.random();
    let acc = 0;
    for (const k of kinds) {
      acc += this.spec[k]!;
      if (r < acc) {
        if (!appliesTo(k, action)) return undefined;
        this.counts[k] += 1;
        return k;
      }
    }
    return undefined;
  }

  /** How stale a `stale-read` answer is: up to `maxMs`, drawn from the seeded sequence. */
  staleLagMs(maxMs: number): number {
    return this.random() * maxMs;
  }

  state(): { spec: FaultSpec; seed: number; injected: Record<FaultKind, number>; total: number } {
    const injected = { ...this.counts };
    const total = Object.values(injected).reduce((a, b) => a + b, 0);
    return { spec: { ...this.spec }, seed: this.seedValue, injected, total };
  }

  resetCounts(): void {
    this.counts = FaultInjector.zero();
  }
}

// The API's clock as this process has learned it. Every HTTP answer carries the server's time in its
// Date header (whole seconds); the server read its clock between our send and the answer, so each
// answer bounds the offset (server − local) to [Date − received, Date + 1 s − sent]. Intersecting
// the bounds of successive answers narrows it, NTP-style; an answer outside them (a clock stepped
// on either side) starts over from that answer. The midpoint is the offset used.
// Offsets under the Date header's own resolution are not worth acting on: they count as 0.
export const NEGLIGIBLE_OFFSET_MS = 1000;
/** After a probe that got no answer (offline), the next one waits this long: no probe per check. */
export const PROBE_RETRY_MS = 60_000;

export class ApiClock {
  #low = -Infinity;
  #high = Infinity;
  #samples = 0;
  #probe?: Promise<void>;
  #lastProbe = -Infinity;

  constructor(private readonly localNow: () => number = Date.now) {}

  /** One answer: its Date header and the local times the request was sent and the answer came. */
  observe(dateHeader: string | null | undefined, sentAt: number, receivedAt: number): void {
    if (!dateHeader) return;
    const server = Date.parse(dateHeader);
    if (!Number.isFinite(server) || !(receivedAt >= sentAt)) return;
    const low = server - receivedAt;
    const high = server + 1000 - sentAt;
    if (low > this.#high || high < this.#low) {
      this.#low = low;
      this.#high = high;
    } else {
      this.#low = Math.max(this.#low, low);
      this.#high = Math.min(this.#high, high);
    }
    this.#samples++;
  }

  /** Whether any answer has told the API's time yet. */
  get known(): boolean {
    return this.#samples > 0;
  }

  /** server − local in ms, 0 until known or when within the Date header's resolution. */
  offsetMs(): number {
    if (this.#samples === 0) return 0;
    const mid = Math.round((this.#low + this.#high) / 2);
    return Math.abs(mid) < NEGLIGIBLE_OFFSET_MS ? 0 : mid;
  }

  /**
   * Learns the API's time unless known: runs `probe` (any request: every answer, an error too,
   * carries the Date header) once for all concurrent callers, waiting at most `timeoutMs`.
   * Never throws: without an answer the local clock stays in use.
   */
  async learn(probe: () => Promise<unknown>, timeoutMs: number): Promise<void> {
    if (this.known) return;
    if (!this.#probe) {
      if (this.localNow() - this.#lastProbe < PROBE_RETRY_MS) return;
      this.#lastProbe = this.localNow();
      this.#probe = Promise.resolve()
        .then(probe)
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => (this.#probe = undefined));
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.#probe, timeout]);
    clearTimeout(timer);
  }

  /**
   * The earliest the API's clock can read now, from every answer so far (-Infinity until one has
   * told): a request sent now reaches the API no earlier. The write protocol's freshness rule
   * (provider/protocol/fresh.ts) rests on this bound, never on the midpoint.
   */
  earliestNow(): number {
    return this.localNow() + this.#low;
  }

  /** The latest the API's clock can read now (Infinity until an answer has told). */
  latestNow(): number {
    return this.localNow() + this.#high;
  }

  /** The API's time now, as best known (the local clock until an answer has told otherwise). */
  now(): number {
    return this.localNow() + this.offsetMs();
  }
}

const registry = new Map<string, ApiClock>();

/** The process-wide clock of one endpoint, created on first use. */
export function sharedClock(endpoint: string): ApiClock {
  let clock = registry.get(endpoint);
  if (!clock) {
    clock = new ApiClock();
    registry.set(endpoint, clock);
  }
  return clock;
}

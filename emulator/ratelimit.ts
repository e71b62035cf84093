// Per-action, per-SecretId request limits over a sliding one-second window, at the documented rates.
// Delete 50/s (intl API page 267/48356), Describe 30/s (267/48355); Modify, Restart, Status 20/s.
export const DOCUMENTED_RATES: Record<string, number> = {
  ModifyLivePullStreamTask: 20,
  CreateLivePullStreamTask: 50,
  DeleteLivePullStreamTask: 50,
  DescribeLivePullStreamTasks: 30,
};
/** Rate for actions whose page states none. */
export const DEFAULT_RATE = 20;
const WINDOW_MS = 1000;

export class RateLimiter {
  private windows = new Map<string, number[]>();

  /** `scale` multiplies every documented rate (tests use small or huge values); at least 1/s remains. */
  constructor(private readonly scale = 1) {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`rateScale must be a positive number, got ${scale}`);
  }

  limitFor(action: string): number {
    return Math.max(1, Math.floor((DOCUMENTED_RATES[action] ?? DEFAULT_RATE) * this.scale));
  }

  /** Records the request and returns true when it is within the limit; refused requests are not recorded. */
  allow(action: string, secretId: string, nowMs: number): boolean {
    const key = `${action}\u0000${secretId}`;
    const recent = (this.windows.get(key) ?? []).filter((t) => t > nowMs - WINDOW_MS && t <= nowMs);
    const ok = recent.length < this.limitFor(action);
    if (ok) recent.push(nowMs);
    this.windows.set(key, recent);
    return ok;
  }

  reset(): void {
    this.windows.clear();
  }
}

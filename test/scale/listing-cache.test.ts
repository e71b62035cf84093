// The listing cache (provider/reads/cache.ts) and its page finder (locate.ts) on an in-memory
// account: a refresh of N tasks, one Read per task in state order at the engine's --parallel,
// costs at most ceil(T/20) + 5 calls when the stack holds the account, and at most N + 5 when it
// holds few of its T tasks; a row older than the read's state is never the answer.
import { describe, expect, it } from "vitest";
import { createListingCache } from "../../provider/reads/cache";
import { mayFetch, pageFor, WASTE_BUDGET } from "../../provider/reads/locate";
import { pool } from "../../harness/pool";
import { FakeAccount, updateTime } from "./fake-account";

/** The account's tasks as a refresh sees them: id and the UpdateTime its state holds. */
function stateOf(account: FakeAccount, ids: string[]) {
  return ids.map((id) => ({ id, updated: (account as unknown as { tasks: Map<string, { info: { UpdateTime: string } }> }).tasks.get(id)!.info.UpdateTime }));
}

async function refresh(account: FakeAccount, ids: string[], parallel: number) {
  const cache = createListingCache(account);
  const state = stateOf(account, ids);
  const answers = new Map<string, string | undefined>();
  await pool(state, parallel, async (s) => {
    const info = await cache.read(s.id, "ap-guangzhou", s.updated);
    answers.set(s.id, info?.TaskId);
  });
  for (const id of ids) expect(answers.get(id)).toBe(id);
  return { calls: account.calls.length, stats: cache.stats() };
}

const PARALLELISM = [1, 4, 8, 16, 64, Number.MAX_SAFE_INTEGER];

describe("refresh through the listing cache", () => {
  for (const total of [200, 1000]) {
    for (const parallel of PARALLELISM) {
      it(`a stack holding all ${total} tasks, --parallel ${parallel > 1e6 ? "unbounded" : parallel}: ≤ ceil(T/20) + 5 calls`, async () => {
        const account = new FakeAccount();
        const ids = account.add(total);
        // The last apply modified them in state order, as `pulumi up` of every task does.
        for (const id of ids) account.modify(id, "v1");
        account.calls.length = 0;
        const r = await refresh(account, ids, parallel);
        expect(r.calls).toBeLessThanOrEqual(Math.ceil(total / 20) + 5);
      });
    }
  }

  for (const parallel of [1, 16, Number.MAX_SAFE_INTEGER]) {
    it(`a stack of 10 tasks in an account of 1,000, --parallel ${parallel > 1e6 ? "unbounded" : parallel}: ≤ N + 5 calls, never the whole listing`, async () => {
      const account = new FakeAccount();
      const all = account.add(1000);
      // Ten tasks spread over the account, in the state order of an unrelated stack.
      const mine = [7, 123, 250, 311, 480, 502, 666, 777, 901, 990].map((i) => all[i]);
      for (const id of all) if (Number(id.split("-").pop()) % 3 === 0) account.modify(id, "other team");
      account.calls.length = 0;
      const r = await refresh(account, mine, parallel);
      expect(r.calls).toBeLessThanOrEqual(mine.length + WASTE_BUDGET);
    });
  }

  it("never answers with a row older than the read's state (a lagging page), nor one from before this process's write", async () => {
    const account = new FakeAccount();
    const ids = account.add(40);
    const cache = createListingCache(account);
    // Page 1 and 2 are cached; then the task changes and the read's state knows the newer time.
    await cache.read(ids[0], "ap-guangzhou", updateTime(1));
    account.modify(ids[0], "v2");
    const newer = stateOf(account, [ids[0]])[0].updated;
    const before = account.calls.length;
    const info = await cache.read(ids[0], "ap-guangzhou", newer);
    expect(info?.Comment).toBe("v2");
    expect(account.calls.length).toBeGreaterThan(before);
    // This process writes ids[1]: the row cached before the write is never served again.
    await cache.read(ids[1], "ap-guangzhou", updateTime(2));
    cache.written(ids[1], "ap-guangzhou");
    account.modify(ids[1], "written");
    const again = await cache.read(ids[1], "ap-guangzhou", updateTime(2));
    expect(again?.Comment).toBe("written");
  });

  it("a task deleted outside is reported gone", async () => {
    const account = new FakeAccount();
    const ids = account.add(60);
    const state = stateOf(account, ids);
    account.remove(ids[30]);
    const cache = createListingCache(account);
    expect(await cache.read(ids[30], "ap-guangzhou", state[30].updated)).toBeUndefined();
    expect((await cache.read(ids[31], "ap-guangzhou", state[31].updated))?.TaskId).toBe(ids[31]);
  });
});

describe("pageFor", () => {
  const ms = (seq: number) => Date.parse(updateTime(seq));
  it("starts from the end for a task older than every page seen (state order is oldest first)", () => {
    expect(pageFor({ updated: ms(5), pages: 10, known: [{ page: 1, oldest: ms(181), newest: ms(200) }], taken: new Set([1]) })).toBe(10);
  });
  it("interpolates between the pages around it, and skips pages taken", () => {
    const known = [
      { page: 1, oldest: ms(181), newest: ms(200) },
      { page: 10, oldest: ms(1), newest: ms(20) },
    ];
    expect(pageFor({ updated: ms(101), pages: 10, known, taken: new Set([1, 10]) })).toBe(5);
    expect(pageFor({ updated: ms(101), pages: 10, known, taken: new Set([1, 10, 5]) })).toBe(4);
  });
  it("strictly inside a page that did not hold it: a Describe by id; sharing a page's second: either side", () => {
    const known = [{ page: 3, oldest: ms(50), newest: ms(60) }];
    expect(pageFor({ updated: ms(50), pages: 5, known, taken: new Set([3]) })).toBe(5);
    expect(pageFor({ updated: ms(50), pages: 5, known, taken: new Set([3, 4, 5]) })).toBe(2);
    expect(pageFor({ updated: ms(55), pages: 5, known, taken: new Set([3]) })).toBeUndefined();
    expect(pageFor({ updated: undefined, pages: 5, known, taken: new Set() })).toBeUndefined();
  });
  it("the waste budget counts pages in flight", () => {
    expect(mayFetch(WASTE_BUDGET - 1, 0)).toBe(true);
    expect(mayFetch(WASTE_BUDGET - 1, 1)).toBe(false);
  });
});

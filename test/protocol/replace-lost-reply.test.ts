// Issue 15 item 3: a destination-change replacement whose Create reply is lost while Describe lags.
// The re-send is refused as "in use": most likely by the task our own unanswered send created, not
// yet shown. Moving on to the next SpecifyTaskId generation there would push the new stream twice.
import { describe, it } from "vitest";
import { hostedStack } from "../support/hosted";
import { lostCreateWhileReadsLag } from "../support/lost-create";

const t = hostedStack("replace-lost", { rateScale: 10 });

describe("a replacement whose Create reply is lost while reads lag", () => {
  it("an 'in use' refusal after our own unanswered send never moves to another generation: one task", async () => {
    await lostCreateWhileReadsLag(t, "lost-in-use", "in use", /already used|next `pulumi up`/);
  }, 30_000);
});

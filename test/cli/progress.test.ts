// Long CLI work draws one progress line on a terminal and nothing when stderr is piped.
import { describe, expect, test } from "vitest";
import { progress } from "../../cli/progress";
import type { Io } from "../../cli/io";

function capture(tty: boolean): Io & { err: () => string } {
  let err = "";
  return { stdout: () => undefined, stderr: (t) => (err += t), cwd: "/", env: {}, stderrIsTTY: tty, err: () => err };
}

describe("progress line", () => {
  test("on a terminal: redrawn in place, at most every interval, cleared by done()", () => {
    const io = capture(true);
    let t = 1000;
    const bar = progress(io, 100, () => t);
    bar.update("reading tasks: 20 of 1000");
    t += 50;
    bar.update("reading tasks: 40 of 1000"); // within the interval: skipped
    t += 100;
    bar.update("reading tasks: 60 of 1000");
    bar.done();
    expect(io.err()).toBe("\r\x1b[Kreading tasks: 20 of 1000\r\x1b[Kreading tasks: 60 of 1000\r\x1b[K");
  });

  test("piped or redirected: nothing at all; done() without an update writes nothing either", () => {
    const piped = capture(false);
    const bar = progress(piped);
    bar.update("reading tasks: 20 of 1000");
    bar.done();
    expect(piped.err()).toBe("");
    const tty = capture(true);
    progress(tty).done();
    expect(tty.err()).toBe("");
  });
});

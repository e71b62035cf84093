// The Ctrl-C line says what the interrupted command left behind (status: nothing; export: the files
// it had written before the interrupt, since it writes the tasks file and then the import file).
import { describe, expect, it } from "vitest";
import { interruptMessage, noteWritten } from "../../cli/io";

describe("interruptMessage", () => {
  it("nothing written, then the files written so far", () => {
    expect(interruptMessage("export")).toBe("css-pull-tasks export: interrupted; nothing was written\n");
    noteWritten("tasks.yaml");
    expect(interruptMessage("export")).toBe("css-pull-tasks export: interrupted; it had written tasks.yaml\n");
  });
});

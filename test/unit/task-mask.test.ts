import { describe, expect, it } from "vitest";
import { maskSecrets } from "../../provider/task";

describe("maskSecrets", () => {
  it("masks auth query values and keeps the rest", () => {
    const text = "bad url rtmp://push.example.com/live/s?txSecret=abc123&txTime=6A000000&bak=1 and https://x.example.com/p?sign=zz;token=tt";
    const masked = maskSecrets(text);
    expect(masked).toBe("bad url rtmp://push.example.com/live/s?txSecret=***&txTime=***&bak=1 and https://x.example.com/p?sign=***;token=***");
    for (const secret of ["abc123", "6A000000", "zz", "tt"]) expect(masked).not.toContain(`=${secret}`);
  });

  it("masks auth_key, key, signature case-insensitively and user:password@", () => {
    expect(maskSecrets("http://a/b?AUTH_KEY=1-0-0-x&Key=k&signature=s")).toBe("http://a/b?AUTH_KEY=***&Key=***&signature=***");
    expect(maskSecrets("rtsp://admin:hunter2@cam.example.com/x")).toBe("rtsp://admin:***@cam.example.com/x");
  });

  it("does not touch parameters that merely end with a secret name", () => {
    expect(maskSecrets("http://a/b?monkey=1&design=2")).toBe("http://a/b?monkey=1&design=2");
  });
});

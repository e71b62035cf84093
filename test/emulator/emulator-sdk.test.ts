// The official Node SDK's CommonClient, pointed at the emulator, must be accepted as real Tencent
// would accept it (it signs service "127" and the host without port), and rejected with a wrong key.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { liveTask } from "./support-tasks";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CommonClient } = require("tencentcloud-sdk-nodejs-common");

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ tempCredentials: [{ secretId: "AKIDSTS", secretKey: "sts-key", token: "sts-token" }] });
});
afterAll(() => emu.close());

function client(credential: { secretId: string; secretKey: string; token?: string }) {
  return new CommonClient("live.tencentcloudapi.com", "2018-08-01", {
    credential,
    region: "ap-guangzhou",
    profile: { httpProfile: { protocol: "http://", endpoint: `127.0.0.1:${emu.port}`, reqTimeout: 10 } },
  });
}

describe("official SDK CommonClient", () => {
  it("creates and describes a task with the default credentials", async () => {
    const c = client({ secretId: "AKIDEMULATOR", secretKey: "emulator-secret-key" });
    const created = await c.request("CreateLivePullStreamTask", liveTask());
    expect(created.TaskId).toMatch(/^\d+$/);
    const described = await c.request("DescribeLivePullStreamTasks", { TaskId: created.TaskId });
    expect(described.TaskInfos[0].TaskId).toBe(created.TaskId);
    expect(described.TaskInfos[0].Region).toBe("ap-guangzhou");
  });

  it("is rejected with AuthFailure.SignatureFailure when the key is wrong", async () => {
    const c = client({ secretId: "AKIDEMULATOR", secretKey: "wrong" });
    await expect(c.request("DescribeLivePullStreamTasks", {})).rejects.toMatchObject({ code: "AuthFailure.SignatureFailure" });
  });

  it("sends X-TC-Token for temporary keys and is accepted; a wrong token is AuthFailure.TokenFailure", async () => {
    const ok = client({ secretId: "AKIDSTS", secretKey: "sts-key", token: "sts-token" });
    await expect(ok.request("DescribeLivePullStreamTasks", {})).resolves.toHaveProperty("TotalNum");
    const bad = client({ secretId: "AKIDSTS", secretKey: "sts-key", token: "other" });
    await expect(bad.request("DescribeLivePullStreamTasks", {})).rejects.toMatchObject({ code: "AuthFailure.TokenFailure" });
  });

  it("sees business errors as the SDK's error with Code", async () => {
    const c = client({ secretId: "AKIDEMULATOR", secretKey: "emulator-secret-key" });
    await expect(c.request("DeleteLivePullStreamTask", { TaskId: "42", Operator: "sdk" })).rejects.toMatchObject({
      code: "InvalidParameter.TaskNotExist",
    });
  });
});

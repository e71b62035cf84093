// A provider host configured against an emulator started with the soak's credentials, counting its
// API client's calls: the soak's, and the reliability tests' that drive runs the same way.
import { ProviderHost } from "./host";

export const SOAK_CREDENTIALS = { secretId: "AKIDSOAK", secretKey: "soak-secret-key-never-printed" };

export async function startSoakHost(emulatorUrl: string, requestTimeoutMs?: number): Promise<ProviderHost> {
  const host = await ProviderHost.start({ clientStats: true });
  await host.configure({
    "tencentcloud:secretId": SOAK_CREDENTIALS.secretId,
    "tencentcloud:secretKey": SOAK_CREDENTIALS.secretKey,
    "tencentcloud:region": "ap-guangzhou",
    "tencentcloud:cssEndpoint": emulatorUrl,
    ...(requestTimeoutMs ? { "tencentcloud:requestTimeoutMs": String(requestTimeoutMs) } : {}),
  });
  return host;
}

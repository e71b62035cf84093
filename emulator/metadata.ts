// The CVM instance metadata service's CAM role answers (`--cam-role NAME`): what an instance with a
// bound role reads at http://metadata.tencentyun.com. Plain GET, no signature, as on an instance.
import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_DURATION_SECONDS, type StsState } from "./sts";

export const METADATA_ROLE_PATH = "/latest/meta-data/cam/security-credentials/";

export function isMetadataPath(path: string): boolean {
  return path.startsWith("/latest/meta-data/");
}

export function handleMetadata(
  sts: StsState,
  nowMs: number,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): void {
  const text = (status: number, body: string): void => {
    res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" }).end(body);
  };
  if (req.method !== "GET") return text(405, "method not allowed");
  if (!path.startsWith(METADATA_ROLE_PATH)) return text(404, "not found");
  const role = decodeURIComponent(path.slice(METADATA_ROLE_PATH.length).replace(/\/+$/, ""));
  // The bare path lists the instance's role (one per instance), as the metadata service does.
  if (role === "") return sts.camRoles.size ? text(200, [...sts.camRoles][0]) : text(404, "no role bound");
  if (!sts.camRoles.has(role)) return text(404, `role ${role} is not bound to this instance`);
  const issued = sts.issue(role, "cvm-instance", DEFAULT_DURATION_SECONDS, nowMs, "metadata");
  const body = JSON.stringify({
    TmpSecretId: issued.Credentials.TmpSecretId,
    TmpSecretKey: issued.Credentials.TmpSecretKey,
    ExpiredTime: issued.ExpiredTime,
    Expiration: issued.Expiration,
    Token: issued.Credentials.Token,
    Code: "Success",
  });
  res.writeHead(200, { "Content-Type": "application/json" }).end(body);
}
